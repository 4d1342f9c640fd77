"""Telling an outage of a dependency (the database, the broker) from a bug.

A request that fails because PostgreSQL is restarting, the pool has no free connection or the broker
is gone is not a server bug: the caller gets `503` with `Retry-After` and a stable code, and the
log gets one warning line, not a traceback. `outage_of` is the one judgement, used by the HTTP and
gRPC error renderers and by the background jobs.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from types import TracebackType

from sqlalchemy import exc as sa

from .brokers import BrokerUnavailable
from .problems import ProblemError

DATABASE = "DATABASE"
BROKER = "BROKER"
DEPENDENCY = "DEPENDENCY"
RETRY_AFTER_SECONDS = 2

# SQLSTATE classes of a lost or refused server: 08 connection exception, 57 operator
# intervention (shutdown, crash, starting up), 53 insufficient resources (too many connections).
_OUTAGE_SQLSTATE_CLASSES = ("08", "57", "53")
_SQLITE_OUTAGES = ("database is locked", "unable to open database file", "disk i/o error")
_DATABASE_MODULES = ("sqlalchemy.", "asyncpg.", "aiosqlite.")


class DatabaseConnectionLost(ConnectionError):
    """A connection of our own (a listener's, not the pool's) that the server dropped under an operation."""


def _chain(error: BaseException) -> Iterator[BaseException]:
    """The error, what it wraps (`orig`) and what caused it, once each."""
    seen: set[int] = set()
    pending = [error]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        pending += [e for e in (getattr(current, "orig", None), current.__cause__, current.__context__)
                    if isinstance(e, BaseException)]


def _raised_in_database_driver(traceback: TracebackType | None) -> bool:
    while traceback is not None:
        module = traceback.tb_frame.f_globals.get("__name__", "")
        if module.startswith(_DATABASE_MODULES):
            return True
        traceback = traceback.tb_next
    return False


def _kind(error: BaseException) -> str | None:
    if isinstance(error, BrokerUnavailable):
        return BROKER
    if isinstance(error, DatabaseConnectionLost):
        return DATABASE
    if isinstance(error, sa.TimeoutError | sa.DisconnectionError):  # pool exhausted / connection lost
        return DATABASE
    if isinstance(error, sa.DBAPIError) and error.connection_invalidated:
        return DATABASE
    sqlstate = getattr(error, "sqlstate", None)
    if isinstance(sqlstate, str) and sqlstate[:2] in _OUTAGE_SQLSTATE_CLASSES:
        return DATABASE
    if isinstance(error, sqlite3.OperationalError) and str(error).lower().startswith(_SQLITE_OUTAGES):
        return DATABASE
    if type(error).__module__.startswith("asyncpg") and "connection" in type(error).__name__.lower():
        return DATABASE  # asyncpg's own client-side errors on a closed connection
    if type(error).__module__.startswith("asyncpg") and "connection is closed" in str(error):
        return DATABASE  # asyncpg's InterfaceError on a connection the server dropped (a raw listener's)
    if isinstance(error, OSError):  # refused, reset, timed out: a connect attempt of the pool, or another service
        return DATABASE if _raised_in_database_driver(error.__traceback__) else DEPENDENCY
    return None


def outage_of(error: BaseException) -> str | None:
    """DATABASE, BROKER or DEPENDENCY when `error` means that dependency is unreachable; None otherwise."""
    kinds = {kind for e in _chain(error) if (kind := _kind(e)) is not None}
    for kind in (DATABASE, BROKER, DEPENDENCY):
        if kind in kinds:
            return kind
    return None


_WHAT = {
    DATABASE: "The database is not reachable right now (restarting, or every connection busy)",
    BROKER: "The event broker is not reachable right now",
    DEPENDENCY: "A service this operation depends on is not reachable right now",
}


def unavailable(kind: str) -> ProblemError:
    return ProblemError(503, f"{kind}_UNAVAILABLE", "Service unavailable",
                        f"{_WHAT[kind]}. Retry after the delay in Retry-After; a retry with the same "
                        "Idempotency-Key takes effect at most once.",
                        headers={"Retry-After": str(RETRY_AFTER_SECONDS)}, settles_request=False)


def outage_problem(error: BaseException) -> ProblemError | None:
    """The 503 answer for an outage, or None when `error` is something else (a bug: 500)."""
    kind = outage_of(error)
    return None if kind is None else unavailable(kind)
