"""The in-app inbox of one user: list (newest first), count unread, mark read. Only IN_APP rows
are inbox items; another user's item is reported as not found."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from core.platform.clock import utcnow
from core.platform.pagination import PageSlice, decode_cursor, slice_page
from core.platform.problems import not_found

from .tables import NotificationRow

N = NotificationRow


def notification_not_found(notification_id: str):  # type: ignore[no-untyped-def]
    return not_found("NOTIFICATION_NOT_FOUND", f"Notification {notification_id} does not exist.")


class Inbox:
    def __init__(self, session: AsyncSession, user_id: str) -> None:
        self.session = session
        self.user_id = user_id

    def _mine(self):  # type: ignore[no-untyped-def]
        return select(N).where(N.user_id == self.user_id, N.channel == "IN_APP")

    async def page(self, *, limit: int, cursor: str | None, unread_only: bool) -> PageSlice[NotificationRow]:
        after = decode_cursor(cursor)
        query = self._mine()
        if after:
            query = query.where(N.id < str(after[0]))
        if unread_only:
            query = query.where(N.read_at.is_(None))  # type: ignore[union-attr]
        rows = (await self.session.execute(query.order_by(N.id.desc()).limit(limit + 1))).scalars().all()  # type: ignore[attr-defined]
        return slice_page(list(rows), limit, lambda r: [r.id])

    async def unread_count(self) -> int:
        result = await self.session.execute(select(func.count()).select_from(N).where(
            N.user_id == self.user_id, N.channel == "IN_APP", N.read_at.is_(None)))  # type: ignore[union-attr]
        return int(result.scalar_one())

    async def mark_read(self, notification_id: str) -> NotificationRow:
        row = (await self.session.execute(self._mine().where(N.id == notification_id))).scalar_one_or_none()
        if row is None:
            raise notification_not_found(notification_id)
        if row.read_at is None:
            row.read_at = utcnow()
            self.session.add(row)
            await self.session.flush()
        return row

    async def mark_all_read(self) -> int:
        result = await self.session.execute(update(N).where(
            N.user_id == self.user_id, N.channel == "IN_APP", N.read_at.is_(None)  # type: ignore[union-attr]
        ).values(read_at=utcnow()))
        return int(result.rowcount)  # type: ignore[attr-defined]
