"""`python -m app run` (what `make run` calls) migrates, serves HTTP and gRPC, and serves the source specs."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import grpc
import httpx

from generated.proto.darca.platform.v1 import assets_pb2, assets_pb2_grpc

ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(base: str, process: subprocess.Popen[str], timeout: float = 60.0) -> httpx.Response:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[0]
        try:
            response = httpx.get(f"{base}/v1/health/ready", timeout=2)
            if response.status_code == 200:
                return response
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise AssertionError("the platform did not become ready")


def test_run_serves_the_platform_on_the_embedded_default(tmp_path: Path) -> None:
    http_port, grpc_port = free_port(), free_port()
    env = {
        **os.environ,
        "DARCA_DATABASE_URL": f"sqlite:///{tmp_path / 'darca.db'}",
        "DARCA_HTTP_PORT": str(http_port),
        "DARCA_GRPC_PORT": str(grpc_port),
        "DARCA_BROKER_URL": "memory://",
    }
    process = subprocess.Popen([sys.executable, "-m", "app", "run"], cwd=ROOT, env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{http_port}"
    try:
        ready = wait_ready(base, process)
        assert {c["name"]: c["status"] for c in ready.json()["checks"]} == {"database": "PASS", "broker": "PASS"}
        assert ready.headers["x-request-id"]

        served = httpx.get(f"{base}/openapi.json").json()
        assert served == json.loads((ROOT / "generated/specs/openapi.json").read_text())
        assert httpx.get(f"{base}/asyncapi.json").json() == json.loads((ROOT / "generated/specs/asyncapi.json").read_text())
        assert httpx.get(f"{base}/v1/assets/JPY").json()["scale"] == 0
        assert 'operation_id="getReadiness"' in httpx.get(f"{base}/metrics").text

        with grpc.insecure_channel(f"127.0.0.1:{grpc_port}") as channel:
            stub = assets_pb2_grpc.AssetRegistryServiceStub(channel)
            assert stub.GetAsset(assets_pb2.GetAssetRequest(code="BTC"), timeout=5).asset.scale == 8
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
    assert f"{base}/v1/health/ready" in output  # the URLs are printed for the person who ran it
