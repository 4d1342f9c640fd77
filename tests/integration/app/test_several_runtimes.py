"""Several platform processes on one PostgreSQL database (DARCA_WORKERS, ADR 0018): each runs the
whole runtime, and each background job's work is still done once. Two runtimes in one test process
stand for two worker processes: they share nothing but the database, as two processes would.

The KYC worker is covered by tests/integration/core/identity/test_kyc_api.py (two workers decide a
check once); the idempotency purge is a DELETE of expired rows, the same whoever runs it."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from app.runtime import Runtime, build_runtime
from core.ledger.api import HoldSpec, NewAccount
from core.notifications.mailer import read_spool
from core.notifications.service import NotificationService
from core.platform.clock import Clock, utcnow
from core.platform.ids import new_id
from tests.conftest import make_settings
from tests.support.context import system_context
from tests.support.waiting import eventually

pytestmark = pytest.mark.backends("postgresql")  # several processes are served on PostgreSQL only

HOLDS = 12
MAILS = 20
TOP_UPS = 30


async def _started(database_url: str, spool: Path, published: list[str]) -> Runtime:
    settings = make_settings(database_url, relay_poll_ms=20, ledger_expiry_poll_ms=20, notification_poll_ms=20,
                             kyc_poll_ms=0, mail_spool_dir=str(spool))
    runtime = build_runtime(settings)

    async def record(envelope: dict[str, Any]) -> None:
        published.append(envelope["id"])

    runtime.bus.subscribe("recorder", ["*"], record)
    await runtime.start(grpc=False)
    return runtime


async def _scalars(runtime: Runtime, sql: str) -> list[Any]:
    async with runtime.db.unit_of_work() as session:
        return list((await session.execute(text(sql))).scalars().all())


async def test_two_runtimes_publish_expire_and_send_each_once(database_url: str, tmp_path: Path,
                                                              clock: Clock) -> None:
    spool = tmp_path / "mail"
    published: list[str] = []  # what the relays of both runtimes put on their buses
    runtimes = [await _started(database_url, spool, published) for _ in range(2)]
    try:
        first, second = (r.ledger for r in runtimes)
        assert first is not None and second is not None
        alice = await first.open_account(None, NewAccount(new_id("cid"), "PERSON", new_id("usr"), "EUR"))
        shop = await second.open_account(None, NewAccount(new_id("cid"), "PERSON", new_id("usr"), "EUR"))
        for i in range(TOP_UPS):  # committed by either process, as requests would be
            await (first, second)[i % 2].top_up(None, new_id("cid"), alice.id, 10)
        holds = [await (first, second)[i % 2].create_hold(None, 
            HoldSpec(new_id("cid"), alice.id, shop.id, 5, utcnow() + timedelta(milliseconds=30))) for i in range(HOLDS)]
        async with runtimes[0].db.unit_of_work() as session:
            service = NotificationService(system_context(session))
            for i in range(MAILS):
                await service.send(user_id=new_id("usr"), channel="EMAIL", recipient=f"u{i}@example.com",
                                   event_type="identity.verification_code", locale="en",
                                   params={"code": "424242", "minutes": 10})
        for runtime in runtimes:
            runtime.committed()
        clock.advance(timedelta(milliseconds=50))  # the holds fall due; both expiry jobs are polling

        async def all_expired() -> bool:
            statuses = await _scalars(runtimes[0], "SELECT status FROM ledger_holds")
            return statuses == ["EXPIRED"] * HOLDS

        await eventually(all_expired)
        await eventually(lambda: _all_sent(runtimes[0]))

        async def relayed() -> bool:
            return await runtimes[0].relay.pending() == 0 and await runtimes[1].relay.pending() == 0

        await eventually(relayed)
        outbox = await _scalars(runtimes[0], "SELECT event_id FROM outbox_events")
        expired = await _scalars(runtimes[0], "SELECT subject FROM outbox_events "
                                              "WHERE event_type = 'darca.ledger.hold_expired.v1'")
    finally:
        for runtime in runtimes:
            await runtime.stop()

    assert Counter(published) == Counter(outbox)  # every event published, none twice
    assert sorted(expired) == sorted(f"hold/{h.id}" for h in holds)  # each hold expired once
    mail = read_spool(spool)
    assert sorted(m["To"] for m in mail) == sorted(f"u{i}@example.com" for i in range(MAILS))  # each sent once


async def _all_sent(runtime: Runtime) -> bool:
    statuses = await _scalars(runtime, "SELECT status FROM notifications WHERE channel = 'EMAIL'")
    return statuses == ["SENT"] * MAILS
