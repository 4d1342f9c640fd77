"""Idempotency-Key handling (DESIGN §4), stored in the database (ADR 0014).

On PostgreSQL (`transactional`) the key is claimed inside the request's own unit of work: `hold`
takes a transaction-scoped advisory lock on (scope, key) and reads the stored response, and
`store` writes the response in the same transaction. The lock lives exactly as long as the
request's transaction: a second attempt while the first runs is refused (`IDEMPOTENCY_KEY_IN_USE`),
and an attempt that died with its process, its connection or the database leaves the key free at
once, since nothing of it was committed.

On SQLite, which has no such lock, `begin` claims the key in its own short transaction (an
IN_FLIGHT row), `complete` stores the response inside the caller's unit of work, and an attempt
that died keeps the key until `lock` has passed.

Either way the response is kept exactly when the state change is. A business refusal is stored
too: a failed attempt stays failed. A request refused before it executed (invalid input, a rate
limit, an outage: `ProblemError.stored_for_idempotency`) and an unexpected error leave the key
free, since nothing was committed and a retry is safe.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from .clock import as_utc, utcnow
from .db import Database
from .problems import ProblemError, conflict, unprocessable
from .tables import IdempotencyRecord

IN_FLIGHT = "IN_FLIGHT"
COMPLETED = "COMPLETED"


@dataclass(frozen=True)
class StoredResponse:
    status: int
    body: str
    headers: dict[str, str]


def fingerprint(operation_id: str, path: str, body: Any) -> str:
    """Same operation, same target and same JSON content give the same fingerprint."""
    canonical = json.dumps({"op": operation_id, "path": path, "body": body}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def lock_id(scope: str, key: str) -> int:
    """The advisory lock of a key: a signed 64-bit hash of (scope, key). Two keys sharing one would
    only make one of them wait for the other's 409 (odds 2**-64 per pair in flight)."""
    digest = hashlib.sha256(f"idempotency\x00{scope}\x00{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def in_use() -> ProblemError:
    return conflict("IDEMPOTENCY_KEY_IN_USE", "A request with this Idempotency-Key is still being processed; retry shortly.")


def reused() -> ProblemError:
    return unprocessable("IDEMPOTENCY_KEY_REUSED", "This Idempotency-Key was already used for a different request; use a new key.")


class IdempotencyService:
    def __init__(self, db: Database, *, retention: timedelta, lock: timedelta) -> None:
        self.db = db
        self.retention = retention
        self.lock = lock

    @property
    def transactional(self) -> bool:
        """Whether keys are held by the request's own transaction (PostgreSQL) rather than a timed lock."""
        return self.db.dialect == "postgresql"

    async def hold(self, session: AsyncSession, scope: str, key: str, operation_id: str,
                   request_hash: str) -> StoredResponse | None:
        """PostgreSQL: claim the key for the transaction of `session` (None), or return the stored
        response to replay; raise when refused. Call it first in the unit of work."""
        locked = await session.execute(text("SELECT pg_try_advisory_xact_lock(:id)"), {"id": lock_id(scope, key)})
        if not locked.scalar_one():
            raise in_use()
        # A statement of its own, after the lock: its snapshot sees what the previous holder committed.
        record = (
            await session.execute(
                select(IdempotencyRecord).where(IdempotencyRecord.scope == scope, IdempotencyRecord.key == key)
            )
        ).scalar_one_or_none()
        if record is None:
            return None
        now = utcnow()
        if as_utc(record.expires_at) > now:
            if record.request_hash != request_hash or record.operation_id != operation_id:
                raise reused()
            if record.state == COMPLETED:
                return StoredResponse(record.status_code or 200, record.response_body or "", record.response_headers or {})
            if as_utc(record.locked_until) > now:
                raise in_use()  # claimed with a timed lock (a process of the previous release)
        await session.delete(record)
        await session.flush()
        return None

    async def store(self, session: AsyncSession, scope: str, key: str, operation_id: str, request_hash: str,
                    response: StoredResponse) -> None:
        """PostgreSQL: keep the response of a key claimed with `hold`, in the same transaction."""
        now = utcnow()
        session.add(
            IdempotencyRecord(
                scope=scope, key=key, operation_id=operation_id, request_hash=request_hash, state=COMPLETED,
                status_code=response.status, response_body=response.body, response_headers=response.headers,
                created_at=now, locked_until=now, expires_at=now + self.retention,
            )
        )

    async def begin(self, scope: str, key: str, operation_id: str, request_hash: str) -> StoredResponse | None:
        """SQLite: claim the key in a transaction of its own (None), or return the stored response to
        replay; raise when refused."""
        for _ in range(3):
            now = utcnow()
            try:
                async with self.db.unit_of_work() as session:
                    session.add(
                        IdempotencyRecord(
                            scope=scope, key=key, operation_id=operation_id, request_hash=request_hash,
                            state=IN_FLIGHT, created_at=now, locked_until=now + self.lock,
                            expires_at=now + self.retention,
                        )
                    )
                return None
            except IntegrityError:
                pass
            async with self.db.unit_of_work() as session:
                record = (
                    await session.execute(
                        select(IdempotencyRecord).where(IdempotencyRecord.scope == scope, IdempotencyRecord.key == key)
                    )
                ).scalar_one_or_none()
                if record is None:
                    continue  # purged meanwhile: claim again
                if as_utc(record.expires_at) <= now:
                    await session.delete(record)
                    continue
                if record.request_hash != request_hash or record.operation_id != operation_id:
                    raise reused()
                if record.state == COMPLETED:
                    return StoredResponse(record.status_code or 200, record.response_body or "", record.response_headers or {})
                if as_utc(record.locked_until) > now:
                    raise in_use()
                # The first attempt died without finishing (nothing committed): take the key over.
                result = await session.execute(
                    update(IdempotencyRecord)
                    .where(
                        IdempotencyRecord.scope == scope,
                        IdempotencyRecord.key == key,
                        IdempotencyRecord.state == IN_FLIGHT,
                        IdempotencyRecord.locked_until == record.locked_until,
                    )
                    .values(locked_until=now + self.lock)
                )
                if result.rowcount == 1:
                    return None
        raise conflict("IDEMPOTENCY_KEY_IN_USE", "A request with this Idempotency-Key is still being processed.")

    async def complete(self, session: AsyncSession, scope: str, key: str, response: StoredResponse) -> None:
        """Store the response in the caller's transaction."""
        await session.execute(
            update(IdempotencyRecord)
            .where(IdempotencyRecord.scope == scope, IdempotencyRecord.key == key)
            .values(state=COMPLETED, status_code=response.status, response_body=response.body,
                    response_headers=response.headers)
        )

    async def fail(self, scope: str, key: str, problem: ProblemError, body: str) -> None:
        """A business refusal stays the answer for this key."""
        async with self.db.unit_of_work() as session:
            await self.complete(session, scope, key, StoredResponse(problem.status, body, dict(problem.headers)))

    async def release(self, scope: str, key: str) -> None:
        async with self.db.unit_of_work() as session:
            await session.execute(
                delete(IdempotencyRecord).where(
                    IdempotencyRecord.scope == scope, IdempotencyRecord.key == key, IdempotencyRecord.state == IN_FLIGHT
                )
            )

    async def purge_expired(self) -> int:
        async with self.db.unit_of_work() as session:
            result = await session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.expires_at <= utcnow()))
            return result.rowcount or 0
