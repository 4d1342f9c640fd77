"""The log of every policy decision: inputs, policy version, outcome and the policies that decided it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from core.platform.tables import utc_column


class PolicyDecisionRow(SQLModel, table=True):
    __tablename__ = "policy_decisions"

    id: str = Field(primary_key=True, max_length=40)
    decided_at: datetime = Field(sa_column=utc_column(index=True))
    principal: str = Field(max_length=80, index=True)
    action: str = Field(max_length=80)
    resource: str = Field(max_length=120)
    decision: str = Field(max_length=8)  # ALLOW | DENY
    policy_version: str = Field(max_length=40)
    deciding_policies: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    errors: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    inputs: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
