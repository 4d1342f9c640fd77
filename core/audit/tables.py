"""The audit log table. Rows are only ever inserted; on PostgreSQL triggers refuse UPDATE/DELETE/TRUNCATE."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from core.platform.tables import SequenceType, utc_column


class AuditEntryRow(SQLModel, table=True):
    __tablename__ = "audit_entries"

    # The sequence orders the chain; each row's hash covers its content and the previous row's hash.
    sequence: int | None = Field(default=None, sa_column=Column(SequenceType, primary_key=True, autoincrement=True))
    id: str = Field(max_length=40, unique=True)
    occurred_at: datetime = Field(sa_column=utc_column())
    actor_id: str = Field(max_length=80, index=True)
    actor_kind: str = Field(max_length=16)
    action: str = Field(max_length=80, index=True)
    target: str | None = Field(default=None, max_length=120)
    result: str = Field(max_length=16)  # SUCCESS | FAILURE | DENIED
    reason: str | None = Field(default=None, max_length=200)
    device_id: str | None = Field(default=None, max_length=40)
    client_ip: str | None = Field(default=None, max_length=45)
    details: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    previous_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)
