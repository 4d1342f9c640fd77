"""Tables of the platform machinery: outbox, inbox and idempotency records."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Column, DateTime, Dialect, Index, Integer, Text, TypeDecorator
from sqlmodel import Field, SQLModel

from .clock import as_utc

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT identity.
SequenceType = BigInteger().with_variant(Integer(), "sqlite")


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in and out on every database. SQLite keeps no time zone and hands back
    naive values; they are marked UTC here, once, rather than at every read."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else as_utc(value)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else as_utc(value)


def utc_column(nullable: bool = False, index: bool = False) -> Column:
    return Column(UtcDateTime(), nullable=nullable, index=index)


class OutboxEvent(SQLModel, table=True):
    """An event written in the same transaction as the state change it announces.

    A row keeps what varies from event to event; the relay rebuilds the CloudEvents envelope
    (`core.platform.outbox.envelope_of`): `id` is `event_id`, `time` is `created_at`, and
    `specversion`, `source`, `datacontenttype` and `dataschema` follow from the event type."""

    __tablename__ = "outbox_events"
    __table_args__ = (Index("ix_outbox_events_unpublished", "published_at", "sequence"),)

    sequence: int | None = Field(default=None, sa_column=Column(SequenceType, primary_key=True, autoincrement=True))
    event_id: str = Field(max_length=40, unique=True)
    event_type: str = Field(max_length=120)
    partition_key: str = Field(max_length=120)
    subject: str = Field(sa_column=Column(Text, nullable=False))
    data: dict = Field(sa_column=Column(JSON, nullable=False))
    traceparent: str | None = Field(default=None, max_length=55)
    created_at: datetime = Field(sa_column=utc_column())
    published_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    attempts: int = Field(default=0)
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class InboxEvent(SQLModel, table=True):
    """An event a consumer has applied; its key makes redelivery harmless."""

    __tablename__ = "inbox_events"

    consumer: str = Field(primary_key=True, max_length=80)
    event_id: str = Field(primary_key=True, max_length=40)
    event_type: str = Field(max_length=120)
    processed_at: datetime = Field(sa_column=utc_column())


class IdempotencyRecord(SQLModel, table=True):
    """One Idempotency-Key of one caller: the request it stood for and, once done, its response."""

    __tablename__ = "idempotency_keys"

    scope: str = Field(primary_key=True, max_length=120)
    key: str = Field(primary_key=True, max_length=255)
    operation_id: str = Field(max_length=80)
    request_hash: str = Field(max_length=64)
    state: str = Field(max_length=16)  # IN_FLIGHT | COMPLETED
    status_code: int | None = None
    response_body: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    response_headers: dict | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    created_at: datetime = Field(sa_column=utc_column())
    locked_until: datetime = Field(sa_column=utc_column())
    expires_at: datetime = Field(sa_column=utc_column(index=True))
