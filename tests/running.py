"""Starting the platform as a separate process (what `make run` does) for tests that need a live server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LivePlatform:
    base: str
    grpc_port: int
    process: subprocess.Popen[str]
    output: str = ""


def wait_ready(live: LivePlatform, timeout: float = 60.0) -> httpx.Response:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert live.process.poll() is None, live.process.communicate()[0]
        try:
            response = httpx.get(f"{live.base}/v1/health/ready", timeout=2)
            if response.status_code == 200:
                return response
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise AssertionError("the platform did not become ready")


@contextmanager
def live_platform(env: dict[str, str]) -> Iterator[LivePlatform]:
    """`python -m app run` with the given DARCA_* settings on free ports; stopped afterwards."""
    http_port, grpc_port = free_port(), free_port()
    full_env = {**os.environ, "DARCA_HTTP_PORT": str(http_port), "DARCA_GRPC_PORT": str(grpc_port), **env}
    process = subprocess.Popen([sys.executable, "-m", "app", "run"], cwd=ROOT, env=full_env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    live = LivePlatform(f"http://127.0.0.1:{http_port}", grpc_port, process)
    try:
        yield live
    finally:
        process.terminate()
        try:
            live.output, _ = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            live.output, _ = process.communicate()
