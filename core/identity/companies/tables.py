"""Tables of DARCA ID for businesses: companies, departments, members, invitations and company API keys."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from core.platform.tables import utc_column


class CompanyRow(SQLModel, table=True):
    __tablename__ = "identity_companies"
    # one company per register entry; `registration_key` is the number without case, spaces, dots, dashes
    __table_args__ = (UniqueConstraint("country", "registration_key"),)

    id: str = Field(primary_key=True, max_length=40)
    legal_name: str = Field(max_length=200)
    country: str = Field(max_length=2)
    registration_number: str = Field(max_length=40)
    registration_key: str = Field(max_length=40)
    created_by: str = Field(max_length=40)
    created_at: datetime = Field(sa_column=utc_column())
    updated_at: datetime = Field(sa_column=utc_column())
    version: int = Field(default=1)


class DepartmentRow(SQLModel, table=True):
    __tablename__ = "identity_company_departments"
    __table_args__ = (UniqueConstraint("company_id", "name"),)

    id: str = Field(primary_key=True, max_length=40)
    company_id: str = Field(max_length=40, index=True)
    name: str = Field(max_length=200)
    created_at: datetime = Field(sa_column=utc_column())


class MemberRow(SQLModel, table=True):
    """A user's membership of a company with one role; removal deletes the row (the audit chain keeps it)."""

    __tablename__ = "identity_company_members"
    __table_args__ = (UniqueConstraint("company_id", "user_id"),)

    id: str = Field(primary_key=True, max_length=40)
    company_id: str = Field(max_length=40, index=True)
    user_id: str = Field(max_length=40, index=True)
    role: str = Field(max_length=16)
    department_id: str | None = Field(default=None, max_length=40)
    status: str = Field(default="ACTIVE", max_length=16)
    created_at: datetime = Field(sa_column=utc_column())
    updated_at: datetime = Field(sa_column=utc_column())
    version: int = Field(default=1)


class InvitationRow(SQLModel, table=True):
    """PENDING until the invitee accepts or declines it, or `expires_at` passes. Bound to the address the
    inviter named; `invitee_user_id` is set when that address belonged to an active user (or once the
    user who registered and verified it answers), so inviting never tells whether someone is registered."""

    __tablename__ = "identity_company_invitations"

    id: str = Field(primary_key=True, max_length=40)
    company_id: str = Field(max_length=40, index=True)
    invitee_user_id: str | None = Field(default=None, max_length=40, index=True)
    invitee_address: str = Field(max_length=254, index=True)  # email lower-cased, or phone in E.164
    role: str = Field(max_length=16)
    department_id: str | None = Field(default=None, max_length=40)
    status: str = Field(max_length=16)
    invited_by: str = Field(max_length=40)
    created_at: datetime = Field(sa_column=utc_column())
    expires_at: datetime = Field(sa_column=utc_column())
    responded_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))


class CompanyApiKeyRow(SQLModel, table=True):
    """A company integration key. Only the SHA-256 of its random part is kept."""

    __tablename__ = "identity_company_api_keys"

    id: str = Field(primary_key=True, max_length=40)
    company_id: str = Field(max_length=40, index=True)
    name: str = Field(max_length=200)
    secret_hash: str = Field(max_length=64)
    scopes: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_by: str = Field(max_length=40)
    created_at: datetime = Field(sa_column=utc_column())
    expires_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    last_used_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    revoked_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    revoked_by: str | None = Field(default=None, max_length=40)
