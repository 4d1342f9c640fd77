from __future__ import annotations

from core.notifications import api as notifications
from core.notifications.api import CHANNELS, Matrix, Notification, PreferenceChange, locked_channels
from core.platform.api import FieldProblem, RequestContext, unprocessable
from generated.openapi import models
from generated.openapi.routes import NotificationsHandlers
from handlers.common import user_id

_FIELDS = {"EMAIL": "email", "SMS": "sms", "PUSH": "push", "IN_APP": "in_app"}


def notification_model(row: Notification) -> models.Notification:
    item = models.Notification(
        id=models.NotificationId(row.id), category=models.NotificationCategory(row.category),
        event_type=row.event_type, title=row.title, body=row.body, created_at=row.created_at,
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


def sent_message_model(m: notifications.SentMessage) -> models.SandboxMessage:
    item = models.SandboxMessage(
        id=models.NotificationId(m.id), channel=models.SandboxMessageChannel(m.channel), recipient=m.recipient,
        event_type=m.event_type, subject=m.subject, body=m.body, status=models.SandboxMessageStatus(m.status),
        created_at=m.created_at)
    if m.code is not None:
        item.code = m.code
    return item


class NotificationsHandler(NotificationsHandlers):
    def __init__(self, *, sandbox: bool = True) -> None:
        """`sandbox`: whether the platform runs in the SANDBOX environment (the message view exists only there)."""
        self.sandbox = sandbox

    async def list_sandbox_messages(self, ctx: RequestContext, *, recipient: str | None,
                                    channel: models.SandboxMessageChannel | None, limit: int,
                                    cursor: str | None) -> models.SandboxMessagePage:
        page = await notifications.sent_messages(ctx, sandbox=self.sandbox, recipient=recipient, channel=channel.value if channel else None,
                                                 limit=limit, cursor=cursor)
        result = models.SandboxMessagePage(has_more=page.has_more, data=[sent_message_model(m) for m in page.items])
        if page.next_cursor:
            result.next_cursor = page.next_cursor
        return result

    async def list_notifications(self, ctx: RequestContext, *, limit: int, cursor: str | None,
                                 unread: bool) -> models.NotificationPage:
        page = await notifications.inbox_page(ctx, user_id(ctx), limit=limit, cursor=cursor, unread_only=unread)
        result = models.NotificationPage(has_more=page.has_more, data=[notification_model(r) for r in page.items],
                                         unread_count=page.unread_count)
        if page.next_cursor:
            result.next_cursor = page.next_cursor
        return result

    async def get_unread_notification_count(self, ctx: RequestContext) -> models.UnreadCount:
        return models.UnreadCount(unread_count=await notifications.unread_count(ctx, user_id(ctx)))

    async def mark_notification_read(self, ctx: RequestContext, *, notification_id: str) -> models.Notification:
        return notification_model(await notifications.mark_read(ctx, user_id(ctx), notification_id))

    async def mark_all_notifications_read(self, ctx: RequestContext) -> models.ReadAllResult:
        marked = await notifications.mark_all_read(ctx, user_id(ctx))
        return models.ReadAllResult(marked=marked, unread_count=0)

    async def get_notification_preferences(self, ctx: RequestContext) -> models.NotificationPreferences:
        return preferences_model(await notifications.get_preferences(ctx, user_id(ctx)))

    async def update_notification_preferences(self, ctx: RequestContext, *,
                                              body: models.NotificationPreferencesUpdate) -> models.NotificationPreferences:
        uid = user_id(ctx)
        seen: set[str] = set()
        changes: list[PreferenceChange] = []
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
                    changes.append(PreferenceChange(category, channel, value))
        return preferences_model(await notifications.update_preferences(ctx, uid, changes))
