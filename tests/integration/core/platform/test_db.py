"""The unit of work knows whether it wrote, so a read-only request does not wake the outbox relay."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import delete, select

from core.platform.db import Database, wrote
from core.platform.tables import OutboxEvent

pytestmark = pytest.mark.backends("sqlite", "postgresql")


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
