"""The unit of work knows whether it wrote, so a read-only request does not wake the outbox relay; on
PostgreSQL the pool keeps the connections and prepared statements it made."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import delete, select, text

from core.platform.db import STATEMENT_LIFETIME, Database, wrote
from core.platform.tables import OutboxEvent

pytestmark = pytest.mark.backends("sqlite", "postgresql")
BURST = 15  # wider than the ten connections the pool used to keep (it closed the rest on return)


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    yield database
    await database.dispose()


async def test_a_unit_of_work_that_only_reads_did_not_write(db: Database) -> None:
    async with db.unit_of_work() as session:
        await session.execute(select(OutboxEvent.event_id).limit(1))
    assert not wrote(session)


async def test_a_unit_of_work_that_changes_rows_wrote(db: Database) -> None:
    async with db.unit_of_work() as session:
        await session.execute(delete(OutboxEvent).where(OutboxEvent.event_id == "none"))
    assert wrote(session)


async def _backend_pid(database: Database, hold: float = 0.0) -> int:
    async with database.unit_of_work() as session:
        pid = (await session.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        if hold:
            await session.execute(text("SELECT pg_sleep(:s)"), {"s": hold})
        return int(pid)


@pytest.mark.backends("postgresql")
async def test_connections_opened_for_a_burst_are_kept_for_the_next(database_url: str) -> None:
    """A burst wider than any steady load opens connections; the next burst finds them in the pool.
    A connection closed after each burst and opened again for the next one costs a connection
    handshake and every statement prepared again, and left RSS climbing in steps (issue 23)."""
    database = Database(database_url)
    try:
        # each unit holds its connection a moment, so the whole burst is in flight at once
        first = set(await asyncio.gather(*(_backend_pid(database, hold=0.05) for _ in range(BURST))))
        second = set(await asyncio.gather(*(_backend_pid(database, hold=0.05) for _ in range(BURST))))
        assert len(first) == BURST
        assert second == first
    finally:
        await database.dispose()


@pytest.mark.backends("postgresql")
async def test_a_steady_load_after_a_burst_runs_on_the_connection_returned_last(database_url: str) -> None:
    """Lent in turn, every connection a burst opened would prepare every statement the load runs
    (thirty statement caches filling for minutes); lent last-in-first-out, one carries the load."""
    database = Database(database_url)
    try:
        await asyncio.gather(*(_backend_pid(database, hold=0.05) for _ in range(BURST)))
        one_after_another = {await _backend_pid(database) for _ in range(2 * BURST)}
        assert len(one_after_another) == 1
    finally:
        await database.dispose()


@pytest.mark.backends("postgresql")
async def test_prepared_statements_are_kept_for_the_connection_s_life(db: Database) -> None:
    """asyncpg expires its cached statements after 300 s by default and prepares them again; the
    platform's are a fixed set and stay (STATEMENT_LIFETIME = 0)."""
    async with db.engine.connect() as connection:
        driver = (await connection.get_raw_connection()).driver_connection
        assert await driver.fetchval("SELECT 1") == 1
        # asyncpg has no public reader of the setting; its statement cache holds it.
        assert driver._stmt_cache.get_max_lifetime() == STATEMENT_LIFETIME == 0
