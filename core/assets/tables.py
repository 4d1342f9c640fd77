"""Table of the asset registry."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from core.platform.tables import utc_column


class AssetRow(SQLModel, table=True):
    __tablename__ = "assets"

    code: str = Field(primary_key=True, max_length=10)
    name: str = Field(max_length=100)
    kind: str = Field(max_length=10)
    scale: int
    status: str = Field(max_length=10)
    created_at: datetime = Field(sa_column=utc_column())
    updated_at: datetime = Field(sa_column=utc_column())
    version: int = Field(default=1)
