"""Every query of the audit chain."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit.tables import AuditEntryRow


class AuditRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def lock_chain(self) -> None:
        """Concurrent appenders would fork the chain; on PostgreSQL they queue here until the
        transaction ends (SQLite has one writer at a time anyway)."""
        if self.session.get_bind().dialect.name == "postgresql":
            await self.session.execute(text("SELECT pg_advisory_xact_lock(hashtext('darca.audit.chain'))"))

    async def head_hash(self) -> str | None:
        query = select(AuditEntryRow.hash).order_by(AuditEntryRow.sequence.desc()).limit(1)  # type: ignore[attr-defined]
        return (await self.session.execute(query)).scalar_one_or_none()

    async def append(self, row: AuditEntryRow) -> None:
        self.session.add(row)
        await self.session.flush()

    async def entries_after(self, sequence: int, limit: int) -> Sequence[AuditEntryRow]:
        query = (select(AuditEntryRow).where(AuditEntryRow.sequence > sequence)  # type: ignore[operator]
                 .order_by(AuditEntryRow.sequence).limit(limit))
        return (await self.session.execute(query)).scalars().all()
