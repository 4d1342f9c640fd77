"""Tables of DARCA ID KYC: each user's level and status, the checks, and the history of status changes.

A user without a profile row is at level NONE, status NOT_STARTED (the row appears with the
first check), so registration and every other user path need not know about KYC.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from core.platform.tables import utc_column


class KycProfileRow(SQLModel, table=True):
    __tablename__ = "identity_kyc_profiles"

    user_id: str = Field(primary_key=True, max_length=40)
    level: str = Field(max_length=12)  # NONE | BASIC | VERIFIED | ENHANCED
    status: str = Field(max_length=16)  # NOT_STARTED | PENDING | APPROVED | REJECTED | MANUAL_REVIEW
    updated_at: datetime = Field(sa_column=utc_column())
    version: int = Field(default=1)


class KycCheckRow(SQLModel, table=True):
    """One submission to the KYC provider. Only a digest and the last four characters of the
    document number are kept; names and date of birth go to the provider and are not stored."""

    __tablename__ = "identity_kyc_checks"
    # The worker's query: pending checks due for a poll.
    __table_args__ = (Index("ix_identity_kyc_checks_due", "status", "next_poll_at"),)

    id: str = Field(primary_key=True, max_length=40)
    user_id: str = Field(max_length=40, index=True)
    target_level: str = Field(max_length=12)
    status: str = Field(max_length=16)  # PENDING | APPROVED | REJECTED | MANUAL_REVIEW
    reason: str | None = Field(default=None, max_length=200)
    document_type: str = Field(max_length=20)
    document_country: str = Field(max_length=2)
    document_last4: str = Field(max_length=4)
    document_hash: str = Field(max_length=64)
    provider: str = Field(max_length=20)
    provider_reference: str = Field(max_length=120)
    next_poll_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    polls: int = 0
    created_at: datetime = Field(sa_column=utc_column())
    updated_at: datetime = Field(sa_column=utc_column())
    decided_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))


class KycHistoryRow(SQLModel, table=True):
    """One change of a user's KYC status (append-only)."""

    __tablename__ = "identity_kyc_history"

    id: str = Field(primary_key=True, max_length=40)
    user_id: str = Field(max_length=40, index=True)
    check_id: str = Field(max_length=40)
    at: datetime = Field(sa_column=utc_column())
    from_level: str = Field(max_length=12)
    to_level: str = Field(max_length=12)
    from_status: str = Field(max_length=16)
    to_status: str = Field(max_length=16)
    reason: str | None = Field(default=None, max_length=200)
