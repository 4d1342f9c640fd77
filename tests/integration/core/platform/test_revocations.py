"""Revocations reach the caches after the commit and never before, in this process and, on PostgreSQL,
in every listening one; a listener that loses its connection stops vouching for the caches until it
has subscribed again (and then empties them)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import pytest

from core.platform.db import Database
from core.platform.revocations import RevocationFeed, announce, asyncpg_dsn, subscribe_locally
from tests.support.revocations import Recorder
from tests.support.waiting import eventually


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    yield database
    await database.dispose()


@pytest.fixture
async def feed(database_url: str) -> AsyncIterator[RevocationFeed]:
    listener = RevocationFeed(database_url, heartbeat=0.05)
    listener.start()
    yield listener
    await listener.stop()


@pytest.mark.backends("sqlite", "postgresql")  # the commit hook on both engines
async def test_this_process_hears_a_revocation_right_after_the_commit(db: Database) -> None:
    local = Recorder()
    subscribe_locally(local)
    async with db.unit_of_work() as session:
        await announce(session, "session:ses_committed")
        assert local.subjects == []  # not before the commit: it may still roll back
    assert local.subjects == ["session:ses_committed"]

    with pytest.raises(RuntimeError):
        async with db.unit_of_work() as session:
            await announce(session, "session:ses_rolled_back")
            raise RuntimeError("the unit of work fails")
    async with db.unit_of_work():
        pass  # the session of the next unit carries nothing over
    assert local.subjects == ["session:ses_committed"]


@pytest.mark.backends("postgresql")  # LISTEN/NOTIFY
async def test_every_listener_hears_what_another_process_committed(db: Database, feed: RevocationFeed) -> None:
    heard = Recorder()
    feed.subscribe(heard)

    async def heartbeat_came_back() -> bool:
        return feed.confirmed_at > feed.timer() - 1

    await eventually(heartbeat_came_back, timeout=5)
    other_process = Database(db.url)  # its own pool, as another process would have
    try:
        async with other_process.unit_of_work() as session:
            await announce(session, "api_key:apk_1")
        async with other_process.unit_of_work() as session:
            await announce(session, "api_key:apk_rolled_back")
            await session.rollback()
    finally:
        await other_process.dispose()
    confirmed = feed.timer()

    async def vouched_past_the_commit() -> bool:
        return feed.confirmed_at > confirmed

    await eventually(vouched_past_the_commit, timeout=5)
    assert heard.subjects == ["api_key:apk_1"]  # heard before any heartbeat sent after the commit


@pytest.mark.backends("postgresql")  # LISTEN/NOTIFY
async def test_a_cut_listener_stops_vouching_until_it_has_subscribed_again(database_url: str,
                                                                          feed: RevocationFeed) -> None:
    heard = Recorder()
    feed.subscribe(heard)
    vouched_when_cleared: list[float] = []
    heard.clear = lambda: vouched_when_cleared.append(feed.confirmed_at)  # type: ignore[method-assign]

    async def listening() -> bool:
        return feed.server_pid is not None and feed.confirmed_at > feed.timer() - 1

    await eventually(listening, timeout=5)
    first_pid = feed.server_pid
    admin = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        await admin.execute("SELECT pg_terminate_backend($1)", first_pid)
        cut_at = feed.timer()

        async def resubscribed() -> bool:
            return feed.server_pid not in (None, first_pid) and feed.confirmed_at > cut_at

        await eventually(resubscribed, timeout=10)
    finally:
        await admin.close()
    # whatever was revoked while nobody listened is read again, and nothing was vouched for in between
    assert len(vouched_when_cleared) == 2 and vouched_when_cleared[1] < cut_at
