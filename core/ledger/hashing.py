"""The journal's hash chain: every entry seals the previous entry of its account and its transaction.

Chains are per account because the account row is locked anyway when an entry is written, so
sealing costs no extra contention; changing any entry, transaction or balance breaks a chain.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from core.platform.clock import as_utc

# json.dumps(…, sort_keys=True, separators=(",", ":")) without building an encoder per call.
CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"))


def genesis(account_id: str) -> str:
    return hashlib.sha256(f"genesis|{account_id}".encode()).hexdigest()


def transaction_digest(row: Mapping[str, Any], postings: Sequence[tuple[str, int]]) -> str:
    content = {
        "id": row["id"], "client_id": row["client_id"], "type": row["type"],
        "external_reference": row["external_reference"], "reverses_id": row["reverses_id"],
        "hold_id": row["hold_id"], "metadata": row["metadata"], "posted_at": stamp(row["posted_at"]),
        "postings": sorted([account, str(amount)] for account, amount in postings),
    }
    return hashlib.sha256(CANONICAL.encode(content).encode()).hexdigest()


def entry_hash(previous: str, digest: str, account_id: str, amount: int, balance_after: int, version: int) -> str:
    return hashlib.sha256(f"{previous}|{digest}|{account_id}|{amount}|{balance_after}|{version}".encode()).hexdigest()


def stamp(value: datetime) -> str:
    return as_utc(value).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
