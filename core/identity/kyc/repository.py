"""All queries of KYC: profiles, checks and their status history."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from core.identity.kyc.tables import KycCheckRow, KycHistoryRow, KycProfileRow


class KycRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def level(self, user_id: str) -> str | None:
        query = select(KycProfileRow.level).where(KycProfileRow.user_id == user_id)
        return (await self.session.execute(query)).scalar()

    async def profile(self, user_id: str, *, for_update: bool = False) -> KycProfileRow | None:
        query = select(KycProfileRow).where(KycProfileRow.user_id == user_id)
        return (await self.session.execute(query.with_for_update() if for_update else query)).scalars().first()

    async def open_check_id(self, user_id: str, open_statuses: tuple[str, ...]) -> str | None:
        query = select(KycCheckRow.id).where(KycCheckRow.user_id == user_id, KycCheckRow.status.in_(open_statuses))  # type: ignore[attr-defined]
        return (await self.session.execute(query)).scalar()

    async def history(self, user_id: str) -> list[KycHistoryRow]:
        query = select(KycHistoryRow).where(KycHistoryRow.user_id == user_id).order_by(KycHistoryRow.id)  # type: ignore[arg-type]
        return list((await self.session.execute(query)).scalars().all())

    async def check(self, check_id: str, *, for_update: bool = False) -> KycCheckRow | None:
        query = select(KycCheckRow).where(KycCheckRow.id == check_id)
        return (await self.session.execute(query.with_for_update() if for_update else query)).scalars().first()

    async def due_check_ids(self, now: datetime, limit: int) -> list[str]:
        query = (select(KycCheckRow.id).where(KycCheckRow.status == "PENDING", KycCheckRow.next_poll_at <= now)  # type: ignore[operator]
                 .order_by(KycCheckRow.next_poll_at).limit(limit))  # type: ignore[arg-type]
        return list((await self.session.execute(query)).scalars().all())

    async def claim_due_check(self, check_id: str, now: datetime) -> KycCheckRow | None:
        """Lock one due check for this transaction, or None when it was decided or another worker has it."""
        query = select(KycCheckRow).where(KycCheckRow.id == check_id, KycCheckRow.status == "PENDING",
                                          KycCheckRow.next_poll_at <= now)  # type: ignore[operator]
        if self.session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        else:  # SQLite has one writer: take the write lock first so the read below is the truth
            await self.session.execute(update(KycCheckRow).where(KycCheckRow.id == check_id)
                                       .values(polls=KycCheckRow.polls))
        return (await self.session.execute(query)).scalars().first()
