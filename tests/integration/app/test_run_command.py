"""`python -m app run` (what `make run` calls) migrates, serves HTTP and gRPC, and serves the source specs."""

from __future__ import annotations

import json
from pathlib import Path

import grpc
import httpx

from generated.proto.darca.platform.v1 import assets_pb2, assets_pb2_grpc
from tests.running import ROOT, live_platform, wait_ready


def test_run_serves_the_platform_on_the_embedded_default(tmp_path: Path) -> None:
    env = {"DARCA_DATABASE_URL": f"sqlite:///{tmp_path / 'darca.db'}", "DARCA_BROKER_URL": "memory://"}
    with live_platform(env) as live:
        base = live.base
        ready = wait_ready(live)
        assert {c["name"]: c["status"] for c in ready.json()["checks"]} == {"database": "PASS", "broker": "PASS"}
        assert ready.headers["x-request-id"]

        served = httpx.get(f"{base}/openapi.json").json()
        assert served == json.loads((ROOT / "generated/specs/openapi.json").read_text())
        assert httpx.get(f"{base}/asyncapi.json").json() == json.loads((ROOT / "generated/specs/asyncapi.json").read_text())
        assert httpx.get(f"{base}/v1/assets/JPY").json()["scale"] == 0
        assert 'operation_id="getReadiness"' in httpx.get(f"{base}/metrics").text

        with grpc.insecure_channel(f"127.0.0.1:{live.grpc_port}") as channel:
            stub = assets_pb2_grpc.AssetRegistryServiceStub(channel)
            assert stub.GetAsset(assets_pb2.GetAssetRequest(code="BTC"), timeout=5).asset.scale == 8
    assert f"{base}/v1/health/ready" in live.output  # the URLs are printed for the person who ran it
