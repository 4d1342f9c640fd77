"""What callers of the ledger hand in and get back: plain values, amounts as int minor units."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from .canonical import canonical_json

CUSTOMER_WALLET = "CUSTOMER_WALLET"
SYSTEM_TYPES = ("FEES_REVENUE", "SETTLEMENT", "FX_POSITION", "SUSPENSE", "EXTERNAL_WORLD")
ACCOUNT_TYPES = (CUSTOMER_WALLET, *SYSTEM_TYPES)
OWNER_TYPES = ("PERSON", "COMPANY", "SYSTEM")
FREEZE_MODES = ("NONE", "DEBITS", "CREDITS", "BOTH")
SYSTEM_OWNER = "system"


def content_hash(kind: str, content: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_json({"kind": kind, "content": content}, default=str)).hexdigest()


@dataclass(frozen=True)
class NewAccount:
    client_id: str
    owner_type: str
    owner_id: str
    asset: str
    type: str = CUSTOMER_WALLET
    rail: str = ""
    allow_negative: bool | None = None  # None: customers no, system accounts yes
    credit_limit: int | None = None
    max_balance: int | None = None
    label: str | None = None

    def content(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "client_id"}


class Posting(NamedTuple):
    """Signed amount on one account: credit > 0, debit < 0. (Immutable records of the hot path are
    named tuples: a frozen dataclass costs three times as much to build, and a batch of 1,000
    transfers builds 6,000 of these and of `Entry` and `Transaction`.)"""

    account_id: str
    amount: int
    asset: str | None = None  # when given, must be the account's asset


@dataclass(frozen=True)
class TransactionSpec:
    client_id: str
    postings: tuple[Posting, ...] = ()
    type: str = "TRANSFER"
    metadata: Mapping[str, str] = field(default_factory=dict)
    external_reference: str | None = None
    reverses_id: str | None = None

    def content(self) -> dict[str, Any]:
        return {
            "postings": [[p.account_id, str(p.amount), p.asset] for p in self.postings],
            "type": self.type, "metadata": dict(self.metadata), "external_reference": self.external_reference,
            "reverses_id": self.reverses_id,
        }


def transfer(client_id: str, source: str, destination: str, amount: int, **extra: Any) -> TransactionSpec:
    return TransactionSpec(client_id, (Posting(source, -amount), Posting(destination, amount)), **extra)


@dataclass(frozen=True)
class HoldSpec:
    client_id: str
    account_id: str
    destination_id: str
    amount: int
    expires_at: datetime
    metadata: Mapping[str, str] = field(default_factory=dict)

    def content(self) -> dict[str, Any]:
        return {"account_id": self.account_id, "destination_id": self.destination_id, "amount": str(self.amount),
                "expires_at": self.expires_at.isoformat(), "metadata": dict(self.metadata)}


@dataclass(frozen=True)
class Account:
    id: str
    owner_type: str
    owner_id: str
    type: str
    rail: str
    asset: str
    scale: int
    status: str
    freeze: str
    allow_negative: bool
    credit_limit: int | None
    max_balance: int | None
    posted: int
    pending: int
    pending_credits: int
    version: int
    label: str | None
    created_at: datetime
    updated_at: datetime

    @property
    def available(self) -> int:
        return self.posted - self.pending


@dataclass(frozen=True)
class Balance:
    account_id: str
    asset: str
    scale: int
    posted: int
    pending: int
    available: int
    version: int
    as_of: datetime | None = None


class Entry(NamedTuple):
    transaction_id: str
    account_id: str
    asset: str
    amount: int
    balance_after: int
    account_version: int
    counterparty_id: str | None
    type: str
    posted_at: datetime

    @property
    def direction(self) -> str:
        return "CREDIT" if self.amount > 0 else "DEBIT"


class Transaction(NamedTuple):
    id: str
    client_id: str
    type: str
    external_reference: str | None
    reverses_id: str | None
    hold_id: str | None
    metadata: dict[str, str]
    posted_at: datetime
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Hold:
    id: str
    client_id: str
    account_id: str
    destination_id: str
    asset: str
    scale: int
    amount: int
    posted_amount: int
    status: str
    chain_id: str | None
    transaction_id: str | None
    metadata: dict[str, str]
    expires_at: datetime
    created_at: datetime
    resolved_at: datetime | None


@dataclass(frozen=True)
class Statement:
    account_id: str
    asset: str
    scale: int
    start: datetime
    end: datetime
    opening_balance: int
    closing_balance: int
    total_debits: int
    total_credits: int
    entries: list[Entry]
    has_more: bool
    next_cursor: str | None


@dataclass(frozen=True)
class HistoryFilter:
    start: datetime | None = None
    end: datetime | None = None
    direction: str | None = None  # DEBIT | CREDIT
    counterparty_id: str | None = None
    type: str | None = None
