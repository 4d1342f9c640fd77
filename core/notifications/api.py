"""The facade of notifications: the only module handlers, other core domains and the app import.

Sending writes the messages in the caller's unit of work; the dispatcher delivers them after commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.audit.api import AuditEntry, record
from core.platform.context import RequestContext
from core.platform.pagination import PageSlice, decode_cursor, slice_page
from core.platform.problems import ProblemError

from .dispatcher import NotificationDispatcher
from .inbox import Inbox
from .mailer import Mailer, mailer_for, read_spool
from .preferences import CHANNELS, Matrix, Preferences, locked_channels
from .repository import NotificationRepository
from .service import NotificationService
from .tables import NotificationRow
from .templates import code_in

__all__ = ["CHANNELS", "InboxPage", "Mailer", "Matrix", "Message", "Notification", "NotificationDispatcher",
           "PreferenceChange", "SentMessage", "get_preferences", "inbox_page", "locked_channels", "mailer_for",
           "mark_all_read", "mark_read", "read_spool", "send", "sent_messages", "unread_count", "update_preferences"]


@dataclass(frozen=True)
class Message:
    """One templated message to a user on one channel (an in-app copy follows the user's preferences)."""

    user_id: str
    channel: str
    recipient: str
    event_type: str
    locale: str
    params: dict[str, str | int]


@dataclass(frozen=True)
class Notification:
    id: str
    category: str
    event_type: str
    title: str
    body: str
    created_at: datetime
    read_at: datetime | None


@dataclass(frozen=True)
class InboxPage:
    items: list[Notification]
    has_more: bool
    next_cursor: str | None
    unread_count: int


@dataclass(frozen=True)
class PreferenceChange:
    category: str
    channel: str
    enabled: bool


def _notification(row: NotificationRow) -> Notification:
    return Notification(row.id, row.category, row.event_type, row.subject, row.body, row.created_at, row.read_at)


async def send(ctx: RequestContext, message: Message) -> None:
    """Queue `message` in the request's unit of work (nothing when the user opted out of its channel)."""
    await NotificationService(ctx).send(
        user_id=message.user_id, channel=message.channel, recipient=message.recipient,
        event_type=message.event_type, locale=message.locale, params=dict(message.params))


async def inbox_page(ctx: RequestContext, user_id: str, *, limit: int, cursor: str | None,
                     unread_only: bool) -> InboxPage:
    inbox = Inbox(ctx.session, user_id)
    page = await inbox.page(limit=limit, cursor=cursor, unread_only=unread_only)
    return InboxPage([_notification(r) for r in page.items], page.has_more, page.next_cursor,
                     await inbox.unread_count())


async def unread_count(ctx: RequestContext, user_id: str) -> int:
    return await Inbox(ctx.session, user_id).unread_count()


async def mark_read(ctx: RequestContext, user_id: str, notification_id: str) -> Notification:
    return _notification(await Inbox(ctx.session, user_id).mark_read(notification_id))


async def mark_all_read(ctx: RequestContext, user_id: str) -> int:
    return await Inbox(ctx.session, user_id).mark_all_read()


async def get_preferences(ctx: RequestContext, user_id: str) -> Matrix:
    return await Preferences(ctx.session).of(user_id)


async def update_preferences(ctx: RequestContext, user_id: str, changes: list[PreferenceChange]) -> Matrix:
    """Apply the switches (all or nothing) and audit what changed; the effective matrix after."""
    before, after = await Preferences(ctx.session).update(user_id, [(c.category, c.channel, c.enabled)
                                                                    for c in changes])
    changed = {f"{cat}.{ch}": on for cat, channels in after.items() for ch, on in channels.items()
               if before[cat][ch] != on}
    await record(ctx.session, AuditEntry(actor_id=user_id, actor_kind="USER", action="notifications.preferences.updated",
                                         result="SUCCESS", target=user_id, client_ip=ctx.client_address,
                                         details={"changed": changed}))
    return after


@dataclass(frozen=True)
class SentMessage:
    """An email or SMS the platform sent (or is about to send), as the sandbox shows it."""

    id: str
    channel: str
    recipient: str
    event_type: str
    subject: str
    body: str
    code: str | None  # the one-time code of a verification or password-reset message
    status: str
    created_at: datetime


def _recipient(text: str) -> str:
    """An email address as given (compared without letter case), a phone number without its spacing."""
    text = text.strip()
    return text if "@" in text else "".join(ch for ch in text if ch not in " -().")


def sandbox_only() -> ProblemError:
    return ProblemError(403, "SANDBOX_ONLY", "Sandbox only",
                        "The sent-message view exists only in the SANDBOX environment; this platform runs in PRODUCTION.")


async def sent_messages(ctx: RequestContext, *, sandbox: bool, recipient: str | None, channel: str | None,
                        limit: int, cursor: str | None) -> PageSlice[SentMessage]:
    """Email and SMS, newest first: in the SANDBOX environment only (`sandbox`), 403 SANDBOX_ONLY otherwise."""
    if not sandbox:
        raise sandbox_only()
    after = decode_cursor(cursor)
    rows = await NotificationRepository(ctx.session).outbound_page(
        recipient=_recipient(recipient) if recipient is not None else None, channel=channel,
        before_id=str(after[0]) if after else None, limit=limit + 1)
    page = slice_page(rows, limit, lambda row: [row.id])
    return PageSlice([SentMessage(r.id, r.channel, r.recipient, r.event_type, r.subject, r.body,
                                  code_in(r.event_type, r.body), r.status, r.created_at) for r in page.items],
                     page.has_more, page.next_cursor)
