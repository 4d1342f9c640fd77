from __future__ import annotations

from core.audit.log import AuditEntry, record
from core.notifications.inbox import Inbox
from core.notifications.preferences import CHANNELS, Matrix, Preferences, locked_channels
from core.notifications.tables import NotificationRow
from core.platform.context import RequestContext
from core.platform.problems import FieldProblem, unprocessable
from generated.openapi import models
from generated.openapi.routes import NotificationsHandlers
from handlers.identity.handler import user_id

_FIELDS = {"EMAIL": "email", "SMS": "sms", "PUSH": "push", "IN_APP": "in_app"}


def notification_model(row: NotificationRow) -> models.Notification:
    item = models.Notification(
        id=models.NotificationId(row.id), category=models.NotificationCategory(row.category),
        event_type=row.event_type, title=row.subject, body=row.body, created_at=row.created_at,
        read=row.read_at is not None)
    if row.read_at is not None:
        item.read_at = row.read_at
    return item


def preferences_model(matrix: Matrix) -> models.NotificationPreferences:
    return models.NotificationPreferences(categories=[
        models.CategoryPreference(
            category=models.NotificationCategory(category),
            **{_FIELDS[c]: on for c, on in channels.items()},
            locked_channels=[models.NotificationChannel(c) for c in locked_channels(category)])
        for category, channels in matrix.items()])


class NotificationsHandler(NotificationsHandlers):
    async def list_notifications(self, ctx: RequestContext, *, limit: int, cursor: str | None,
                                 unread: bool) -> models.NotificationPage:
        inbox = Inbox(ctx.session, user_id(ctx))
        page = await inbox.page(limit=limit, cursor=cursor, unread_only=unread)
        result = models.NotificationPage(has_more=page.has_more, data=[notification_model(r) for r in page.items],
                                         unread_count=await inbox.unread_count())
        if page.next_cursor:
            result.next_cursor = page.next_cursor
        return result

    async def get_unread_notification_count(self, ctx: RequestContext) -> models.UnreadCount:
        return models.UnreadCount(unread_count=await Inbox(ctx.session, user_id(ctx)).unread_count())

    async def mark_notification_read(self, ctx: RequestContext, *, notification_id: str) -> models.Notification:
        return notification_model(await Inbox(ctx.session, user_id(ctx)).mark_read(notification_id))

    async def mark_all_notifications_read(self, ctx: RequestContext) -> models.ReadAllResult:
        marked = await Inbox(ctx.session, user_id(ctx)).mark_all_read()
        return models.ReadAllResult(marked=marked, unread_count=0)

    async def get_notification_preferences(self, ctx: RequestContext) -> models.NotificationPreferences:
        return preferences_model(await Preferences(ctx.session).of(user_id(ctx)))

    async def update_notification_preferences(self, ctx: RequestContext, *,
                                              body: models.NotificationPreferencesUpdate) -> models.NotificationPreferences:
        uid = user_id(ctx)
        seen: set[str] = set()
        changes: list[tuple[str, str, bool]] = []
        for index, item in enumerate(body.categories):
            category = item.category.value
            if category in seen:
                raise unprocessable("DUPLICATE_CATEGORY", f"{category} is given more than once.",
                                    [FieldProblem(f"body.categories.{index}.category", "DUPLICATE",
                                                  "Each category at most once.")])
            seen.add(category)
            for channel in CHANNELS:
                value = getattr(item, _FIELDS[channel])
                if isinstance(value, bool):
                    changes.append((category, channel, value))
        before, after = await Preferences(ctx.session).update(uid, changes)
        changed = {f"{cat}.{ch}": on for cat, channels in after.items() for ch, on in channels.items()
                   if before[cat][ch] != on}
        await record(ctx.session, AuditEntry(actor_id=uid, actor_kind="USER", action="notifications.preferences.updated",
                                             result="SUCCESS", target=uid, client_ip=ctx.client_address,
                                             details={"changed": changed}))
        return preferences_model(after)
