"""Every pooled connection is busy: a request waits at most DARCA_DATABASE_POOL_TIMEOUT_SECONDS and
is answered 503 DATABASE_UNAVAILABLE with Retry-After, instead of hanging; once connections come
back, requests go through again.
"""

from __future__ import annotations

import asyncio
import contextlib

import httpx
import pytest
import structlog
from sqlalchemy import exc as sa_exc

from app.main import create_app
from app.runtime import build_runtime
from tests.conftest import OPERATOR_KEY, make_settings

# outages wait up to 120 s by design
pytestmark = [pytest.mark.backends("postgresql"), pytest.mark.timeout(300)]


async def test_an_exhausted_pool_answers_503_instead_of_hanging(database_url: str) -> None:
    settings = make_settings(database_url, database_pool_timeout_seconds=0.5)
    runtime = build_runtime(settings)
    app = create_app(settings, runtime=runtime)
    inner = app.app
    async with inner.router.lifespan_context(inner), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://darca.test") as client:
        pool = runtime.db.engine.pool
        async with contextlib.AsyncExitStack() as held:
            # Take connections until the pool has none to lend for three pool timeouts in a row: the background
            # jobs borrow and return connections meanwhile (the relay's leader keeps one), so counting what is
            # checked out at one instant could leave a connection that a job gives back a moment later.
            misses = 0
            while misses < 3:
                try:
                    await held.enter_async_context(runtime.db.engine.connect())
                    misses = 0
                except sa_exc.TimeoutError:
                    misses += 1
            assert pool.checkedout() == pool.size() + pool._max_overflow  # type: ignore[attr-defined]
            with structlog.testing.capture_logs() as logs:
                busy = await asyncio.wait_for(
                    client.post("/v1/assets", json={"code": "SOL", "name": "Solana", "kind": "CRYPTO", "scale": 9},
                                headers={"X-API-Key": OPERATOR_KEY, "Idempotency-Key": "k-pool"}), timeout=10)
            assert busy.status_code == 503, busy.text
            assert busy.json()["code"] == "DATABASE_UNAVAILABLE"
            assert int(busy.headers["retry-after"]) > 0
            assert [e["event"] for e in logs if e["event"].startswith("http.")] == ["http.dependency_unavailable"]
            assert not [e for e in logs if e["log_level"] in ("error", "critical")]  # a warning, not a traceback

        # The connections are back: the same key runs (the 503 stored nothing).
        created = await client.post("/v1/assets", json={"code": "SOL", "name": "Solana", "kind": "CRYPTO", "scale": 9},
                                    headers={"X-API-Key": OPERATOR_KEY, "Idempotency-Key": "k-pool"})
        assert created.status_code == 201, created.text
        assert "idempotent-replayed" not in created.headers
