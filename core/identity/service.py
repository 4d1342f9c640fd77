"""Decisions of DARCA ID: registration and phone/email verification by one-time code."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import phonenumbers
from sqlalchemy.exc import IntegrityError

from core.notifications.mailer import Mailer
from core.notifications.service import NotificationService
from core.platform.clock import utcnow
from core.platform.context import RequestContext
from core.platform.ids import new_id
from core.platform.problems import ProblemError
from generated.asyncapi import events

from . import errors
from .audit import audit
from .codes import code_matches, hash_code, new_code
from .passwords import hash_password, weaknesses
from .repository import IdentityRepository
from .tables import UserRow, VerificationCodeRow
from .throttle import ADDRESS, Throttle

CODE_TTL = timedelta(minutes=10)
CODE_ATTEMPTS = 5
RESEND_AFTER = timedelta(minutes=1)


@dataclass(frozen=True)
class NewUser:
    phone: str
    email: str
    display_name: str
    country: str
    locale: str
    password: str


@dataclass(frozen=True)
class Challenge:
    channel: str
    expires_at: datetime
    resend_available_at: datetime
    attempts_left: int


def to_e164(phone: str) -> str:
    try:
        parsed = phonenumbers.parse(phone, None)
    except phonenumbers.NumberParseException:
        raise errors.invalid_phone() from None
    if not phonenumbers.is_valid_number(parsed):
        raise errors.invalid_phone()
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def normalise_email(email: str) -> str:
    return email.strip().lower()


class IdentityService:
    def __init__(self, ctx: RequestContext, mailer: Mailer) -> None:
        self.ctx = ctx
        self.repo = IdentityRepository(ctx.session)
        self.notifications = NotificationService(ctx.session, mailer)

    async def register(self, new: NewUser) -> UserRow:
        phone = to_e164(new.phone)
        email = normalise_email(new.email)
        weak = weaknesses(new.password, email=email, phone=phone)
        if weak:
            raise errors.weak_password(weak)
        if await self.repo.email_taken(email):
            raise errors.email_taken()
        if await self.repo.phone_taken(phone):
            raise errors.phone_taken()
        now = utcnow()
        row = UserRow(id=new_id("usr"), phone=phone, email=new.email.strip(), email_normalised=email,
                      display_name=new.display_name, country=new.country, locale=new.locale,
                      password_hash=hash_password(new.password), status="PENDING_VERIFICATION",
                      created_at=now, updated_at=now)
        self.repo.add(row)
        try:
            await self.repo.flush()
        except IntegrityError:  # a concurrent registration took the email or phone first
            raise ProblemError(409, "IDENTIFIER_ALREADY_REGISTERED", "Conflict",
                               "This email address or phone number is already registered.") from None
        self.ctx.events.user_registered(
            events.UserRegisteredData(user_id=row.id, country=row.country,
                                      status=events.IdentityUserStatus(row.status)),
            subject=row.id, partition_key=row.id)
        await audit(self.ctx, "identity.user.registered", "SUCCESS", target=row.id, actor_id=row.id)
        return row

    async def _user(self, user_id: str) -> UserRow:
        row = await self.repo.user(user_id, for_update=True)
        if row is None:
            raise errors.user_not_found(user_id)
        return row

    async def start_verification(self, user_id: str, channel: str) -> Challenge:
        user = await self._user(user_id)
        if (user.phone_verified if channel == "PHONE" else user.email_verified):
            raise errors.already_verified(channel)
        now = utcnow()
        live = await self.repo.code(user_id, channel)
        if live is not None:
            wait = live.sent_at + RESEND_AFTER - now
            if wait > timedelta(0):
                raise errors.too_many_requests("VERIFICATION_RESEND_THROTTLED",
                                               "A code was sent a moment ago; wait before asking again.", wait)
            await self.repo.delete(live)
            await self.repo.flush()
        code = new_code()
        row = VerificationCodeRow(id=new_id("vrc"), user_id=user_id, channel=channel, code_hash=hash_code(code),
                                  attempts_left=CODE_ATTEMPTS, sent_at=now, expires_at=now + CODE_TTL)
        self.repo.add(row)
        await self.notifications.send(
            user_id=user_id, channel="EMAIL" if channel == "EMAIL" else "SMS",
            recipient=user.email if channel == "EMAIL" else user.phone,
            event_type="identity.verification_code", locale=user.locale,
            params={"code": code, "minutes": int(CODE_TTL.total_seconds() // 60)})
        return Challenge(channel, row.expires_at, now + RESEND_AFTER, row.attempts_left)

    async def confirm_verification(self, user_id: str, channel: str, code: str) -> UserRow | ProblemError:
        """The user as verified, or the refusal. A refusal is returned, not raised, because the
        used-up attempt it records must be committed."""
        throttle = Throttle(self.ctx.session)
        address_key = f"verify-addr:{self.ctx.client_address or 'unknown'}"
        locked = await throttle.check([address_key])
        if locked is not None:
            return locked
        user = await self._user(user_id)
        if (user.phone_verified if channel == "PHONE" else user.email_verified):
            raise errors.already_verified(channel)
        live = await self.repo.code(user_id, channel)
        if live is None:
            raise errors.no_code(channel)
        now = utcnow()
        if live.expires_at <= now:
            await self.repo.delete(live)
            return errors.code_expired()
        if not code_matches(live.code_hash, code):
            await throttle.fail(address_key, ADDRESS)
            await audit(self.ctx, "identity.verification.confirm", "FAILURE", target=user_id, actor_id=user_id,
                        reason="CODE_INVALID", channel=channel)
            live.attempts_left -= 1
            if live.attempts_left <= 0:
                await self.repo.delete(live)
                return errors.too_many_requests("VERIFICATION_ATTEMPTS_EXHAUSTED",
                                                "Too many wrong codes; request a new code.", RESEND_AFTER)
            self.repo.add(live)
            return errors.code_invalid(live.attempts_left)
        await self.repo.delete(live)
        await audit(self.ctx, "identity.verification.confirm", "SUCCESS", target=user_id, actor_id=user_id,
                    channel=channel)
        if channel == "PHONE":
            user.phone_verified = True
        else:
            user.email_verified = True
        if user.phone_verified and user.email_verified and user.status == "PENDING_VERIFICATION":
            user.status = "ACTIVE"
            self.ctx.events.user_activated(events.UserActivatedData(user_id=user.id), subject=user.id,
                                           partition_key=user.id)
        user.updated_at = now
        user.version += 1
        self.repo.add(user)
        await self.repo.flush()
        return user
