"""Tables of sessions: signing keys, sessions and their refresh tokens."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from core.platform.tables import utc_column


class SigningKeyRow(SQLModel, table=True):
    """An access-token signing key. Retired keys stay published until their tokens have expired."""

    __tablename__ = "identity_signing_keys"

    kid: str = Field(primary_key=True, max_length=40)
    algorithm: str = Field(max_length=10)
    private_pem: str  # not encrypted at rest yet (see the report of issue 3)
    public_pem: str
    created_at: datetime = Field(sa_column=utc_column())
    retired_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))


class SessionRow(SQLModel, table=True):
    """A login session: the family of refresh tokens issued from one login."""

    __tablename__ = "identity_sessions"

    id: str = Field(primary_key=True, max_length=40)
    user_id: str = Field(max_length=40, index=True)
    aal: str = Field(max_length=4)
    created_at: datetime = Field(sa_column=utc_column())
    last_used_at: datetime = Field(sa_column=utc_column())
    revoked_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    revoked_reason: str | None = Field(default=None, max_length=40)
    device_id: str | None = Field(default=None, max_length=40, index=True)  # identity_devices.id


class RefreshTokenRow(SQLModel, table=True):
    """A refresh token, by its SHA-256; `used_at` set once it was exchanged."""

    __tablename__ = "identity_refresh_tokens"

    token_hash: str = Field(primary_key=True, max_length=64)
    session_id: str = Field(max_length=40, index=True)
    created_at: datetime = Field(sa_column=utc_column())
    used_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
