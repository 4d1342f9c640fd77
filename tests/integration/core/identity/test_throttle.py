"""Throttle counters: a quiet counter is forgotten, a locked one never is."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from core.identity.throttle.tables import ThrottleRow
from core.identity.throttle.service import ACCOUNT, Throttle
from core.platform.clock import utcnow
from core.platform.db import Database

pytestmark = pytest.mark.backends("sqlite", "postgresql")  # counters and their timestamps live in SQL


async def _failures(db: Database, key: str) -> ThrottleRow:
    async with db.unit_of_work() as session:
        row = await session.get(ThrottleRow, key)
        assert row is not None
        return row


async def test_a_quiet_counter_starts_again_from_zero(database_url: str) -> None:
    db = Database(database_url)
    try:
        for _ in range(3):
            async with db.unit_of_work() as session:
                await Throttle(session).fail("login:EMAIL:a@x.test", ACCOUNT)
        assert (await _failures(db, "login:EMAIL:a@x.test")).failures == 3
        async with db.unit_of_work() as session:
            await session.execute(update(ThrottleRow).values(updated_at=utcnow() - ACCOUNT.forget_after
                                                             - timedelta(minutes=1)))
        async with db.unit_of_work() as session:
            await Throttle(session).fail("login:EMAIL:a@x.test", ACCOUNT)
        assert (await _failures(db, "login:EMAIL:a@x.test")).failures == 1
    finally:
        await db.dispose()


async def test_a_locked_counter_is_not_forgotten(database_url: str) -> None:
    db = Database(database_url)
    try:
        for _ in range(ACCOUNT.free + 1):
            async with db.unit_of_work() as session:
                await Throttle(session).fail("login:EMAIL:b@x.test", ACCOUNT)
        async with db.unit_of_work() as session:
            await session.execute(update(ThrottleRow).values(updated_at=utcnow() - timedelta(days=1),
                                                             locked_until=utcnow() + timedelta(minutes=5)))
        async with db.unit_of_work() as session:
            assert await Throttle(session).check(["login:EMAIL:b@x.test"]) is not None
            await Throttle(session).fail("login:EMAIL:b@x.test", ACCOUNT)
        assert (await _failures(db, "login:EMAIL:b@x.test")).failures == ACCOUNT.free + 2
    finally:
        await db.dispose()
