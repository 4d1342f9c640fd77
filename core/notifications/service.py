"""Sending a notification: render the template, keep it in the user's inbox, queue it on its channels.

Nothing leaves the building here: EMAIL and SMS rows are written PENDING in the caller's unit of
work and the dispatcher delivers them after commit, so a rolled-back request sends nothing and an
SMTP outage loses nothing. The user's channel preferences decide which channels are used; a
mandatory template (a verification code) always goes out on the channel it was sent to.
"""

from __future__ import annotations

from core.platform.clock import utcnow
from core.platform.context import RequestContext
from core.platform.ids import new_id
from generated.asyncapi import events

from .preferences import Preferences
from .repository import NotificationRepository
from .tables import NotificationRow
from .templates import category_of, is_mandatory, render, render_inbox

OUTBOUND = ("EMAIL", "SMS")  # channels the dispatcher delivers; PUSH rides on the notification_created event


class NotificationService:
    def __init__(self, ctx: RequestContext) -> None:
        self.events = ctx.events
        self.preferences = Preferences(ctx.session)
        self.repository = NotificationRepository(ctx.session)

    async def send(self, *, user_id: str, channel: str, recipient: str, event_type: str, locale: str,
                   params: dict[str, object]) -> NotificationRow | None:
        """One message on the caller's channel (if the preferences or the template allow it), plus
        the in-app inbox item. Returns the channel's row, or None when the user opted out of it."""
        rows = await self._queue(user_id, {channel: recipient}, event_type, locale, params,
                                 forced=channel if is_mandatory(event_type) else None)
        return next((r for r in rows if r.channel == channel), None)

    async def notify(self, *, user_id: str, event_type: str, locale: str, params: dict[str, object],
                     email: str | None = None, phone: str | None = None) -> list[NotificationRow]:
        """Fan out to every channel the user keeps on for the template's category."""
        addresses = {"EMAIL": email, "SMS": phone}
        return await self._queue(user_id, {c: a for c, a in addresses.items() if a}, event_type, locale, params)

    async def _queue(self, user_id: str, addresses: dict[str, str], event_type: str, locale: str,
                     params: dict[str, object], forced: str | None = None) -> list[NotificationRow]:
        category = category_of(event_type)
        wanted = (await self.preferences.of(user_id))[category]
        now = utcnow()
        rows: list[NotificationRow] = []
        message = render(event_type, locale, params)
        for channel, recipient in addresses.items():
            if channel not in OUTBOUND or not (wanted.get(channel) or channel == forced):
                continue
            rows.append(NotificationRow(
                id=new_id("ntf"), user_id=user_id, channel=channel, category=category, event_type=event_type,
                locale=locale, recipient=recipient, subject=message.subject, body=message.body, created_at=now,
                status="PENDING", next_attempt_at=now))
        if wanted["IN_APP"]:
            inbox = render_inbox(event_type, locale, params)
            rows.append(NotificationRow(
                id=new_id("ntf"), user_id=user_id, channel="IN_APP", category=category, event_type=event_type,
                locale=locale, recipient=user_id, subject=inbox.subject, body=inbox.body, created_at=now,
                status="SENT", sent_at=now))
        for row in rows:
            self.repository.add(row)
            if row.channel == "IN_APP":
                self.events.notification_created(
                    events.NotificationCreatedData(notification_id=row.id, user_id=user_id,
                                                   category=events.NotificationCategory(category),
                                                   event_type=event_type, push=wanted["PUSH"]),
                    subject=row.id, partition_key=user_id)
        return rows
