"""Walks the audit chain in order and reports the first broken link."""

from __future__ import annotations

from dataclasses import dataclass

from core.audit.hashing import CONTENT_FIELDS, GENESIS, entry_hash
from core.audit.repository import AuditRepository
from core.platform.db import Database


@dataclass(frozen=True)
class Report:
    checked: int
    broken_at: int | None = None  # sequence of the first entry that does not verify
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.broken_at is None

    def verdict(self) -> str:
        if self.ok:
            return f"audit chain OK: {self.checked} entries verified"
        return f"audit chain BROKEN at entry #{self.broken_at}: {self.problem} ({self.checked} verified before it)"


async def verify(db: Database, batch: int = 1000) -> Report:
    previous, checked, after = GENESIS, 0, 0
    async with db.sessions() as session:
        while True:
            rows = await AuditRepository(session).entries_after(after, batch)
            if not rows:
                return Report(checked)
            for row in rows:
                if row.previous_hash != previous:
                    return Report(checked, row.sequence, "previous_hash does not match the entry before it")
                content = {name: getattr(row, name) for name in CONTENT_FIELDS}
                if entry_hash(previous, content) != row.hash:
                    return Report(checked, row.sequence, "content does not match its hash")
                previous, checked, after = row.hash, checked + 1, row.sequence
