"""Async database engine and the unit of work: one transaction around each handler or job step.

Services never commit; `Database.unit_of_work()` commits when the block ends without error
and rolls back otherwise. The same code runs on SQLite (embedded default) and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.orm import ORMExecuteState, UOWTransaction
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.orm.session import Session as SyncSession


class _TrackedSession(SyncSession):
    """A session that remembers whether its unit of work wrote anything (`wrote`)."""


@event.listens_for(_TrackedSession, "do_orm_execute")
def _executed(state: ORMExecuteState) -> None:
    if not state.is_select:  # DML, and any textual statement (counted as a write, to be safe)
        state.session.info["wrote"] = True


@event.listens_for(_TrackedSession, "after_flush")
def _flushed(session: SyncSession, _flush: UOWTransaction) -> None:
    session.info["wrote"] = True


def wrote(session: AsyncSession) -> bool:
    """Did this unit of work write? A read-only request has nothing for the outbox relay to publish."""
    return bool(session.sync_session.info.get("wrote"))


def _prepare_sqlite_file(url: str) -> None:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)


# asyncpg re-prepares each statement of its own cache (the ledger's driver path, the pool's ping) every
# 300 s by default, hot or not, and each entry's expiry timer holds the entry in a reference cycle that
# only the collector frees: a wave of garbage and fresh prepared statements on every connection every
# five minutes, each one a step up in RSS (issue 23). The platform's statements are a fixed set, kept
# by the cache's size limit (LRU); 0 keeps them for the connection's life.
STATEMENT_LIFETIME = 0
POOL_SIZE = 30  # connections a process may hold (DARCA_DATABASE_POOL_SIZE)


def create_engine(url: str, *, pool_size: int = POOL_SIZE, pool_timeout: float = 5.0, connect_timeout: float = 5.0,
                  **kwargs: Any) -> AsyncEngine:
    """On PostgreSQL: a pool that checks a connection before lending it (`pool_pre_ping`), so the
    platform recovers by itself once a restarted database is back; a request that finds every
    connection busy for `pool_timeout`, or cannot connect within `connect_timeout`, fails (503,
    core/platform/outages.py) instead of hanging.

    Every connection the pool opens is kept (no overflow): with a few kept and more allowed "for
    bursts", a request and the background jobs beside it went past the kept ones several times a
    second at a modest load, and each connection opened for that moment was closed on return: a
    connection handshake and every statement prepared again for one request, and RSS stepping up
    as those allocations came and went (issue 23). The pool lends the connection returned last
    (LIFO): a steady load runs on the few it needs, which have every statement prepared, and the
    connections a burst opened wait aside. Lent in turn (FIFO), every one of them prepared every
    statement, rare ones too (a login's), and RSS rose by minutes as thirty caches filled."""
    if url.startswith("sqlite"):
        _prepare_sqlite_file(url)
        engine = create_async_engine(url, connect_args={"timeout": 30}, **kwargs)

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            # WAL lets readers run beside the writer; foreign keys are off by default in SQLite.
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    return create_async_engine(url, pool_size=pool_size, max_overflow=0, pool_use_lifo=True, pool_pre_ping=True,
                               pool_timeout=pool_timeout,
                               connect_args={"timeout": connect_timeout,
                                             "max_cached_statement_lifetime": STATEMENT_LIFETIME}, **kwargs)


class Database:
    def __init__(self, url: str, *, pool_size: int = POOL_SIZE, pool_timeout: float = 5.0,
                 connect_timeout: float = 5.0) -> None:
        self.url = url
        self.engine = create_engine(url, pool_size=pool_size, pool_timeout=pool_timeout, connect_timeout=connect_timeout)
        self.sessions = async_sessionmaker(self.engine, class_=AsyncSession, sync_session_class=_TrackedSession,
                                           expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[AsyncSession]:
        async with self.sessions() as session, session.begin():
            yield session

    async def ping(self) -> None:
        async with self.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()
