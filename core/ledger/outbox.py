"""The outbox of a ledger unit of work: rows gathered in memory, written with one statement.

Same rows as `core.platform.outbox.OutboxWriter` (what varies per event; the relay rebuilds the
envelope), without an ORM object and a full envelope validation per event (together they cost
more than the rest of a transfer). Data from a generated model was validated when it was built;
the ledger's hot events come as JSON-ready dicts. Either way the envelope a row stands for is
validated against the contract the first time an event type appears (for dicts: with a given set
of fields) in the process; the tests validate every one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from core.platform.clock import utcnow
from core.platform.ids import new_id
from core.platform.outbox import envelope_of
from generated.asyncapi.publishers import EventType

_CHECKED: set[tuple[str, object]] = set()  # (event type, True for generated models or the data's fields)


_LAST: tuple[datetime | None, str] = (None, "")  # the last instant written (a unit's events share one)


def instant(value: datetime) -> str:
    """A timestamp as the generated models write it (UTC as `Z`)."""
    global _LAST
    last, text = _LAST
    if value is last:
        return text
    text = value.isoformat().replace("+00:00", "Z")
    _LAST = (value, text)
    return text


class BatchOutbox:
    """An `Emit` for the generated publishers; the unit of work writes what `take` gives, in
    emission order (the outbox sequence order, hence the per-account order of the relay)."""

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
