"""The in-app inbox of one user: list (newest first), count unread, mark read. Only IN_APP rows
are inbox items; another user's item is reported as not found."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from core.platform.clock import utcnow
from core.platform.pagination import PageSlice, decode_cursor, slice_page
from core.platform.problems import not_found

from .repository import NotificationRepository
from .tables import NotificationRow


def notification_not_found(notification_id: str):  # type: ignore[no-untyped-def]
    return not_found("NOTIFICATION_NOT_FOUND", f"Notification {notification_id} does not exist.")


class Inbox:
    def __init__(self, session: AsyncSession, user_id: str) -> None:
        self.repository = NotificationRepository(session)
        self.user_id = user_id

    async def page(self, *, limit: int, cursor: str | None, unread_only: bool) -> PageSlice[NotificationRow]:
        after = decode_cursor(cursor)
        rows = await self.repository.inbox_page(self.user_id, before_id=str(after[0]) if after else None,
                                                unread_only=unread_only, limit=limit + 1)
        return slice_page(rows, limit, lambda r: [r.id])

    async def unread_count(self) -> int:
        return await self.repository.unread_count(self.user_id)

    async def mark_read(self, notification_id: str) -> NotificationRow:
        row = await self.repository.inbox_item(self.user_id, notification_id)
        if row is None:
            raise notification_not_found(notification_id)
        if row.read_at is None:
            row.read_at = utcnow()
            self.repository.add(row)
            await self.repository.flush()
        return row

    async def mark_all_read(self) -> int:
        return await self.repository.mark_all_read(self.user_id, utcnow())
