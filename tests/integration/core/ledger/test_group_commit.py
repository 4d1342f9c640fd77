"""Group commit on PostgreSQL keeps one connection per flusher for a run of groups. When the
server drops it mid-run, the callers of the group get an error (never a hang), the next groups
get a fresh connection, and retries with the same ids post every transfer exactly once."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from core.ledger.api import Ledger
from core.platform.db import Database
from tests.services import POSTGRES_ADMIN_URL

from .conftest import funded, wallet

WRITERS, EACH = 8, 25
KILLS = 12  # bounded, so a slow machine cannot starve a transfer: each kill fails at most one attempt


@pytest.mark.backends("postgresql")
async def test_killed_connections_fail_groups_not_transfers(ledger: Ledger, db: Database) -> None:
    alice = await funded(ledger, 1_000_000)
    bob = await wallet(ledger)
    failures = 0
    posted: list[int] = []

    async def writer(number: int, killing_over: asyncio.Event) -> None:
        """At least EACH transfers, and on until the last kill: however fast the groups, the kills land
        under running ones."""
        nonlocal failures
        step = 0
        while step < EACH or not killing_over.is_set():
            for _ in range(KILLS + 8):
                try:
                    await ledger.transfer(None, f"kill-{number}-{step}", alice.id, bob.id, 1)
                    break
                except Exception:  # noqa: BLE001 — the connection died under this group: retry, same id
                    failures += 1
            else:
                raise AssertionError("a transfer never got through")
            step += 1
        posted.append(step)

    async def killer(killing_over: asyncio.Event) -> None:
        admin = await asyncpg.connect(POSTGRES_ADMIN_URL)
        try:
            for _ in range(KILLS):  # every 30 ms while the writers run
                await asyncio.sleep(0.03)
                await admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                    "WHERE datname = $1 AND pid <> pg_backend_pid()", make_url(db.url).database)
        finally:
            await admin.close()
            killing_over.set()

    killing_over = asyncio.Event()
    await asyncio.wait_for(asyncio.gather(killer(killing_over), *(writer(n, killing_over) for n in range(WRITERS))), 120)

    total = sum(posted)
    assert (await ledger.get_account(None, bob.id)).posted == total
    async with db.unit_of_work() as session:
        counted = (await session.execute(text(
            "SELECT count(*), count(DISTINCT client_id) FROM ledger_transactions WHERE client_id LIKE 'kill-%'"))).one()
    assert tuple(counted) == (total, total)
    assert failures > 0  # the connections really were killed under running groups


@pytest.mark.backends("postgresql")  # the driver's connection is used on PostgreSQL only
async def test_a_connection_left_inside_a_transaction_is_not_reused(ledger: Ledger) -> None:
    """PostgreSQL transaction path: a unit interrupted while rolling back must not hand its open
    transaction to the next unit through the pool."""
    async with ledger.units.driver_connection() as driver:
        left_open = driver
        await driver.execute("BEGIN")
    async with ledger.units.driver_connection() as driver:
        assert driver is not left_open and not driver.is_in_transaction()
    alice, bob = await funded(ledger, 100), await wallet(ledger)
    assert (await ledger.transfer(None, "after-left-open", alice.id, bob.id, 10)).entries[1].balance_after == 10
