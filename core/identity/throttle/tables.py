"""The throttle table: failed attempts per key."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from core.platform.tables import utc_column


class ThrottleRow(SQLModel, table=True):
    """Failed attempts against one key (a normalised login identifier, a client address, ...)."""

    __tablename__ = "identity_throttles"

    key: str = Field(primary_key=True, max_length=300)
    failures: int = 0
    locked_until: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    updated_at: datetime = Field(sa_column=utc_column())
