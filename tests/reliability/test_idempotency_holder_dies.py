"""On PostgreSQL an Idempotency-Key is held by the request's own transaction (ADR 0014): while the
first attempt truly runs, a retry gets 409; once its database backend is killed, the retry runs at
once (no timed lock to wait for), and the money moves exactly once.
"""

from __future__ import annotations

import asyncio

import asyncpg
import pytest
from sqlalchemy import func, select

from core.ledger.api import NewAccount
from core.ledger.tables import LedgerTransaction
from core.platform.ids import new_id
from tests.conftest import OPERATOR_KEY, Platform
from tests.support.waiting import eventually

# outages wait up to 120 s by design
pytestmark = [pytest.mark.backends("postgresql"), pytest.mark.timeout(300)]


def plain_url(database_url: str) -> str:
    return database_url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def test_the_key_of_a_request_whose_backend_died_is_free_at_once(platform: Platform) -> None:
    ledger = platform.runtime.ledger
    assert ledger is not None
    account = await ledger.open_account(None, NewAccount(new_id("cli"), "PERSON", new_id("usr"), "EUR"))
    headers = {"X-API-Key": OPERATOR_KEY, "Idempotency-Key": "k-holder-dies"}
    body = {"account_id": account.id, "amount": {"amount": "12.34", "asset": "EUR"}}

    blocker = await asyncpg.connect(plain_url(platform.settings.database_url))
    try:
        # Another transaction holds the account row, so the first attempt stops mid-way, key held.
        hold_row = blocker.transaction()
        await hold_row.start()
        await blocker.execute("SELECT 1 FROM ledger_accounts WHERE id = $1 FOR UPDATE", account.id)
        first = asyncio.create_task(platform.client.post("/v1/sandbox/top-ups", json=body, headers=headers))
        waiting: list[int] = []

        async def first_is_waiting() -> bool:
            waiting[:] = [r["pid"] for r in await blocker.fetch(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")]
            return len(waiting) == 1

        await eventually(first_is_waiting, timeout=20)

        in_flight = await platform.client.post("/v1/sandbox/top-ups", json=body, headers=headers)
        assert in_flight.status_code == 409, in_flight.text
        assert in_flight.json()["code"] == "IDEMPOTENCY_KEY_IN_USE"

        await blocker.execute("SELECT pg_terminate_backend($1)", waiting[0])  # the holder dies
        died = await asyncio.wait_for(first, timeout=20)
        assert died.status_code == 503, died.text
        assert died.json()["code"] == "DATABASE_UNAVAILABLE"
        assert int(died.headers["retry-after"]) > 0
        await hold_row.rollback()
    finally:
        await blocker.close()

    retry = await platform.client.post("/v1/sandbox/top-ups", json=body, headers=headers)
    assert retry.status_code == 201, retry.text
    assert "idempotent-replayed" not in retry.headers
    replay = await platform.client.post("/v1/sandbox/top-ups", json=body, headers=headers)
    assert replay.status_code == 201 and replay.headers["idempotent-replayed"] == "true"
    assert replay.json() == retry.json()

    assert (await ledger.balance(None, account.id)).available == 1234
    async with platform.runtime.db.unit_of_work() as session:
        topups = (await session.execute(select(func.count()).select_from(LedgerTransaction)
                                        .where(LedgerTransaction.type == "TOP_UP"))).scalar_one()
    assert topups == 1

