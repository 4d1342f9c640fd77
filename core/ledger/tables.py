"""Tables of the ledger. The journal (transactions and entries) is append-only; on PostgreSQL
triggers refuse UPDATE and DELETE. Accounts and holds carry the current state derived from it.

Amounts are integers of the asset's minor unit. ETH has 18 decimals, so 64-bit integers are
not enough: PostgreSQL stores NUMERIC(38,0), SQLite (64-bit integers at most) stores the
integer's decimal text. Both come back as Python int.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Numeric, Text, UniqueConstraint, text
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

from core.platform.tables import SequenceType, utc_column


class Amount(TypeDecorator[int]):
    """An integer of minor units, exact up to 38 digits on both databases."""

    impl = Numeric(38, 0)
    cache_ok = True

    def load_dialect_impl(self, dialect: Any) -> Any:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(Text())
        return dialect.type_descriptor(Numeric(38, 0))

    def process_bind_param(self, value: int | None, dialect: Any) -> Any:
        if value is None:
            return None
        if type(value) is not int:
            raise TypeError(f"ledger amounts are int minor units, got {type(value).__name__}")
        if dialect.name == "sqlite":
            return str(value)
        from decimal import Decimal

        return Decimal(value)

    def process_result_value(self, value: Any, dialect: Any) -> int | None:
        return None if value is None else int(value)


def amount_column(nullable: bool = False) -> Column:
    return Column(Amount(), nullable=nullable)


class LedgerAccount(SQLModel, table=True):
    """One account in one asset, with its balances as of its latest entry (`version`)."""

    __tablename__ = "ledger_accounts"
    __table_args__ = (
        UniqueConstraint("owner_type", "owner_id", "type", "asset", "rail", name="uq_ledger_accounts_owner_asset"),
    )

    id: str = Field(primary_key=True, max_length=40)
    owner_type: str = Field(max_length=10)  # PERSON | COMPANY | SYSTEM
    owner_id: str = Field(max_length=40, index=True)
    type: str = Field(max_length=20)
    rail: str = Field(default="", max_length=40)  # settlement/clearing accounts are per rail
    asset: str = Field(max_length=10)
    status: str = Field(max_length=10)  # OPEN | CLOSED
    freeze: str = Field(default="NONE", max_length=10)  # NONE | DEBITS | CREDITS | BOTH
    allow_negative: bool = Field(default=False)
    credit_limit: int | None = Field(default=None, sa_column=amount_column(nullable=True))
    max_balance: int | None = Field(default=None, sa_column=amount_column(nullable=True))
    posted: int = Field(default=0, sa_column=amount_column())
    pending_debits: int = Field(default=0, sa_column=amount_column())
    pending_credits: int = Field(default=0, sa_column=amount_column())
    version: int = Field(default=0)
    last_hash: str = Field(max_length=64)
    label: str | None = Field(default=None, max_length=100)
    created_at: datetime = Field(sa_column=utc_column())
    updated_at: datetime = Field(sa_column=utc_column())


class LedgerTransaction(SQLModel, table=True):
    """A journal transaction: its entries sum to zero per asset. Never updated, never deleted."""

    __tablename__ = "ledger_transactions"
    # Only indexes a query reads; the external reference's skips the (many) rows without one.
    __table_args__ = (
        Index("ix_ledger_transactions_external_reference", "external_reference",
              postgresql_where=text("external_reference IS NOT NULL"), sqlite_where=text("external_reference IS NOT NULL")),
        # A transaction is reversed at most once; most transactions reverse nothing.
        Index("uq_ledger_transactions_reverses_id", "reverses_id", unique=True,
              postgresql_where=text("reverses_id IS NOT NULL"), sqlite_where=text("reverses_id IS NOT NULL")),
    )

    id: str = Field(primary_key=True, max_length=40)
    client_id: str = Field(max_length=255, unique=True)
    type: str = Field(max_length=40)
    external_reference: str | None = Field(default=None, max_length=255)
    reverses_id: str | None = Field(default=None, max_length=40)
    hold_id: str | None = Field(default=None, max_length=40)
    batch_id: str | None = Field(default=None, max_length=40)
    meta: dict = Field(default_factory=dict, sa_column=Column("metadata", JSON, nullable=False))
    digest: str = Field(max_length=64)
    posted_at: datetime = Field(sa_column=utc_column())


class LedgerEntry(SQLModel, table=True):
    """One posting of a transaction to one account, with the running balance it left."""

    __tablename__ = "ledger_entries"
    __table_args__ = (
        UniqueConstraint("account_id", "account_version", name="uq_ledger_entries_account_version"),
        Index("ix_ledger_entries_account_posted", "account_id", "posted_at", "account_version"),
    )

    sequence: int | None = Field(default=None, sa_column=Column(SequenceType, primary_key=True, autoincrement=True))
    transaction_id: str = Field(max_length=40, index=True)
    account_id: str = Field(max_length=40)
    asset: str = Field(max_length=10)
    amount: int = Field(sa_column=amount_column())  # credit > 0, debit < 0
    direction: str = Field(max_length=6)  # DEBIT | CREDIT, for filtering without arithmetic
    balance_after: int = Field(sa_column=amount_column())
    account_version: int
    counterparty_id: str | None = Field(default=None, max_length=40)
    type: str = Field(max_length=40)
    posted_at: datetime = Field(sa_column=utc_column())
    hash: str = Field(max_length=64)


class LedgerHold(SQLModel, table=True):
    """Funds reserved on `account_id` for `destination_id`; resolves exactly once."""

    __tablename__ = "ledger_holds"
    __table_args__ = (Index("ix_ledger_holds_due", "status", "expires_at"),)

    id: str = Field(primary_key=True, max_length=40)
    client_id: str = Field(max_length=255, unique=True)
    account_id: str = Field(max_length=40, index=True)
    destination_id: str = Field(max_length=40)
    asset: str = Field(max_length=10)
    amount: int = Field(sa_column=amount_column())
    posted_amount: int = Field(default=0, sa_column=amount_column())
    status: str = Field(max_length=10)  # PENDING | POSTED | VOIDED | EXPIRED
    chain_id: str | None = Field(default=None, max_length=40, index=True)
    transaction_id: str | None = Field(default=None, max_length=40)
    meta: dict = Field(default_factory=dict, sa_column=Column("metadata", JSON, nullable=False))
    expires_at: datetime = Field(sa_column=utc_column())
    created_at: datetime = Field(sa_column=utc_column())
    resolved_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))


class LedgerRequest(SQLModel, table=True):
    """The outcome of one client-supplied id: replayed for the same content, kept when it failed."""

    __tablename__ = "ledger_requests"

    client_id: str = Field(primary_key=True, max_length=255)
    kind: str = Field(max_length=40)
    request_hash: str = Field(max_length=64)
    succeeded: bool
    result: dict = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(sa_column=utc_column())


__all__ = ["Amount", "LedgerAccount", "LedgerEntry", "LedgerHold", "LedgerRequest", "LedgerTransaction"]
