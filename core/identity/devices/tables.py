"""Table of DARCA ID devices: the installations a user's sessions are bound to."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from core.platform.tables import utc_column


class DeviceRow(SQLModel, table=True):
    """One device of one user. `key_hash` is SHA-256 of (user id, client device id): unique while the
    device is live and cleared on revocation, so the same installation later becomes a new device."""

    __tablename__ = "identity_devices"

    id: str = Field(primary_key=True, max_length=40)
    user_id: str = Field(max_length=40, index=True)
    key_hash: str | None = Field(default=None, max_length=64, unique=True)
    name: str | None = Field(default=None, max_length=100)
    user_agent: str | None = Field(default=None, max_length=255)
    last_client_address: str | None = Field(default=None, max_length=64)
    enrolment: bool = False  # the first device of a brand-new user: no alert, no step-up for being new
    first_seen_at: datetime = Field(sa_column=utc_column())
    last_seen_at: datetime = Field(sa_column=utc_column())
    trusted_until: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    revoked_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
