"""Decisions of DARCA ID: registration and phone/email verification by one-time code.

Registration never says whether an email or phone is already registered (ADR 0013): a registration that
collides with an existing user gets the same 201 and the same verification steps, but is kept apart
(`CollidingRegistrationRow`), its colliding channel's code goes nowhere, and the owner of that address
gets a notice instead. Every code sent is throttled per user and per destination (see LIMITS below)."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import phonenumbers
from sqlalchemy.exc import IntegrityError

from core.identity.audit import audit
from core.identity.passwords import hash_password, weaknesses
from core.identity.throttle.service import ADDRESS, Quota, Throttle
from core.identity.users import errors
from core.identity.users.codes import code_matches, hash_code, new_code
from core.identity.users.repository import IdentityRepository
from core.identity.users.tables import CollidingRegistrationRow, UserRow, VerificationCodeRow
from core.notifications import api as notifications
from core.platform.clock import utcnow
from core.platform.context import RequestContext
from core.platform.ids import new_id
from core.platform.problems import keeping_effects
from generated.asyncapi import events

CODE_TTL = timedelta(minutes=10)
CODE_ATTEMPTS = 5
# LIMITS, shared by every path that sends a one-time code (written into the spec of startUserVerification):
RESEND_AFTER = timedelta(minutes=1)  # between two codes on one channel
EXHAUSTED_WAIT = timedelta(minutes=15)  # after a code's attempts are used up
SENDS_PER_HOUR = Quota(5, timedelta(hours=1))  # per user (all channels) and per destination
SENDS_PER_DAY = Quota(10, timedelta(days=1))
GUESSES_PER_DAY = Quota(15, timedelta(days=1))  # wrong codes per user, across resends and channels
NOTICES_PER_DAY = Quota(3, timedelta(days=1))  # "someone used your address" notices per address

Registrant = UserRow | CollidingRegistrationRow
Activation = Callable[[RequestContext, str], Awaitable[object]]  # (context, user id): what activation brings


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


# Sandbox phone numbers: the North American numbers 555-0100 to 555-0199 of any area code, which are
# reserved for fiction and reach nobody (+1 202 555 0100 ... +1 202 555 0199, +1 415 555 0123, ...).
# Automated journeys register with them and read their SMS codes from GET /v1/sandbox/messages;
# PRODUCTION refuses them, since no code sent there could ever arrive.
SANDBOX_PHONE = re.compile(r"\+1[2-9][0-9]{2}55501[0-9]{2}")


def is_sandbox_phone(e164: str) -> bool:
    return SANDBOX_PHONE.fullmatch(e164) is not None


def normalise_email(email: str) -> str:
    return email.strip().lower()


class IdentityService:
    def __init__(self, ctx: RequestContext) -> None:
        self.ctx = ctx
        self.repo = IdentityRepository(ctx.session)

    async def register(self, new: NewUser, *, sandbox: bool = True) -> Registrant:
        """`sandbox`: whether the platform runs in the SANDBOX environment (outside it, sandbox phone
        numbers are refused)."""
        phone = to_e164(new.phone)
        if not sandbox and is_sandbox_phone(phone):
            raise errors.sandbox_phone()
        email = normalise_email(new.email)
        weak = weaknesses(new.password, email=email, phone=phone)
        if weak:
            raise errors.weak_password(weak)
        password_hash = await hash_password(new.password)  # hashed either way: both answers cost the same
        email_owner, phone_owner = await self.repo.user_by_email(email), await self.repo.user_by_phone(phone)
        if email_owner is not None or phone_owner is not None:
            return await self._collide(new, phone, email, email_owner, phone_owner)
        now = utcnow()
        row = UserRow(id=new_id("usr"), phone=phone, email=new.email.strip(), email_normalised=email,
                      display_name=new.display_name, country=new.country, locale=new.locale,
                      password_hash=password_hash, status="PENDING_VERIFICATION",
                      created_at=now, updated_at=now)
        try:
            async with self.ctx.session.begin_nested():
                self.repo.add(row)
        except IntegrityError:  # a concurrent registration took the email or phone first: one user only
            return await self._collide(new, phone, email, await self.repo.user_by_email(email),
                                       await self.repo.user_by_phone(phone))
        self.ctx.events.user_registered(
            events.UserRegisteredData(user_id=row.id, country=row.country,
                                      status=events.IdentityUserStatus(row.status)),
            subject=row.id, partition_key=row.id)
        await audit(self.ctx, "identity.user.registered", "SUCCESS", target=row.id, actor_id=row.id)
        return row

    async def _collide(self, new: NewUser, phone: str, email: str, email_owner: UserRow | None,
                       phone_owner: UserRow | None) -> CollidingRegistrationRow:
        """The answer to a registration with someone else's address: a registration that claims nothing."""
        now = utcnow()
        row = CollidingRegistrationRow(
            id=new_id("usr"), phone=phone, email=new.email.strip(), email_normalised=email,
            phone_collides=phone_owner is not None, email_collides=email_owner is not None,
            display_name=new.display_name, country=new.country, locale=new.locale, created_at=now, updated_at=now)
        self.repo.add(row)
        await self.repo.flush()
        if email_owner is not None:
            await self._notify_owner(email_owner, "EMAIL")
        if phone_owner is not None and phone_owner is not email_owner:
            await self._notify_owner(phone_owner, "SMS")
        await audit(self.ctx, "identity.user.registration_collided", "DENIED", target=row.id, actor_id=row.id,
                    email_collides=row.email_collides, phone_collides=row.phone_collides)
        return row

    async def _notify_owner(self, owner: UserRow, channel: str) -> None:
        """Tell the owner of an address that someone used it to register (at most NOTICES_PER_DAY)."""
        destination = owner.email_normalised if channel == "EMAIL" else owner.phone
        quota = {f"notice-d:to:{destination}": NOTICES_PER_DAY}
        throttle = Throttle(self.ctx.session)
        if await throttle.quota_wait(quota) > timedelta(0):
            return
        await throttle.count(quota)
        await notifications.send(self.ctx, notifications.Message(
            user_id=owner.id, channel=channel,
            recipient=owner.email if channel == "EMAIL" else owner.phone,
            event_type="identity.registration_attempt", locale=owner.locale, params={}))

    async def active_user(self, user_id: str) -> UserRow:
        """A user who can hold a session (the caller of `/v1/me`): 404 USER_NOT_FOUND otherwise."""
        row = await self.repo.user(user_id)
        if row is None:
            raise errors.user_not_found(user_id)
        return row

    async def _user(self, user_id: str) -> Registrant:
        row: Registrant | None = await self.repo.user(user_id, for_update=True)
        if row is None:
            row = await self.repo.colliding(user_id)
        if row is None:
            raise errors.user_not_found(user_id)
        return row

    @staticmethod
    def _collides(user: Registrant, channel: str) -> bool:
        if not isinstance(user, CollidingRegistrationRow):
            return False
        return user.phone_collides if channel == "SMS" else user.email_collides

    async def start_verification(self, user_id: str, channel: str) -> Challenge:
        user = await self._user(user_id)
        if (user.phone_verified if channel == "SMS" else user.email_verified):
            raise errors.already_verified(channel)
        destination = user.email_normalised if channel == "EMAIL" else user.phone
        throttle = Throttle(self.ctx.session)
        wait_key = f"code-wait:{user_id}:{channel}"  # kept apart from the code row, which exhaustion deletes
        wait = await throttle.wait([wait_key])
        if wait > timedelta(0):
            raise errors.too_many_requests("VERIFICATION_RESEND_THROTTLED",
                                           "A code was sent a moment ago; wait before asking again.", wait)
        wait = await throttle.quota_wait({_guesses_key(user_id): GUESSES_PER_DAY})
        if wait > timedelta(0):
            raise errors.guess_limit(wait)
        sends = {f"code-sends-h:user:{user_id}": SENDS_PER_HOUR, f"code-sends-d:user:{user_id}": SENDS_PER_DAY,
                 f"code-sends-h:to:{destination}": SENDS_PER_HOUR, f"code-sends-d:to:{destination}": SENDS_PER_DAY}
        wait = await throttle.quota_wait(sends)
        if wait > timedelta(0):
            raise errors.too_many_requests("VERIFICATION_SEND_LIMIT_REACHED",
                                           "Too many codes were sent; try again later.", wait)
        await throttle.count(sends)
        await throttle.hold(wait_key, RESEND_AFTER)
        now = utcnow()
        live = await self.repo.code(user_id, channel)
        if live is not None:
            await self.repo.delete(live)
            await self.repo.flush()
        code = new_code()
        row = VerificationCodeRow(id=new_id("vrc"), user_id=user_id, channel=channel, code_hash=hash_code(code),
                                  attempts_left=CODE_ATTEMPTS, sent_at=now, expires_at=now + CODE_TTL)
        self.repo.add(row)
        if self._collides(user, channel):  # the address is someone else's: its owner hears, the code goes nowhere
            owner = await (self.repo.user_by_email(destination) if channel == "EMAIL"
                           else self.repo.user_by_phone(destination))
            if owner is not None:
                await self._notify_owner(owner, channel)
        else:
            await notifications.send(self.ctx, notifications.Message(
                user_id=user_id, channel=channel,
                recipient=user.email if channel == "EMAIL" else user.phone,
                event_type="identity.verification_code", locale=user.locale,
                params={"code": code, "minutes": int(CODE_TTL.total_seconds() // 60)}))
        return Challenge(channel, row.expires_at, now + RESEND_AFTER, row.attempts_left)

    async def confirm_verification(self, user_id: str, channel: str, code: str,
                                   on_activation: Activation | None = None) -> Registrant:
        """The user as verified. A refusal keeps its effects: the used-up attempt it records is committed.
        `on_activation` runs in the same unit of work when this makes the user ACTIVE (the caller opens
        what an active user gets, such as their default wallets)."""
        throttle = Throttle(self.ctx.session)
        address_key = f"verify-addr:{self.ctx.client_address or 'unknown'}"
        locked = await throttle.check([address_key])
        if locked is not None:
            raise keeping_effects(locked)
        guesses = {_guesses_key(user_id): GUESSES_PER_DAY}
        wait = await throttle.quota_wait(guesses)
        if wait > timedelta(0):
            raise keeping_effects(errors.guess_limit(wait))
        user = await self._user(user_id)
        if (user.phone_verified if channel == "SMS" else user.email_verified):
            raise errors.already_verified(channel)
        live = await self.repo.code(user_id, channel)
        if live is None:
            raise errors.no_code(channel)
        now = utcnow()
        if live.expires_at <= now:
            await self.repo.delete(live)
            raise keeping_effects(errors.code_expired())
        # the colliding channel of a registration never verifies, whatever is guessed
        if self._collides(user, channel) or not code_matches(live.code_hash, code):
            await throttle.fail(address_key, ADDRESS)
            await throttle.count(guesses)
            await audit(self.ctx, "identity.verification.confirm", "FAILURE", target=user_id, actor_id=user_id,
                        reason="CODE_INVALID", channel=channel)
            live.attempts_left -= 1
            if live.attempts_left <= 0:
                await self.repo.delete(live)
                await throttle.hold(f"code-wait:{user_id}:{channel}", EXHAUSTED_WAIT)
                raise keeping_effects(errors.too_many_requests(
                    "VERIFICATION_ATTEMPTS_EXHAUSTED", "Too many wrong codes; request a new code later.", EXHAUSTED_WAIT))
            self.repo.add(live)
            raise keeping_effects(errors.code_invalid(live.attempts_left))
        await self.repo.delete(live)
        await audit(self.ctx, "identity.verification.confirm", "SUCCESS", target=user_id, actor_id=user_id,
                    channel=channel)
        if channel == "SMS":
            user.phone_verified = True
        else:
            user.email_verified = True
        if isinstance(user, UserRow) and user.phone_verified and user.email_verified \
                and user.status == "PENDING_VERIFICATION":
            user.status = "ACTIVE"
            self.ctx.events.user_activated(events.UserActivatedData(user_id=user.id), subject=user.id,
                                           partition_key=user.id)
            if on_activation is not None:
                await on_activation(self.ctx, user.id)
        user.updated_at = now
        user.version += 1
        self.repo.add(user)
        await self.repo.flush()
        return user


def _guesses_key(user_id: str) -> str:
    return f"code-guesses-d:user:{user_id}"
