"""The journal's hash chain: every entry seals the previous entry of its account and its transaction.

Chains are per account because the account row is locked anyway when an entry is written, so
sealing costs no extra contention; changing any entry, transaction or balance breaks a chain.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from core.platform.clock import as_utc

from .canonical import canonical_json


def genesis(account_id: str) -> str:
    return hashlib.sha256(f"genesis|{account_id}".encode()).hexdigest()


def transaction_digest(row: Mapping[str, Any], postings: Sequence[tuple[str, int]]) -> str:
    content = {
        "id": row["id"], "client_id": row["client_id"], "type": row["type"],
        "external_reference": row["external_reference"], "reverses_id": row["reverses_id"],
        "hold_id": row["hold_id"], "metadata": row["metadata"], "posted_at": stamp(row["posted_at"]),
        "postings": sorted([account, str(amount)] for account, amount in postings),
    }
    return hashlib.sha256(canonical_json(content)).hexdigest()


def entry_hash(previous: str, digest: str, account_id: str, amount: int, balance_after: int, version: int) -> str:
    return hashlib.sha256(f"{previous}|{digest}|{account_id}|{amount}|{balance_after}|{version}".encode()).hexdigest()


_STAMPED: tuple[datetime | None, str] = (None, "")  # the last instant stamped (a unit's transactions share one)


def stamp(value: datetime) -> str:
    """`%Y-%m-%dT%H:%M:%S.%fZ` in UTC (isoformat is the same text and several times faster)."""
    global _STAMPED
    last, text = _STAMPED
    if value is last:
        return text
    utc = as_utc(value)
    if utc.year >= 1000:
        text = utc.isoformat(timespec="microseconds")[:26] + "Z"
    else:  # strftime does not pad such years
        text = utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    _STAMPED = (value, text)
    return text
