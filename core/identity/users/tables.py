"""Tables of DARCA ID users: accounts, verification codes, colliding registrations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from core.platform.tables import utc_column


class UserRow(SQLModel, table=True):
    __tablename__ = "identity_users"

    id: str = Field(primary_key=True, max_length=40)
    phone: str = Field(max_length=20, unique=True)  # E.164
    email: str = Field(max_length=254)
    email_normalised: str = Field(max_length=254, unique=True)  # lower-cased: one account per mailbox
    display_name: str = Field(max_length=100)
    country: str = Field(max_length=2)
    locale: str = Field(max_length=5)
    password_hash: str = Field(max_length=255)
    status: str = Field(max_length=24)
    phone_verified: bool = False
    email_verified: bool = False
    created_at: datetime = Field(sa_column=utc_column())
    updated_at: datetime = Field(sa_column=utc_column())
    version: int = Field(default=1)


class VerificationCodeRow(SQLModel, table=True):
    """The one live code per user and channel; a resend replaces it."""

    __tablename__ = "identity_verification_codes"
    __table_args__ = (UniqueConstraint("user_id", "channel"),)

    id: str = Field(primary_key=True, max_length=40)
    user_id: str = Field(max_length=40, index=True)
    channel: str = Field(max_length=10)
    code_hash: str = Field(max_length=128)
    attempts_left: int
    sent_at: datetime = Field(sa_column=utc_column())
    expires_at: datetime = Field(sa_column=utc_column())


class CollidingRegistrationRow(SQLModel, table=True):
    """A registration whose email or phone already belongs to a user (ADR 0013). To its caller it looks
    like any pending user, with the same id shape and verification steps; it claims no identifier, can
    never verify the colliding one, never becomes ACTIVE and never logs in, so it keeps no password."""

    __tablename__ = "identity_colliding_registrations"

    id: str = Field(primary_key=True, max_length=40)  # usr_..., like a user's
    phone: str = Field(max_length=20, index=True)  # E.164; not unique: nothing is claimed
    email: str = Field(max_length=254)
    email_normalised: str = Field(max_length=254, index=True)
    phone_collides: bool
    email_collides: bool
    display_name: str = Field(max_length=100)
    country: str = Field(max_length=2)
    locale: str = Field(max_length=5)
    status: str = Field(default="PENDING_VERIFICATION", max_length=24)
    phone_verified: bool = False
    email_verified: bool = False
    created_at: datetime = Field(sa_column=utc_column())
    updated_at: datetime = Field(sa_column=utc_column())
    version: int = Field(default=1)
