"""Every notification sent to a user: the in-app inbox and the record of what went out on which channel."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from core.platform.tables import utc_column


class NotificationRow(SQLModel, table=True):
    __tablename__ = "notifications"

    id: str = Field(primary_key=True, max_length=40)
    user_id: str = Field(index=True, max_length=40)
    channel: str = Field(max_length=10)  # IN_APP | EMAIL | SMS
    event_type: str = Field(max_length=80)
    locale: str = Field(max_length=5)
    recipient: str = Field(max_length=254)
    subject: str = Field(max_length=200)
    body: str
    created_at: datetime = Field(sa_column=utc_column())
    read_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
