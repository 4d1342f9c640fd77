"""Every notification sent to a user: the in-app inbox and the record of what went out on which channel.

One row per channel. IN_APP rows are the inbox (delivered when written); EMAIL and SMS rows are
written PENDING in the caller's unit of work and delivered after commit by the dispatcher.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from core.platform.tables import utc_column


class NotificationRow(SQLModel, table=True):
    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_due", "status", "next_attempt_at"),
        Index("ix_notifications_inbox", "user_id", "channel", "id"),
    )

    id: str = Field(primary_key=True, max_length=40)
    user_id: str = Field(index=True, max_length=40)
    channel: str = Field(max_length=10)  # IN_APP | EMAIL | SMS | PUSH
    category: str = Field(default="ACCOUNT", max_length=20)  # SECURITY | ACCOUNT | PAYMENTS | MARKETING
    event_type: str = Field(max_length=80)
    locale: str = Field(max_length=5)
    recipient: str = Field(max_length=254)
    subject: str = Field(max_length=200)
    body: str
    created_at: datetime = Field(sa_column=utc_column())
    read_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    status: str = Field(default="SENT", max_length=10)  # PENDING | SENT | FAILED
    attempts: int = Field(default=0)
    # when the dispatcher may (next) try; while a dispatcher holds the row, the end of its lease
    next_attempt_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    sent_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class NotificationPreferenceRow(SQLModel, table=True):
    """A user's choice for one category on one channel; absent rows mean the default."""

    __tablename__ = "notification_preferences"

    user_id: str = Field(primary_key=True, max_length=40)
    category: str = Field(primary_key=True, max_length=20)
    channel: str = Field(primary_key=True, max_length=10)
    enabled: bool
    updated_at: datetime = Field(sa_column=utc_column())
