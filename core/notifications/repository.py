"""All queries of notifications: inbox items, channel preferences, and the dispatcher's queue."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from .tables import NotificationPreferenceRow, NotificationRow

N = NotificationRow
_N = NotificationRow.__table__
# Built once: a statement built per row leaves reference cycles (SQLAlchemy's expressions memoize their
# comparators) that only the collector frees, and every notification is leased.
_LEASE = (update(_N).where(_N.c.id == bindparam("lease_id"), _N.c.status == "PENDING",
                           _N.c.next_attempt_at == bindparam("seen_at"), _N.c.attempts == bindparam("seen_attempts"))
          .values(next_attempt_at=bindparam("until"), attempts=_N.c.attempts + 1))

class NotificationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # --- the inbox of one user (IN_APP rows only)
    def _inbox(self, user_id: str):  # type: ignore[no-untyped-def]
        return select(N).where(N.user_id == user_id, N.channel == "IN_APP")

    async def inbox_page(self, user_id: str, *, before_id: str | None, unread_only: bool,
                         limit: int) -> list[NotificationRow]:
        query = self._inbox(user_id)
        if before_id:
            query = query.where(N.id < before_id)
        if unread_only:
            query = query.where(N.read_at.is_(None))  # type: ignore[union-attr]
        return list((await self.session.execute(query.order_by(N.id.desc()).limit(limit))).scalars().all())  # type: ignore[attr-defined]

    async def unread_count(self, user_id: str) -> int:
        result = await self.session.execute(select(func.count()).select_from(N).where(
            N.user_id == user_id, N.channel == "IN_APP", N.read_at.is_(None)))  # type: ignore[union-attr]
        return int(result.scalar_one())

    async def inbox_item(self, user_id: str, notification_id: str) -> NotificationRow | None:
        return (await self.session.execute(self._inbox(user_id).where(N.id == notification_id))).scalar_one_or_none()

    async def mark_all_read(self, user_id: str, now: datetime) -> int:
        result = await self.session.execute(update(N).where(
            N.user_id == user_id, N.channel == "IN_APP", N.read_at.is_(None)  # type: ignore[union-attr]
        ).values(read_at=now))
        return int(result.rowcount)  # type: ignore[attr-defined]

    # --- what was sent by email and SMS (the sandbox's view; no index: sandbox volumes only)
    async def outbound_page(self, *, recipient: str | None, channel: str | None, before_id: str | None,
                            limit: int) -> list[NotificationRow]:
        query = select(N).where(N.channel.in_(("EMAIL", "SMS")))  # type: ignore[attr-defined]
        if channel is not None:
            query = query.where(N.channel == channel)
        if recipient is not None:
            query = query.where(func.lower(N.recipient) == recipient.lower())
        if before_id:
            query = query.where(N.id < before_id)
        return list((await self.session.execute(query.order_by(N.id.desc()).limit(limit))).scalars().all())  # type: ignore[attr-defined]

    # --- preferences
    async def preferences(self, user_id: str) -> list[NotificationPreferenceRow]:
        result = await self.session.execute(
            select(NotificationPreferenceRow).where(NotificationPreferenceRow.user_id == user_id))
        return list(result.scalars().all())

    # --- the dispatcher's queue
    async def due_rows(self, now: datetime, limit: int, *, skip_locked: bool) -> list[NotificationRow]:
        query = (select(N).where(N.status == "PENDING", N.next_attempt_at <= now)  # type: ignore[operator]
                 .order_by(N.next_attempt_at, N.id).limit(limit))  # type: ignore[arg-type]
        if skip_locked:
            query = query.with_for_update(skip_locked=True)
        return list((await self.session.execute(query)).scalars().all())

    async def lease(self, row: NotificationRow, until: datetime) -> bool:
        """Conditional on what was seen, so on SQLite two processes cannot both take a row."""
        result = await self.session.execute(_LEASE, {"lease_id": row.id, "seen_at": row.next_attempt_at,
                                                     "seen_attempts": row.attempts, "until": until})
        return result.rowcount == 1  # type: ignore[attr-defined]

    async def settle(self, notification_id: str, values: dict[str, Any]) -> None:
        await self.session.execute(update(N).where(N.id == notification_id).values(**values))  # type: ignore[arg-type]

    async def due_count(self, now: datetime) -> int:
        result = await self.session.execute(select(func.count()).select_from(N).where(
            N.status == "PENDING", N.next_attempt_at <= now))  # type: ignore[operator]
        return int(result.scalar_one())

    # --- writes
    def add(self, row: object) -> None:
        self.session.add(row)

    async def flush(self) -> None:
        await self.session.flush()
