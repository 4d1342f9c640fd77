"""Changing a password with the current one, and resetting a forgotten one with a code sent by email.

A change ends every other session of the user; a reset ends all of them (the revocation is announced
like logging out everywhere, so every process's credential cache drops them at commit). A reset never
says whether an address is registered (ADR 0013): asking for a code gets the same answer, throttled the
same way, for any address, and a wrong code, an unknown address and an expired code are one refusal.
"""

from __future__ import annotations

from datetime import timedelta

from core.identity.audit import audit
from core.identity.devices.stepup import require_step_up
from core.identity.mfa.stepup import PasskeyFactor
from core.identity.passwords import check_password, hash_password, weaknesses
from core.identity.principal_cache import sessions_of_user_revoked
from core.identity.sessions.errors import current_password_invalid, reset_code_invalid
from core.identity.sessions.repository import SessionRepository
from core.identity.throttle.service import ACCOUNT, ADDRESS, Quota, Throttle
from core.identity.users import errors as user_errors
from core.identity.users.codes import code_matches, hash_code, new_code
from core.identity.users.repository import IdentityRepository
from core.identity.users.service import normalise_email
from core.identity.users.tables import UserRow, VerificationCodeRow
from core.notifications import api as notifications
from core.platform.clock import utcnow
from core.platform.context import RequestContext
from core.platform.ids import new_id
from core.platform.problems import keeping_effects
from generated.asyncapi import events

CHANGE_ACTION = "identity.password.change"  # the step-up action of a password change
# The reset code is kept beside the verification codes (one live code per user and purpose); its
# "channel" names the purpose, and it is only ever sent by email.
RESET_PURPOSE = "RESET"
RESET_TTL = timedelta(minutes=10)
RESET_ATTEMPTS = 5
RESET_RESEND_AFTER = timedelta(minutes=1)  # per address asked for
RESETS_PER_HOUR = Quota(5, timedelta(hours=1))  # per address asked for, and per client address
RESETS_PER_DAY = Quota(10, timedelta(days=1))


class CredentialService:
    def __init__(self, ctx: RequestContext) -> None:
        self.ctx = ctx
        self.users = IdentityRepository(ctx.session)
        self.sessions = SessionRepository(ctx.session)
        self.throttle = Throttle(ctx.session)

    async def _set_password(self, user: UserRow, password: str) -> None:
        user.password_hash = await hash_password(password)
        user.updated_at = utcnow()
        user.version += 1
        self.users.add(user)

    async def _revoke(self, user_id: str, reason: str, *, keep: str | None = None) -> int:
        """End the user's unrevoked sessions but `keep`; announced for the user as a whole."""
        now = utcnow()
        revoked = 0
        for row in await self.sessions.unrevoked(user_id):
            if row.id == keep:
                continue
            row.revoked_at, row.revoked_reason = now, reason
            await self.sessions.add(row)
            revoked += 1
        await sessions_of_user_revoked(self.ctx.session, user_id)
        return revoked

    async def _tell(self, user: UserRow, event_type: str, params: dict[str, str | int]) -> None:
        await notifications.send(self.ctx, notifications.Message(
            user_id=user.id, channel="EMAIL", recipient=user.email, event_type=event_type, locale=user.locale,
            params=params))

    # --- change ------------------------------------------------------------------------------------
    async def change(self, user_id: str, current: str, new: str, step_up_id: str | None,
                     passkeys: PasskeyFactor) -> int:
        """How many other sessions were revoked. The current password first (a wrong one is counted as
        failed logins are, and the refusal keeps that count), then the new one's strength, then the step-up
        a new device needs (consumed only when the change is made)."""
        user = await self.users.user(user_id, for_update=True)
        if user is None:
            raise user_errors.user_not_found(user_id)
        # guessing here costs what guessing at login does, on a counter of its own: a stolen session that
        # fails password changes must not lock its owner out of logging in
        key = f"password-change:user:{user_id}"
        locked = await self.throttle.check([key])
        if locked is not None:
            raise keeping_effects(locked)
        check = await check_password(user.password_hash, current)
        if not check.matches:
            await self.throttle.fail(key, ACCOUNT)
            await audit(self.ctx, "identity.password.change", "FAILURE", target=user_id, reason="CURRENT_PASSWORD_INVALID")
            raise keeping_effects(current_password_invalid())
        weak = weaknesses(new, email=user.email_normalised, phone=user.phone)
        if weak:
            raise user_errors.weak_password(weak, field="body.new_password")
        await require_step_up(self.ctx, CHANGE_ACTION, step_up_id, passkeys)
        await self.throttle.succeed(key)
        await self._set_password(user, new)
        revoked = await self._revoke(user_id, "PASSWORD_CHANGED", keep=self.ctx.principal.session_id)
        self.ctx.events.password_changed(events.PasswordChangedData(user_id=user_id, revoked_sessions=revoked),
                                         subject=user_id, partition_key=user_id)
        await audit(self.ctx, "identity.password.changed", "SUCCESS", target=user_id, revoked_sessions=revoked)
        await self._tell(user, "identity.password_changed", {})
        return revoked

    # --- reset -------------------------------------------------------------------------------------
    async def request_reset(self, email: str) -> timedelta:
        """Send a reset code if an ACTIVE user has this email; the code's lifetime either way. Throttled
        per address asked for (known or not) and per client address, before anything is looked up."""
        address = normalise_email(email)
        client = self.ctx.client_address or "unknown"
        wait_key = f"reset-wait:{address}"
        quotas = {f"reset-h:to:{address}": RESETS_PER_HOUR, f"reset-d:to:{address}": RESETS_PER_DAY,
                  f"reset-h:addr:{client}": RESETS_PER_HOUR, f"reset-d:addr:{client}": RESETS_PER_DAY}
        wait = max(await self.throttle.wait([wait_key]), await self.throttle.quota_wait(quotas))
        if wait > timedelta(0):
            raise user_errors.too_many_requests("PASSWORD_RESET_THROTTLED",
                                                "A reset code was asked for a moment ago; wait before asking again.",
                                                wait)
        await self.throttle.count(quotas)
        await self.throttle.hold(wait_key, RESET_RESEND_AFTER)
        user = await self.users.user_by_email(address)
        if user is None or user.status != "ACTIVE":
            await audit(self.ctx, "identity.password.reset_requested", "DENIED", actor_id="unknown",
                        reason="NO_ACTIVE_ACCOUNT")
            return RESET_TTL
        live = await self.users.code(user.id, RESET_PURPOSE)
        if live is not None:
            await self.users.delete(live)
            await self.users.flush()
        code, now = new_code(), utcnow()
        self.users.add(VerificationCodeRow(id=new_id("vrc"), user_id=user.id, channel=RESET_PURPOSE,
                                           code_hash=hash_code(code), attempts_left=RESET_ATTEMPTS, sent_at=now,
                                           expires_at=now + RESET_TTL))
        await audit(self.ctx, "identity.password.reset_requested", "SUCCESS", target=user.id, actor_id=user.id)
        await self._tell(user, "identity.password_reset_code",
                         {"code": code, "minutes": int(RESET_TTL.total_seconds() // 60)})
        return RESET_TTL

    async def confirm_reset(self, email: str, code: str, new: str) -> int:
        """How many sessions were revoked. Every wrong answer is one refusal that keeps its effects (the
        attempt used up, the failure counted per client address)."""
        address_key = f"reset-confirm-addr:{self.ctx.client_address or 'unknown'}"
        locked = await self.throttle.check([address_key])
        if locked is not None:
            raise keeping_effects(locked)
        user = await self.users.user_by_email(normalise_email(email))
        live = await self.users.code(user.id, RESET_PURPOSE) if user is not None and user.status == "ACTIVE" else None
        now = utcnow()
        if live is None or live.expires_at <= now or not code_matches(live.code_hash, code):
            await self.throttle.fail(address_key, ADDRESS)
            if live is not None:
                live.attempts_left -= 1
                if live.expires_at <= now or live.attempts_left <= 0:
                    await self.users.delete(live)
                else:
                    self.users.add(live)
            await audit(self.ctx, "identity.password.reset", "FAILURE", actor_id=user.id if user else "unknown",
                        reason="CODE_INVALID")
            raise keeping_effects(reset_code_invalid())
        assert user is not None
        weak = weaknesses(new, email=user.email_normalised, phone=user.phone)
        if weak:  # the code stays usable: nothing of this attempt is kept
            raise user_errors.weak_password(weak, field="body.new_password")
        await self.users.delete(live)
        user = await self.users.user(user.id, for_update=True)
        assert user is not None
        await self._set_password(user, new)
        await self.throttle.succeed(f"login:user:{user.id}")  # a locked-out owner gets in with the new password
        revoked = await self._revoke(user.id, "PASSWORD_RESET")
        self.ctx.events.password_reset(events.PasswordResetData(user_id=user.id, revoked_sessions=revoked),
                                       subject=user.id, partition_key=user.id)
        await audit(self.ctx, "identity.password.reset", "SUCCESS", target=user.id, actor_id=user.id,
                    revoked_sessions=revoked)
        await self._tell(user, "identity.password_reset", {})
        return revoked
