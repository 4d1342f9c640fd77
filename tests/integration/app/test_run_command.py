"""`python -m app run` (what `make run` calls) migrates, serves HTTP and gRPC, and serves the source specs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import grpc
import httpx
import pytest

from generated.proto.darca.platform.v1 import assets_pb2, assets_pb2_grpc
from tests.running import ROOT, live_platform, wait_ready
from tests.support.waiting import until


def test_run_serves_the_platform_on_the_embedded_default(tmp_path: Path) -> None:
    token_file = tmp_path / "grpc-sandbox-token"
    env = {"DARCA_DATABASE_URL": f"sqlite:///{tmp_path / 'darca.db'}", "DARCA_BROKER_URL": "memory://",
           "DARCA_ENVIRONMENT": "SANDBOX", "DARCA_GRPC_CALLERS": "[]", "DARCA_GRPC_SANDBOX_TOKEN_FILE": str(token_file),
           "DARCA_WORKERS": "2"}  # on SQLite one process serves anyway, and says so
    with live_platform(env) as live:
        base = live.base
        ready = wait_ready(live)
        assert {c["name"]: c["status"] for c in ready.json()["checks"]} == {"database": "PASS", "broker": "PASS"}
        assert ready.headers["x-request-id"]

        served = httpx.get(f"{base}/openapi.json").json()
        # the contract as bundled, with the address this process listens on as its server
        assert served.pop("servers") == [{"url": base, "description": "DARCA sandbox"}]
        bundled = json.loads((ROOT / "generated/specs/openapi.json").read_text())
        assert served == {key: value for key, value in bundled.items() if key != "servers"}
        assert httpx.get(f"{base}/asyncapi.json").json() == json.loads((ROOT / "generated/specs/asyncapi.json").read_text())
        assert httpx.get(f"{base}/v1/assets/JPY").json()["scale"] == 0
        assert 'operation_id="getReadiness"' in httpx.get(f"{base}/metrics").text

        # gRPC callers authenticate; the sandbox made a development credential for this machine
        token = token_file.read_text().strip()
        with grpc.insecure_channel(f"127.0.0.1:{live.grpc_port}") as channel:
            stub = assets_pb2_grpc.AssetRegistryServiceStub(channel)
            credential = (("authorization", f"Bearer {token}"),)
            assert stub.GetAsset(assets_pb2.GetAssetRequest(code="BTC"), timeout=5, metadata=credential).asset.scale == 8
            with pytest.raises(grpc.RpcError) as refused:
                stub.GetAsset(assets_pb2.GetAssetRequest(code="BTC"), timeout=5)
            assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED  # type: ignore[attr-defined]
    assert f"{base}/v1/health/ready" in live.output  # the URLs are printed for the person who ran it
    assert f"authorization: Bearer $(cat {token_file})" in live.output  # and how to call gRPC,
    assert token not in live.output  # without the secret itself
    assert "workers      1 (DARCA_WORKERS=2 applies on PostgreSQL; SQLite is served by one process)" in live.output


def test_run_refuses_production_without_grpc_credentials(tmp_path: Path) -> None:
    env = {**os.environ, "DARCA_DATABASE_URL": f"sqlite:///{tmp_path / 'darca.db'}", "DARCA_ENVIRONMENT": "PRODUCTION",
           "DARCA_GRPC_CALLERS": "[]", "DARCA_GRPC_PORT": "50999"}
    result = subprocess.run([sys.executable, "-m", "app", "run"], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 2
    assert "DARCA_GRPC_CALLERS is empty" in result.stderr and "DARCA_GRPC_PORT=0" in result.stderr
    assert not (tmp_path / "darca.db").exists()  # refused before doing anything


def _workers(parent: int) -> set[int]:
    """The worker processes uvicorn's supervisor runs (its children, less multiprocessing's resource tracker)."""
    children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
    found = set()
    for pid in children:
        try:
            if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.add(int(pid))
        except FileNotFoundError:  # exited meanwhile
            pass
    return found


@pytest.mark.backends("postgresql")  # several processes are served on PostgreSQL only
def test_run_serves_from_several_workers_replaces_a_dead_one_and_stops_on_sigterm(database_url: str,
                                                                                  tmp_path: Path) -> None:
    token_file = tmp_path / "grpc-sandbox-token"
    env = {"DARCA_DATABASE_URL": database_url, "DARCA_BROKER_URL": "memory://", "DARCA_WORKERS": "2",
           "DARCA_ENVIRONMENT": "SANDBOX", "DARCA_GRPC_CALLERS": "[]", "DARCA_GRPC_SANDBOX_TOKEN_FILE": str(token_file)}
    with live_platform(env) as live:
        wait_ready(live, timeout=180)  # three interpreters start (the supervisor and two workers)
        until(lambda: len(_workers(live.process.pid)) == 2, timeout=60, what="two workers")
        first = _workers(live.process.pid)
        for _ in range(4):  # both workers bound the shared HTTP and gRPC ports
            assert httpx.get(f"{live.base}/v1/assets/JPY").json()["scale"] == 0
        with grpc.insecure_channel(f"127.0.0.1:{live.grpc_port}") as channel:
            stub = assets_pb2_grpc.AssetRegistryServiceStub(channel)
            credential = (("authorization", f"Bearer {token_file.read_text().strip()}"),)
            assert stub.GetAsset(assets_pb2.GetAssetRequest(code="BTC"), timeout=5, metadata=credential).asset.scale == 8

        dead = min(first)
        os.kill(dead, signal.SIGKILL)
        until(lambda: len(_workers(live.process.pid) - first) == 1 and dead not in _workers(live.process.pid),
              timeout=120, what="the dead worker replaced")
        wait_ready(live, timeout=120)

        serving = _workers(live.process.pid)
        live.process.send_signal(signal.SIGTERM)
        assert live.process.wait(timeout=60) == 0
        assert not [pid for pid in serving if Path(f"/proc/{pid}").exists()]  # the workers stopped with it
    assert "  workers      2\n" in live.output
