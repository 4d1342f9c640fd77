"""Login, refresh-token rotation with family revocation on reuse, listing and revoking sessions."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from core.audit.api import AuditEntry, record
from core.identity.devices.service import DeviceSighting, seen
from core.identity.mfa.service import MfaService
from core.identity.passwords import check_password
from core.identity.principal_cache import session_revoked, sessions_of_user_revoked
from core.identity.sessions.errors import invalid_credentials, invalid_refresh, session_not_found, verification_pending
from core.identity.sessions.repository import SessionRepository
from core.identity.sessions.tables import RefreshTokenRow, SessionRow
from core.identity.sessions.tokens import ACCESS_TTL, current_key, issue_access_token
from core.identity.throttle.service import ACCOUNT, ADDRESS, Throttle
from core.identity.users.repository import IdentityRepository
from core.identity.users.service import normalise_email, to_e164
from core.identity.users.tables import UserRow
from core.platform.clock import utcnow
from core.platform.context import RequestContext
from core.platform.ids import new_id
from core.platform.pagination import PageSlice, decode_cursor, slice_page
from core.platform.problems import ProblemError, keeping_effects

# A session unused for SESSION_IDLE, or older than SESSION_LIFETIME, can no longer be refreshed.
SESSION_IDLE = timedelta(days=30)
SESSION_LIFETIME = timedelta(days=90)


def session_expiry(row: SessionRow) -> datetime:
    """When the session ends unless it is refreshed first: idle timeout, capped by its lifetime."""
    return min(row.last_used_at + SESSION_IDLE, row.created_at + SESSION_LIFETIME)


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str
    session_id: str
    expires_in: int


def normalise_identifier(identifier: str) -> tuple[str, str]:
    """("EMAIL", lower-cased address) or ("PHONE", E.164): letter case and spaces never make a new identity."""
    compact = "".join(identifier.split())
    if "@" in compact:
        return "EMAIL", normalise_email(compact)
    try:
        return "PHONE", to_e164(compact)
    except ProblemError:
        return "PHONE", compact


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def find_user(session: IdentityRepository, identifier: str) -> UserRow | None:
    """The user an email or phone identifier names, however it is written."""
    kind, value = normalise_identifier(identifier)
    return await (session.user_by_email(value) if kind == "EMAIL" else session.user_by_phone(value))


class SessionService:
    def __init__(self, ctx: RequestContext) -> None:
        self.ctx = ctx
        self.session = ctx.session
        self.repository = SessionRepository(ctx.session)

    async def _find_user(self, identifier: str) -> UserRow | None:
        return await find_user(IdentityRepository(self.session), identifier)

    async def _issue(self, row: SessionRow) -> Tokens:
        refresh = secrets.token_urlsafe(32)
        await self.repository.add(RefreshTokenRow(token_hash=_hash(refresh), session_id=row.id, created_at=utcnow()))
        key = await current_key(self.session)
        access = issue_access_token(key, user_id=row.user_id, session_id=row.id, aal=row.aal)
        return Tokens(access, refresh, row.id, int(ACCESS_TTL.total_seconds()))

    async def login(self, identifier: str, password: str, device: DeviceSighting | None = None,
                    totp_code: str | None = None) -> Tokens:
        """Tokens; a refusal keeps its effects (the failed attempt it records). With `totp_code` a user with
        TOTP gets an AAL2 session in one step."""
        client_address = self.ctx.client_address
        kind, value = normalise_identifier(identifier)
        user = await self._find_user(identifier)
        # one counter per user, whichever identifier is used; an unknown identifier gets its own,
        # which behaves exactly the same, so the lockout tells nothing about who is registered
        account_key = f"login:user:{user.id}" if user is not None else f"login:{kind}:{value}"
        address_key = f"login-addr:{client_address or 'unknown'}"
        throttle = Throttle(self.session)
        locked = await throttle.check([account_key, address_key])
        if locked is not None:  # the same answer for known and unknown identifiers
            raise keeping_effects(locked)
        # an unknown user is checked against a dummy hash, in the same queue: both refusals take as long
        check = await check_password(user.password_hash if user else None, password)
        if user is not None and check.matches and user.status == "PENDING_VERIFICATION":
            # only the right password gets here: it tells its owner how to finish, and is no failure
            await self._audit(user.id, "identity.session.login", "DENIED", reason="VERIFICATION_PENDING",
                              client_ip=client_address, identifier_kind=kind)
            # the values startUserVerification takes as `channel`, so a client can pass them on as they are
            channels = [c for c, done in (("SMS", user.phone_verified), ("EMAIL", user.email_verified)) if not done]
            raise keeping_effects(verification_pending(user.id, channels))
        if user is None or not check.matches or user.status != "ACTIVE":
            await throttle.fail(account_key, ACCOUNT)
            await throttle.fail(address_key, ADDRESS)
            await self._audit(user.id if user else "unknown", "identity.session.login", "FAILURE",
                              reason="INVALID_CREDENTIALS", client_ip=client_address, identifier_kind=kind)
            raise keeping_effects(invalid_credentials())
        await throttle.succeed(account_key)
        if check.rehashed is not None:  # made at an older cost: keep the one made at today's
            user.password_hash = check.rehashed
            IdentityRepository(self.session).add(user)
        if totp_code is not None:
            await MfaService(self.ctx).login_aal2(user.id, totp_code)
            return await self.open(user.id, aal="AAL2", device=device)
        return await self.open(user.id, aal="AAL1", device=device)

    async def open(self, user_id: str, *, aal: str, device: DeviceSighting | None = None,
                   device_id: str | None = None) -> Tokens:
        """The one place a session starts (password, passkey, ...): a new refresh-token family, bound to
        the device the client named (recognised, or announced as new). Every login path should pass
        `device`; a session without one has no device and counts as a new device for step-ups. A session
        that replaces another on the same device (elevation) passes that `device_id` instead."""
        now = utcnow()
        session_id = new_id("ses")
        had_session = partial(self.repository.any_of_user, user_id)
        bound = await device.admit(user_id, session_id, had_session) if device is not None else None
        row = SessionRow(id=session_id, user_id=user_id, aal=aal, created_at=now, last_used_at=now,
                         device_id=bound.id if bound else device_id)
        await self.repository.add(row, flush=True)
        await self._audit(user_id, "identity.session.started", "SUCCESS", target=session_id, aal=aal,
                          device_id=row.device_id)
        return await self._issue(row)

    async def _audit(self, actor_id: str, action: str, result: str, *, target: str | None = None,
                     reason: str | None = None, client_ip: str | None = None, device_id: str | None = None,
                     **details: object) -> None:
        await record(self.session, AuditEntry(actor_id=actor_id, actor_kind="USER", action=action, result=result,
                                              target=target, reason=reason, device_id=device_id,
                                              client_ip=client_ip, details=details))

    async def refresh(self, token: str) -> Tokens:
        """New tokens; a refusal keeps its effects (the family revocation it causes)."""
        stored = await self.repository.refresh_token(_hash(token))
        if stored is None:
            raise keeping_effects(invalid_refresh())
        family = await self.repository.get(stored.session_id, for_update=True)
        assert family is not None
        now = utcnow()
        if family.revoked_at is not None:
            raise keeping_effects(invalid_refresh())
        if now - family.last_used_at > SESSION_IDLE or now - family.created_at > SESSION_LIFETIME:
            family.revoked_at, family.revoked_reason = now, "EXPIRED"
            await self.repository.add(family)
            await session_revoked(self.session, family.id)
            raise keeping_effects(invalid_refresh())
        if stored.used_at is not None:  # a stolen copy is being replayed: end the whole family
            family.revoked_at, family.revoked_reason = now, "REFRESH_TOKEN_REUSED"
            await self._audit(family.user_id, "identity.session.refresh_token_reused", "DENIED", target=family.id,
                              reason="REFRESH_TOKEN_REUSED", device_id=family.device_id)
            await self.repository.add(family)
            await session_revoked(self.session, family.id)
            raise keeping_effects(invalid_refresh())
        stored.used_at = now
        family.last_used_at = now
        await self.repository.add(stored)
        await self.repository.add(family)
        if family.device_id:
            await seen(self.session, family.device_id, now)
        return await self._issue(family)

    async def list(self, user_id: str, *, limit: int, cursor: str | None) -> PageSlice[SessionRow]:
        """Live sessions, newest first: not revoked, and neither idle nor past their lifetime (such a
        session is marked EXPIRED only when someone tries to refresh it)."""
        now = utcnow()
        after = decode_cursor(cursor)
        rows = await self.repository.live_page(user_id, idle_since=now - SESSION_IDLE,
                                               started_since=now - SESSION_LIFETIME,
                                               before_id=str(after[0]) if after is not None else None, limit=limit + 1)
        return slice_page(rows, limit, lambda row: [row.id])

    async def revoke(self, user_id: str, session_id: str) -> None:
        row = await self.repository.get(session_id)
        # another user's session looks exactly like a missing one (no BOLA, no probing)
        if row is None or row.user_id != user_id or row.revoked_at is not None:
            raise session_not_found(session_id)
        row.revoked_at, row.revoked_reason = utcnow(), "LOGOUT"
        await self.repository.add(row)
        await session_revoked(self.session, session_id)
        await self._audit(user_id, "identity.session.revoked", "SUCCESS", target=session_id)

    async def revoke_all(self, user_id: str) -> int:
        # every unrevoked session, idle ones included: they could still be presented later
        rows = await self.repository.unrevoked(user_id)
        now = utcnow()
        for row in rows:
            row.revoked_at, row.revoked_reason = now, "LOGOUT_EVERYWHERE"
            await self.repository.add(row)
        await sessions_of_user_revoked(self.session, user_id)
        await self._audit(user_id, "identity.session.revoked_all", "SUCCESS", sessions=len(rows))
        return len(rows)

    async def revoke_on_device(self, device_id: str, now: datetime) -> int:
        """End every live session on a device being revoked; how many."""
        return await self.repository.revoke_on_device(device_id, now)

    async def elevate(self, user_id: str, session_id: str | None, *, totp_code: str | None,
                      recovery_code: str | None) -> Tokens:
        """A new AAL2 session replacing the caller's session; the old one (and its refresh tokens) is revoked,
        so neither a copied AAL1 token nor its refresh family ever gains the higher level."""
        mfa = MfaService(self.ctx)
        proof = await mfa.check_second_factor(user_id, totp_code=totp_code, recovery_code=recovery_code,
                                              purpose="elevation")
        old = await self.repository.get(session_id) if session_id else None
        if old is not None and old.user_id == user_id and old.revoked_at is None:
            old.revoked_at, old.revoked_reason = utcnow(), "ELEVATED"
            await self.repository.add(old)
            await session_revoked(self.session, old.id)
        # the new session stays on the same device
        tokens = await self.open(user_id, aal="AAL2", device_id=old.device_id if old is not None else None)
        await mfa.audit(user_id, "identity.session.elevated", target=f"session/{tokens.session_id}",
                        method=proof, via="elevation", replaced_session=session_id)
        return tokens
