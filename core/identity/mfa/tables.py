"""Tables of DARCA ID multi-factor: the TOTP factor of a user and step-up challenges."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Column
from sqlmodel import Field, SQLModel

from core.platform.tables import utc_column


class TotpFactorRow(SQLModel, table=True):
    """A user's authenticator app: PENDING until a code confirms it, then ENABLED. One per user."""

    __tablename__ = "identity_totp_factors"

    user_id: str = Field(primary_key=True, max_length=40)
    secret: str = Field(max_length=64)  # base32; not encrypted at rest yet, like the signing keys
    state: str = Field(max_length=10)  # PENDING | ENABLED
    # the newest accepted time step: no code of this step or before is accepted again
    last_step: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    recovery_hashes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(sa_column=utc_column())
    enabled_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    updated_at: datetime = Field(sa_column=utc_column())


class StepUpRow(SQLModel, table=True):
    """A challenge authorising one action (and amount, counterparty): PENDING -> VERIFIED -> CONSUMED."""

    __tablename__ = "identity_step_ups"

    id: str = Field(primary_key=True, max_length=40)
    user_id: str = Field(max_length=40, index=True)
    action: str = Field(max_length=64)
    amount_minor: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    asset: str | None = Field(default=None, max_length=10)
    amount_scale: int | None = None  # the asset's scale when created, to write the amount back
    counterparty: str | None = Field(default=None, max_length=200)
    status: str = Field(max_length=10)  # PENDING | VERIFIED | CONSUMED (EXPIRED is derived from expires_at)
    methods: str = Field(max_length=60)  # comma-separated MfaMethod values offered at creation
    verified_method: str | None = Field(default=None, max_length=16)
    created_at: datetime = Field(sa_column=utc_column())
    expires_at: datetime = Field(sa_column=utc_column())
    verified_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    consumed_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
