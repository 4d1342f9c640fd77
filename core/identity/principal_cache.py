"""What a credential resolved to, kept in memory so a valid access token or API key costs no database
round trip (ADR 0015). Every revocation is announced (`core.platform.revocations`) and drops the
entry in every process; an entry the revocation feed no longer vouches for is read again, and `TTL`
bounds any entry's life as a safety net. A revoked credential stays revoked, so
that answer is kept whatever the channel says.

Subjects name what a revocation covers: one session, every session of a user, one API key.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from cachetools import TTLCache
from prometheus_client import Counter
from sqlmodel.ext.asyncio.session import AsyncSession

from core.platform.observability import REGISTRY
from core.platform.revocations import RevocationFeed, announce, subscribe_locally

TTL = 30.0  # seconds: even a vouched-for entry is read again after this
MAXSIZE = 20_000  # entries per cache (least recently used go first)

LOOKUPS = Counter("darca_auth_lookups", "Credential checks by kind (bearer, api_key) and where they were answered "
                  "(cache, database).", ["kind", "source"], registry=REGISTRY)

V = TypeVar("V")


_USER = "user:"


def session_subject(session_id: str) -> str:
    return f"session:{session_id}"


def user_subject(user_id: str) -> str:
    return f"{_USER}{user_id}"


def api_key_subject(key_id: str) -> str:
    return f"api_key:{key_id}"


async def session_revoked(session: AsyncSession, session_id: str) -> None:
    await announce(session, session_subject(session_id))


async def sessions_of_user_revoked(session: AsyncSession, user_id: str) -> None:
    await announce(session, user_subject(user_id))


async def api_key_revoked(session: AsyncSession, key_id: str) -> None:
    await announce(session, api_key_subject(key_id))


@dataclass(frozen=True, slots=True)
class Ticket:
    """Taken before a database read: the entry it yields is kept only if nothing was revoked meanwhile."""

    epoch: int
    read_at: float


@dataclass(frozen=True, slots=True)
class _Entry(Generic[V]):
    value: V
    read_at: float
    owner: str | None  # a broader subject that also covers this entry (the session's user)
    final: bool  # revoked: true for ever, served whatever the channel says


class PrincipalCache(Generic[V]):
    def __init__(self, kind: str, feed: RevocationFeed, *, maxsize: int = MAXSIZE, ttl: float = TTL) -> None:
        self.feed = feed
        self.epoch = 0  # moves on every revocation: a read that started before it is not kept
        self._entries: TTLCache[str, _Entry[V]] = TTLCache(maxsize, ttl, timer=feed.timer)
        self._hits = LOOKUPS.labels(kind, "cache")
        self._reads = LOOKUPS.labels(kind, "database")
        subscribe_locally(self)
        feed.subscribe(self)

    def get(self, subject: str) -> V | None:
        """The cached value, if it can be trusted now; None means: read the database."""
        entry = self._entries.get(subject)
        if entry is None or not (entry.final or self.feed.vouches_for(entry.read_at)):
            return None
        self._hits.inc()
        return entry.value

    def ticket(self) -> Ticket:
        self._reads.inc()
        return Ticket(self.epoch, self.feed.timer())

    def put(self, subject: str, value: V, ticket: Ticket, *, owner: str | None = None, final: bool = False) -> None:
        if final or ticket.epoch == self.epoch:
            self._entries[subject] = _Entry(value, ticket.read_at, owner, final)

    def revoked(self, subjects: Iterable[str]) -> None:
        self.epoch += 1
        for subject in subjects:
            self._entries.pop(subject, None)
            if not subject.startswith(_USER):  # only a user subject is an owner: the rest name one entry
                continue
            for key in [key for key, entry in self._entries.items() if entry.owner == subject]:
                self._entries.pop(key, None)

    def clear(self) -> None:
        self.epoch += 1
        self._entries.clear()
