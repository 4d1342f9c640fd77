"""Request ids, W3C trace context into problems and events, structured logs, metrics, span export."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from app.main import create_app
from core.platform.outbox import envelope_of
from core.platform.tables import OutboxEvent
from tests.conftest import OPERATOR_KEY, Platform, make_settings

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
TRACEPARENT = f"00-{TRACE_ID}-00f067aa0ba902b7-01"
ROOT = Path(__file__).resolve().parents[3]


async def test_request_id_is_echoed_or_generated(platform: Platform) -> None:
    mine = await platform.client.get("/v1/health/live", headers={"X-Request-Id": "client-req-42"})
    assert mine.headers["x-request-id"] == "client-req-42"
    generated = await platform.client.get("/v1/health/live")
    assert generated.headers["x-request-id"].startswith("req_")
    unknown = await platform.client.get("/no/such/path")
    assert unknown.headers["x-request-id"].startswith("req_")


async def test_traceparent_reaches_the_problem_and_the_event(platform: Platform) -> None:
    problem = await platform.client.get("/v1/assets/XYZ", headers={"traceparent": TRACEPARENT})
    assert problem.json()["trace_id"] == TRACE_ID

    created = await platform.client.post(
        "/v1/assets",
        json={"code": "SOL", "name": "Solana", "kind": "CRYPTO", "scale": 9},
        headers={"X-API-Key": OPERATOR_KEY, "Idempotency-Key": "trace-1", "traceparent": TRACEPARENT},
    )
    assert created.status_code == 201
    async with platform.runtime.db.unit_of_work() as session:
        event = (await session.execute(select(OutboxEvent).where(OutboxEvent.partition_key == "asset:SOL"))).scalar_one()
    assert envelope_of(event)["traceparent"].split("-")[1] == TRACE_ID


async def test_metrics_count_and_time_each_operation(platform: Platform) -> None:
    for _ in range(3):
        await platform.client.get("/v1/assets/EUR")
    await platform.client.get("/v1/assets/XYZ")
    text = (await platform.client.get("/metrics")).text
    lines = {line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line and not line.startswith("#")}
    ok = 'darca_http_requests_total{method="GET",operation_id="getAsset",status="200"}'
    missing = 'darca_http_requests_total{method="GET",operation_id="getAsset",status="404"}'
    assert lines[ok] >= 3 and lines[missing] >= 1
    assert lines['darca_http_request_duration_seconds_count{method="GET",operation_id="getAsset"}'] >= 4


async def test_logs_are_json_with_request_and_trace_ids(database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    settings = make_settings(database_url, log_level="INFO")
    app = create_app(settings)
    async with app.app.router.lifespan_context(app.app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            await client.get("/v1/meta", headers={"X-Request-Id": "log-check-1", "traceparent": TRACEPARENT})
    records = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    request_logs = [r for r in records if r.get("event") == "http.request" and r.get("request_id") == "log-check-1"]
    assert len(request_logs) == 1
    assert request_logs[0]["trace_id"] == TRACE_ID
    assert request_logs[0]["operation_id"] == "getPlatformMeta"
    assert request_logs[0]["status"] == 200


def test_spans_are_exported_when_an_exporter_is_configured(tmp_path: Path) -> None:
    script = (
        "import asyncio, httpx\n"
        "from opentelemetry import trace\n"
        "from app.main import create_app\n"
        "from app.migrate import migrate\n"
        "from core.platform.settings import Settings\n"
        "async def main():\n"
        "    s = Settings()\n"
        "    await migrate(s)\n"
        "    app = create_app(s)\n"
        "    async with app.app.router.lifespan_context(app.app):\n"
        "        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url='http://t') as c:\n"
        f"            await c.get('/v1/health/live', headers={{'traceparent': '{TRACEPARENT}'}})\n"
        "    trace.get_tracer_provider().force_flush()\n"
        "asyncio.run(main())\n"
    )
    env = {**os.environ, "DARCA_OTEL_EXPORTER": "console", "DARCA_GRPC_PORT": "0", "DARCA_LOG_LEVEL": "WARNING",
           "DARCA_DATABASE_URL": f"sqlite:///{tmp_path / 'd.db'}"}
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert '"name": "GET /v1/health/live"' in result.stdout
    assert f'"trace_id": "0x{TRACE_ID}"' in result.stdout


@pytest.mark.backends("sqlite", "postgresql")  # database outage
async def test_readiness_fails_with_a_problem_when_the_database_is_down() -> None:
    settings = make_settings("postgresql+asyncpg://postgres@127.0.0.1:1/none", relay_enabled=False)
    app = create_app(settings)
    async with app.app.router.lifespan_context(app.app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            response = await client.get("/v1/health/ready")
            live = await client.get("/v1/health/live")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == "5"
    body = response.json()
    assert body["code"] == "SERVICE_UNAVAILABLE"
    checks = {c["name"]: c["status"] for c in body["checks"]}
    assert checks == {"database": "FAIL", "broker": "PASS"}
    assert live.status_code == 200
