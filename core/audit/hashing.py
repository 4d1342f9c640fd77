"""The audit chain's hash: one canonical form, used both when appending and when verifying."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

GENESIS = hashlib.sha256(b"darca.audit.genesis").hexdigest()


def _instant(value: datetime) -> str:
    # SQLite hands back naive datetimes; both backends store UTC, so hash the naive UTC form.
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(timespec="microseconds")


def entry_hash(previous_hash: str, content: dict[str, Any]) -> str:
    body = dict(content, occurred_at=_instant(content["occurred_at"]))
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{previous_hash}|{canonical}".encode()).hexdigest()


CONTENT_FIELDS = (
    "id",
    "occurred_at",
    "actor_id",
    "actor_kind",
    "action",
    "target",
    "result",
    "reason",
    "device_id",
    "client_ip",
    "details",
)
