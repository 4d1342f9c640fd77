"""The one place the platform reads the time (UTC, timezone-aware)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class Clock:
    """Wall time plus an offset. Production never moves it; tests `advance` it so that waits (hold expiry,
    throttles, provider delays, retry back-off) are passed instead of slept through."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, delta: timedelta) -> None:
        self.offset += delta

    def reset(self) -> None:
        self.offset = timedelta(0)


CLOCK = Clock()


def utcnow() -> datetime:
    return CLOCK.now()


def as_utc(value: datetime) -> datetime:
    """Databases without time zones (SQLite) hand back naive datetimes that are UTC."""
    if value.tzinfo is UTC:
        return value  # what astimezone(UTC) gives back, without the call
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
