"""Appending to the audit chain, inside the caller's unit of work (so the entry commits with the action)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.audit.hashing import CONTENT_FIELDS, GENESIS, entry_hash
from core.audit.repository import AuditRepository
from core.audit.tables import AuditEntryRow
from core.platform.ids import new_id

RESULTS = frozenset({"SUCCESS", "FAILURE", "DENIED"})


@dataclass(frozen=True)
class AuditEntry:
    """Who did what to which object, with what result and why, from which device and address."""

    actor_id: str
    actor_kind: str
    action: str
    result: str
    target: str | None = None
    reason: str | None = None
    device_id: str | None = None
    client_ip: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


async def record(session: AsyncSession, entry: AuditEntry, *, now: datetime | None = None) -> AuditEntryRow:
    """Append one entry linked to the current chain head."""
    if entry.result not in RESULTS:
        raise ValueError(f"audit result must be one of {sorted(RESULTS)}, got {entry.result!r}")
    repository = AuditRepository(session)
    await repository.lock_chain()
    head = await repository.head_hash()
    previous = head or GENESIS
    occurred = now or datetime.now(UTC)
    content: dict[str, Any] = {
        "id": new_id("aud"),
        "occurred_at": occurred,
        "actor_id": entry.actor_id,
        "actor_kind": entry.actor_kind,
        "action": entry.action,
        "target": entry.target,
        "result": entry.result,
        "reason": entry.reason,
        "device_id": entry.device_id,
        "client_ip": entry.client_ip,
        "details": dict(entry.details),
    }
    assert set(content) == set(CONTENT_FIELDS)
    row = AuditEntryRow(**content, previous_hash=previous, hash=entry_hash(previous, content))
    await repository.append(row)
    return row
