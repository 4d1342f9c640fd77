"""Sending a notification: render the template, keep it in the user's inbox, deliver on its channel.

SMS has no outside provider yet: an SMS notification is recorded (sandbox delivery) and stays
readable in the notifications table.
"""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from core.platform.clock import utcnow
from core.platform.ids import new_id

from .mailer import Mailer
from .tables import NotificationRow
from .templates import render


class NotificationService:
    def __init__(self, session: AsyncSession, mailer: Mailer) -> None:
        self.session = session
        self.mailer = mailer

    async def send(self, *, user_id: str, channel: str, recipient: str, event_type: str, locale: str,
                   params: dict[str, object]) -> NotificationRow:
        rendered = render(event_type, locale, params)
        row = NotificationRow(id=new_id("ntf"), user_id=user_id, channel=channel, event_type=event_type,
                              locale=locale, recipient=recipient, subject=rendered.subject, body=rendered.body,
                              created_at=utcnow())
        self.session.add(row)
        if channel == "EMAIL":
            await self.mailer.send(recipient, rendered.subject, rendered.body)
        return row
