"""Revocations reach the credential caches of every process (ADR 0015).

`announce(session, subject)` is called by the unit of work that revokes something (a session, all of
a user's sessions, an API key). After that unit commits, the caches of this process drop the subject
at once (SQLAlchemy's `after_commit`, before the response leaves); on PostgreSQL the same call is a
`pg_notify` in the transaction, which PostgreSQL delivers only if and when it commits, to every
listening process, in commit order.

`RevocationFeed` is one process's listener: a connection of its own that LISTENs and passes what it
hears to its caches. It also sends itself a heartbeat on the channel every `heartbeat` seconds.
Notifications arrive in commit order, so a heartbeat sent at instant t that came back proves that
every revocation committed before t has been applied: `confirmed_at` is that t. A cache serves an
entry only while the feed `vouches_for` it: less than `stale_after` has passed since the later of the
entry's own read and `confirmed_at`. A listener that is cut off, or silently stuck, makes the caches
fall back to the database within that bound instead of missing a revocation. After every (re)subscription
the caches are emptied: whatever was revoked while nobody listened is read again.
"""

from __future__ import annotations

import asyncio
import math
import secrets
import time
import weakref
from collections.abc import Callable, Iterable
from typing import Any, Protocol

import asyncpg
import structlog
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, SessionTransaction
from sqlmodel.ext.asyncio.session import AsyncSession

from .background import Outage, raise_if_stopping, stop_job, stopping
from .outages import DatabaseConnectionLost

log = structlog.get_logger("darca.revocations")

CHANNEL = "darca_revocations"
APPLICATION_NAME = "darca-revocations"  # how the listener's connection shows in pg_stat_activity
HEARTBEAT = 0.2  # seconds between heartbeats; well inside the staleness bound
STALE_AFTER = 0.8  # seconds: the most a revocation the channel lost can go unnoticed (target: 1 s)
_HEARTBEAT_PREFIX = "heartbeat:"
_PENDING = "darca.revocations"  # Session.info key: subjects revoked by the open transaction


class RevocationSubscriber(Protocol):
    def revoked(self, subjects: Iterable[str]) -> None: ...

    def clear(self) -> None: ...


# Every cache of the process, for the in-process path (several runtimes share a process in tests:
# each cache drops what any of them revoked, which is only ever too much, never too little).
_LOCAL: weakref.WeakSet[Any] = weakref.WeakSet()


def subscribe_locally(subscriber: RevocationSubscriber) -> None:
    _LOCAL.add(subscriber)


async def announce(session: AsyncSession, subject: str) -> None:
    """`subject` is revoked by the current unit of work: every process's caches drop it once it commits."""
    session.info.setdefault(_PENDING, []).append(subject)
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("SELECT pg_notify(:channel, :subject)"), {"channel": CHANNEL, "subject": subject})


def deliver(subjects: Iterable[str]) -> None:
    """Tell every cache of this process that `subjects` were revoked."""
    subjects = list(subjects)
    for subscriber in list(_LOCAL):
        subscriber.revoked(subjects)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    subjects = session.info.pop(_PENDING, None)
    if subjects:
        deliver(subjects)


@event.listens_for(Session, "after_transaction_end")
def _ended(session: Session, transaction: SessionTransaction) -> None:
    # the outer transaction ended: a commit has delivered them already; after a rollback nothing happened
    if transaction.parent is None:
        session.info.pop(_PENDING, None)


def asyncpg_dsn(database_url: str) -> str | None:
    """The URL asyncpg connects with, or None when the database is not PostgreSQL."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        return None
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


class RevocationFeed:
    """The listener of one process (on PostgreSQL; on SQLite there is nothing to listen to, every
    process being alone with its file, and `confirmed_at` stays -inf)."""

    def __init__(self, database_url: str, *, stale_after: float = STALE_AFTER, heartbeat: float = HEARTBEAT,
                 timer: Callable[[], float] = time.monotonic) -> None:
        self.dsn = asyncpg_dsn(database_url)
        self.stale_after = stale_after
        self.heartbeat = heartbeat
        self.timer = timer
        self.confirmed_at = -math.inf
        self.server_pid: int | None = None  # the listening backend, while connected
        self._subscribers: list[RevocationSubscriber] = []
        self._token = secrets.token_hex(8)  # tells this feed's heartbeats from other processes'
        self._task: asyncio.Task[None] | None = None

    def subscribe(self, subscriber: RevocationSubscriber) -> None:
        self._subscribers.append(subscriber)

    def vouches_for(self, read_at: float) -> bool:
        """Whether what a cache read from the database at `read_at` (on `timer`) may still be served."""
        return self.timer() - max(read_at, self.confirmed_at) < self.stale_after

    def start(self) -> None:
        if self.dsn is not None and self._task is None:
            self._task = asyncio.create_task(self._run(), name="revocation-feed")

    async def stop(self) -> None:
        await stop_job(self._task)
        self._task = None

    async def _run(self) -> None:
        outage = Outage("revocation-feed", base=self.heartbeat, cap=5.0)
        while not stopping():
            try:
                await self._listen(outage)
            except Exception as exc:
                raise_if_stopping()
                await asyncio.sleep(outage.failed(exc))

    async def _listen(self, outage: Outage) -> None:
        connection = await asyncpg.connect(self.dsn, timeout=5, server_settings={"application_name": APPLICATION_NAME})
        try:
            await connection.add_listener(CHANNEL, self._received)
            self.server_pid = connection.get_server_pid()
            for subscriber in self._subscribers:  # what was revoked while nobody listened is read again
                subscriber.clear()
            outage.succeeded()
            while True:
                sent = self.timer()
                try:
                    # a stuck connection times out here rather than confirming nothing forever
                    await connection.execute("SELECT pg_notify($1, $2)", CHANNEL,
                                             f"{_HEARTBEAT_PREFIX}{self._token}:{sent!r}", timeout=2)
                except asyncpg.InternalClientError as exc:
                    # The server died under the heartbeat and asyncpg saw the protocol cut mid-operation
                    # ("another operation is in progress"): nothing else uses this connection, so it is lost.
                    raise DatabaseConnectionLost("the revocation listener's connection was lost") from exc
                await asyncio.sleep(self.heartbeat)
        finally:
            self.server_pid = None
            connection.terminate()

    def _received(self, _connection: object, _pid: int, _channel: str, payload: str) -> None:
        if payload.startswith(_HEARTBEAT_PREFIX):
            token, _, sent = payload[len(_HEARTBEAT_PREFIX):].partition(":")
            if token == self._token:
                self.confirmed_at = max(self.confirmed_at, float(sent))
            return
        for subscriber in self._subscribers:
            subscriber.revoked((payload,))
