"""Transactional outbox: events are rows written beside the state change, then relayed in order.

`OutboxWriter` is the `Emit` the generated publishers call, adding each event to the unit of
work's session; `BatchOutbox` is its bulk path, gathering the same rows in memory for a writer
that inserts them with one statement (the ledger's units of work). `OutboxRelay` publishes pending
rows in sequence order (hence in order per aggregate) and marks them published only after
the bus confirmed them: delivery is at least once, and nothing is lost if the broker is down.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import structlog
from pydantic import BaseModel
from sqlalchemy import bindparam, select, text, update
from sqlmodel.ext.asyncio.session import AsyncSession

from generated.asyncapi.publishers import EVENT_TYPES, EventType, Publishers

from .background import Outage, raise_if_stopping, stop_job, stopping
from .bus import EventBus
from .clock import as_utc, utcnow
from .db import Database
from .ids import new_id
from .observability import EVENTS_PUBLISHED
from .tables import OutboxEvent

log = structlog.get_logger("darca.outbox")

SOURCE = "/darca/core"
RELAY_LOCK_ID = 0x44415243  # "DARC": one relay at a time across API processes (PostgreSQL)

# The relay's writes, built once: a statement built per pass leaves reference cycles (SQLAlchemy's
# expressions memoize their comparators) that only the collector frees, and every commit wakes a pass.
_O = OutboxEvent.__table__
_MARK_PUBLISHED = (update(_O).where(_O.c.sequence.in_(bindparam("sent", expanding=True)))
                   .values(published_at=bindparam("at"), attempts=_O.c.attempts + 1, last_error=None))
_MARK_FAILED = (update(_O).where(_O.c.sequence == bindparam("failed"))
                .values(attempts=_O.c.attempts + 1, last_error=bindparam("error")))


class OutboxWriter:
    """Adds events to the session of the current unit of work."""

    def __init__(self, session: AsyncSession, traceparent: str | None = None) -> None:
        self.session = session
        self.traceparent = traceparent

    def __call__(self, event_type: EventType, data: BaseModel, *, subject: str, partition_key: str) -> None:
        row = OutboxEvent(event_id=new_id("evt"), event_type=event_type.type, partition_key=partition_key,
                          subject=subject, data=data.model_dump(mode="json", by_alias=True),
                          traceparent=self.traceparent, created_at=utcnow())
        # Validate the envelope the relay will publish against the contract before it can ever leave the building.
        event_type.envelope_model.model_validate(envelope_of(row))
        self.session.add(row)


_CHECKED: set[tuple[str, object]] = set()  # (event type, True for generated models or the data's fields)
_LAST: tuple[datetime | None, str] = (None, "")  # the last instant written (a unit's events share one)


def instant(value: datetime) -> str:
    """A timestamp as the generated models write it (UTC as `Z`)."""
    global _LAST
    last, text_ = _LAST
    if value is last:
        return text_
    text_ = value.isoformat().replace("+00:00", "Z")
    _LAST = (value, text_)
    return text_


class BatchOutbox:
    """The bulk path: the same rows as `OutboxWriter` (what varies per event; the relay rebuilds
    the envelope), gathered in memory for a unit of work that writes what `take` gives with one
    statement, in emission order (the outbox sequence order, hence the per-aggregate order of the
    relay). Without an ORM object and a full envelope validation per event, which together cost
    more than the rest of a ledger transfer: data from a generated model was validated when it was
    built, and the envelope a row stands for is validated against the contract the first time an
    event type appears (for dicts: with a given set of fields) in the process; the tests validate
    every one."""

    def __init__(self, traceparent: str | None = None, clock: Callable[[], datetime] = utcnow) -> None:
        """`clock`: the unit of work's instant, so its events carry the time of the change they announce."""
        self.traceparent = traceparent
        self.clock = clock
        self.rows: list[dict[str, Any]] = []

    def __call__(self, event_type: EventType, data: BaseModel, *, subject: str, partition_key: str) -> None:
        self.emit_json(event_type, data.model_dump(mode="json", by_alias=True), subject=subject,
                       partition_key=partition_key, checked=isinstance(data, event_type.data_model))

    def emit_json(self, event_type: EventType, data: dict[str, Any], *, subject: str, partition_key: str,
                  checked: bool = False) -> None:
        """`data` as the contract's JSON. Unless it comes from a generated model, the envelope is
        validated the first time each event type appears with a given set of fields."""
        now = self.clock()
        row = {"event_id": new_id("evt"), "event_type": event_type.type, "partition_key": partition_key, "subject": subject,
               "data": data, "traceparent": self.traceparent, "created_at": now, "published_at": None, "attempts": 0,
               "last_error": None}
        shape = (event_type.type, checked or tuple(data))
        if shape not in _CHECKED:  # the envelope the relay will build from this row
            event_type.envelope_model.model_validate(envelope_of(row))
            _CHECKED.add(shape)
        self.rows.append(row)

    def take(self) -> list[dict[str, Any]]:
        rows, self.rows = self.rows, []
        return rows


def envelope_of(row: Any) -> dict[str, Any]:
    """The CloudEvents envelope of an outbox row (an `OutboxEvent` or a mapping of its columns).
    A row keeps only what varies; the rest follows from the event type, so every event does not
    store (and write) the same constants again. Raises KeyError for a type the contract lacks."""
    get = row.__getitem__ if isinstance(row, Mapping) else row.__getattribute__
    event_type = EVENT_TYPES[get("event_type")]
    envelope: dict[str, Any] = {
        "specversion": "1.0",
        "id": get("event_id"),
        "source": SOURCE,
        "type": event_type.type,
        "subject": get("subject"),
        "time": as_utc(get("created_at")).isoformat().replace("+00:00", "Z"),
        "datacontenttype": "application/json",
        "dataschema": event_type.dataschema,
        "dataversion": event_type.dataversion,
        "partitionkey": get("partition_key"),
        "data": get("data"),
    }
    traceparent = get("traceparent")
    if traceparent:
        envelope["traceparent"] = traceparent
    return envelope


def publishers_for(session: AsyncSession, traceparent: str | None = None) -> Publishers:
    return Publishers(OutboxWriter(session, traceparent))


class OutboxRelay:
    """Moves committed outbox rows to the bus, oldest first."""

    def __init__(self, db: Database, bus: EventBus, *, batch_size: int = 200, poll_seconds: float = 0.5) -> None:
        self.db = db
        self.bus = bus
        self.batch_size = batch_size
        self.poll_seconds = poll_seconds
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self.publish_error: Exception | None = None  # why the last pass stopped short, if it did
        self.outage = Outage("outbox-relay", base=poll_seconds, cap=10.0)
        self._pending = (select(OutboxEvent)
                         .where(OutboxEvent.published_at.is_(None))  # type: ignore[union-attr]
                         .order_by(OutboxEvent.sequence)  # type: ignore[arg-type]
                         .limit(batch_size))

    def notify(self) -> None:
        """Something was committed: publish now instead of at the next poll."""
        self._wake.set()

    async def relay_once(self) -> int:
        """Publish one batch; returns how many events went out. Stops at the first failure (kept in
        `publish_error`)."""
        self.publish_error = None
        async with self.db.unit_of_work() as session:
            rows = (await session.execute(self._pending)).scalars().all()
        sent: list[int] = []
        try:
            for row in rows:
                try:
                    envelope = envelope_of(row)
                    envelope["sequence"] = row.sequence
                    await self.bus.publish(envelope)
                except Exception as exc:  # broker down (or a type gone from the contract): keep the row, keep the order
                    async with self.db.unit_of_work() as session:
                        await session.execute(_MARK_FAILED, {"failed": row.sequence, "error": str(exc)[:1000]})
                    # Not a warning per attempt: the run's Outage logs the start and the end of it.
                    log.debug("outbox.publish_failed", event_id=row.event_id, error=str(exc))
                    self.publish_error = exc
                    break
                sent.append(row.sequence)  # type: ignore[arg-type]
                EVENTS_PUBLISHED.labels(row.event_type).inc()
        finally:
            # One write for the whole batch; a crash before it means re-publishing (at least once).
            if sent:
                async with self.db.unit_of_work() as session:
                    await session.execute(_MARK_PUBLISHED, {"sent": sent, "at": utcnow()})
        return len(sent)

    async def pending(self) -> int:
        async with self.db.unit_of_work() as session:
            result = await session.execute(
                text("SELECT count(*) FROM outbox_events WHERE published_at IS NULL")
            )
            return int(result.scalar_one())

    async def run(self) -> None:
        while not self._stopping and not stopping():
            async with self._leadership() as leader:
                while leader and not self._stopping and not stopping():
                    try:
                        sent = await self.relay_once()
                    except Exception as exc:  # database down: back off, then take the leadership anew
                        raise_if_stopping()  # (a restarted server no longer holds the old connection's lock)
                        await self._sleep(self.outage.failed(exc))
                        break
                    if self.publish_error is not None:
                        self.outage.failed(self.publish_error)  # broker down: back off, go on
                    else:
                        self.outage.succeeded()
                    if sent >= self.batch_size:
                        continue
                    await self._sleep(self.outage.delay)
                if not leader:
                    await self._sleep(max(self.outage.delay, 1.0))

    @contextlib.asynccontextmanager
    async def _leadership(self):  # type: ignore[no-untyped-def]
        """On PostgreSQL only one relay publishes (an advisory lock), so order holds across processes."""
        if self.db.dialect != "postgresql":
            yield True
            return
        try:
            connection = await self.db.engine.connect()
        except Exception as exc:
            raise_if_stopping()
            self.outage.failed(exc)
            yield False
            return
        try:
            try:
                got = (await connection.execute(text(f"SELECT pg_try_advisory_lock({RELAY_LOCK_ID})"))).scalar_one()
                await connection.commit()
            except Exception as exc:  # the database went away between connecting and asking: an outage
                raise_if_stopping()
                self.outage.failed(exc)
                got = False
            yield bool(got)
        finally:
            with contextlib.suppress(Exception):
                await connection.execute(text(f"SELECT pg_advisory_unlock({RELAY_LOCK_ID})"))
                await connection.commit()
            with contextlib.suppress(Exception):  # a connection the server dropped may not close cleanly
                await connection.close()

    async def _sleep(self, seconds: float) -> None:
        """Until woken or `seconds` passed. A commit notified during the previous pass leaves the event
        set, so the next pass follows at once (clearing it before waiting would lose that wake-up)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=seconds)
        self._wake.clear()

    def start(self) -> None:
        self._stopping = False
        self._task = asyncio.create_task(self.run(), name="outbox-relay")

    async def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        await stop_job(self._task)
        self._task = None
