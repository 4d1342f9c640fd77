"""The one place the platform reads the time (UTC, timezone-aware)."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """Databases without time zones (SQLite) hand back naive datetimes that are UTC."""
    if value.tzinfo is UTC:
        return value  # what astimezone(UTC) gives back, without the call
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
