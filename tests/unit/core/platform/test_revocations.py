"""The revocation feed's part that needs no database: whose heartbeats count, what it passes on, where it connects."""

from __future__ import annotations

import math

import asyncpg
import pytest

from core.platform import revocations
from core.platform.background import Outage
from core.platform.outages import DATABASE, DatabaseConnectionLost, outage_of
from core.platform.revocations import RevocationFeed, asyncpg_dsn
from tests.support.revocations import Recorder


def test_only_the_feeds_own_heartbeats_confirm_it() -> None:
    feed, other = RevocationFeed("postgresql+asyncpg://x@h/db"), RevocationFeed("postgresql+asyncpg://x@h/db")
    recorder = Recorder()
    feed.subscribe(recorder)
    other._received(None, 1, "darca_revocations", f"heartbeat:{other._token}:12.5")
    assert feed.confirmed_at == -math.inf  # another process's clock means nothing here
    feed._received(None, 1, "darca_revocations", f"heartbeat:{feed._token}:12.5")
    feed._received(None, 1, "darca_revocations", f"heartbeat:{feed._token}:11.0")  # never goes back
    assert feed.confirmed_at == 12.5 and recorder.subjects == []
    feed._received(None, 1, "darca_revocations", "session:ses_1")
    assert recorder.subjects == ["session:ses_1"]


def test_the_listener_connects_where_the_database_is() -> None:
    assert asyncpg_dsn("postgresql+asyncpg://app:secret@db:5433/darca?ssl=require") == \
        "postgresql://app:secret@db:5433/darca?ssl=require"
    assert asyncpg_dsn("sqlite+aiosqlite:///var/darca.db") is None


async def test_on_sqlite_there_is_nothing_to_listen_to() -> None:
    feed = RevocationFeed("sqlite+aiosqlite:///var/darca.db")
    feed.start()
    assert feed._task is None and feed.confirmed_at == -math.inf
    await feed.stop()


class _ConnectionCutMidHeartbeat:
    """What asyncpg hands back when the server died under the listener: its protocol is stuck mid-operation."""

    terminated = False

    async def add_listener(self, *_: object) -> None:
        return None

    def get_server_pid(self) -> int:
        return 4242

    async def execute(self, *_: object, **__: object) -> None:
        raise asyncpg.InternalClientError("cannot switch to state 12; another operation (2) is in progress")

    def terminate(self) -> None:
        self.terminated = True


async def test_a_listener_cut_mid_heartbeat_is_a_database_outage_not_a_bug(monkeypatch: pytest.MonkeyPatch) -> None:
    connection = _ConnectionCutMidHeartbeat()

    async def connect(*_: object, **__: object) -> _ConnectionCutMidHeartbeat:
        return connection

    monkeypatch.setattr(revocations.asyncpg, "connect", connect)
    feed = RevocationFeed("postgresql+asyncpg://x@h/db")
    with pytest.raises(DatabaseConnectionLost) as lost:
        await feed._listen(Outage("revocation-feed", base=0.2))
    assert outage_of(lost.value) == DATABASE  # logged as one outage line, no traceback
    assert connection.terminated and feed.server_pid is None
