"""Login, refresh-token rotation with family revocation on reuse, listing and revoking sessions."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.audit.log import AuditEntry, record
from core.platform.clock import utcnow
from core.platform.ids import new_id
from core.platform.pagination import PageSlice, decode_cursor, slice_page
from core.platform.problems import ProblemError

from .devices import DeviceSighting, seen
from .passwords import hash_password, verify_password
from .service import normalise_email, to_e164
from .tables import RefreshTokenRow, SessionRow, UserRow
from .throttle import ACCOUNT, ADDRESS, Throttle
from .tokens import ACCESS_TTL, current_key, issue_access_token

# A session unused for SESSION_IDLE, or older than SESSION_LIFETIME, can no longer be refreshed.
SESSION_IDLE = timedelta(days=30)
SESSION_LIFETIME = timedelta(days=90)


def session_expiry(row: SessionRow) -> datetime:
    """When the session ends unless it is refreshed first: idle timeout, capped by its lifetime."""
    return min(row.last_used_at + SESSION_IDLE, row.created_at + SESSION_LIFETIME)


# verified against when the user does not exist, so both refusals cost the same argon2 work
_DUMMY_HASH = hash_password("no-such-user-placeholder")


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str
    session_id: str
    expires_in: int


def invalid_credentials() -> ProblemError:
    return ProblemError(401, "INVALID_CREDENTIALS", "Invalid credentials", "The identifier or password is wrong.",
                        headers={"WWW-Authenticate": "Bearer"})


def invalid_refresh() -> ProblemError:
    return ProblemError(401, "INVALID_REFRESH_TOKEN", "Invalid refresh token",
                        "The refresh token is not valid; log in again.", headers={"WWW-Authenticate": "Bearer"})


def session_not_found(session_id: str) -> ProblemError:
    return ProblemError(404, "SESSION_NOT_FOUND", "Not found", f"No session {session_id}.")


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


class SessionService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _find_user(self, identifier: str) -> UserRow | None:
        kind, value = normalise_identifier(identifier)
        column = UserRow.email_normalised if kind == "EMAIL" else UserRow.phone
        return (await self.session.execute(select(UserRow).where(column == value))).scalars().first()

    async def _issue(self, row: SessionRow) -> Tokens:
        refresh = secrets.token_urlsafe(32)
        self.session.add(RefreshTokenRow(token_hash=_hash(refresh), session_id=row.id, created_at=utcnow()))
        key = await current_key(self.session)
        access = issue_access_token(key, user_id=row.user_id, session_id=row.id, aal=row.aal)
        return Tokens(access, refresh, row.id, int(ACCESS_TTL.total_seconds()))

    async def login(self, identifier: str, password: str, client_address: str | None,
                    device: DeviceSighting | None = None, totp_code: str | None = None) -> Tokens | ProblemError:
        """Tokens, or the refusal (returned, so the failed attempt it records is committed). With `totp_code`
        a user with TOTP gets an AAL2 session in one step."""
        kind, value = normalise_identifier(identifier)
        user = await self._find_user(identifier)
        # one counter per user, whichever identifier is used; an unknown identifier gets its own,
        # which behaves exactly the same, so the lockout tells nothing about who is registered
        account_key = f"login:user:{user.id}" if user is not None else f"login:{kind}:{value}"
        address_key = f"login-addr:{client_address or 'unknown'}"
        throttle = Throttle(self.session)
        locked = await throttle.check([account_key, address_key])
        if locked is not None:  # the same answer for known and unknown identifiers
            return locked
        ok = verify_password(user.password_hash if user else _DUMMY_HASH, password)
        if user is None or not ok or user.status != "ACTIVE":
            await throttle.fail(account_key, ACCOUNT)
            await throttle.fail(address_key, ADDRESS)
            await self._audit(user.id if user else "unknown", "identity.session.login", "FAILURE",
                              reason="INVALID_CREDENTIALS", client_ip=client_address, identifier_kind=kind)
            return invalid_credentials()
        await throttle.succeed(account_key)
        if totp_code is not None:
            from .mfa import MfaService  # lazily: mfa builds on this module

            refused = await MfaService(self.session, client_ip=client_address).login_aal2(user.id, totp_code)
            if refused is not None:
                return refused
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
        bound = await device.admit(user_id, session_id) if device is not None else None
        row = SessionRow(id=session_id, user_id=user_id, aal=aal, created_at=now, last_used_at=now,
                         device_id=bound.id if bound else device_id)
        self.session.add(row)
        await self.session.flush()
        await self._audit(user_id, "identity.session.started", "SUCCESS", target=session_id, aal=aal,
                          device_id=row.device_id)
        return await self._issue(row)

    async def _audit(self, actor_id: str, action: str, result: str, *, target: str | None = None,
                     reason: str | None = None, client_ip: str | None = None, device_id: str | None = None,
                     **details: object) -> None:
        await record(self.session, AuditEntry(actor_id=actor_id, actor_kind="USER", action=action, result=result,
                                              target=target, reason=reason, device_id=device_id,
                                              client_ip=client_ip, details=details))

    async def refresh(self, token: str) -> Tokens | ProblemError:
        """New tokens, or the refusal (returned so the family revocation it causes is committed)."""
        stored = (await self.session.execute(
            select(RefreshTokenRow).where(RefreshTokenRow.token_hash == _hash(token)).with_for_update()
        )).scalars().first()
        if stored is None:
            return invalid_refresh()
        family = (await self.session.execute(
            select(SessionRow).where(SessionRow.id == stored.session_id).with_for_update())).scalars().one()
        now = utcnow()
        if family.revoked_at is not None:
            return invalid_refresh()
        if now - family.last_used_at > SESSION_IDLE or now - family.created_at > SESSION_LIFETIME:
            family.revoked_at, family.revoked_reason = now, "EXPIRED"
            self.session.add(family)
            return invalid_refresh()
        if stored.used_at is not None:  # a stolen copy is being replayed: end the whole family
            family.revoked_at, family.revoked_reason = now, "REFRESH_TOKEN_REUSED"
            await self._audit(family.user_id, "identity.session.refresh_token_reused", "DENIED", target=family.id,
                              reason="REFRESH_TOKEN_REUSED", device_id=family.device_id)
            self.session.add(family)
            return invalid_refresh()
        stored.used_at = now
        family.last_used_at = now
        self.session.add_all([stored, family])
        if family.device_id:
            await seen(self.session, family.device_id, now)
        return await self._issue(family)

    async def list(self, user_id: str, *, limit: int, cursor: str | None) -> PageSlice[SessionRow]:
        """Live sessions, newest first: not revoked, and neither idle nor past their lifetime (such a
        session is marked EXPIRED only when someone tries to refresh it)."""
        now = utcnow()
        query = select(SessionRow).where(SessionRow.user_id == user_id, SessionRow.revoked_at.is_(None),
                                         SessionRow.last_used_at > now - SESSION_IDLE,
                                         SessionRow.created_at > now - SESSION_LIFETIME)
        after = decode_cursor(cursor)
        if after is not None:
            query = query.where(SessionRow.id < str(after[0]))
        rows = (await self.session.execute(query.order_by(SessionRow.id.desc()).limit(limit + 1))).scalars().all()
        return slice_page(list(rows), limit, lambda row: [row.id])

    async def revoke(self, user_id: str, session_id: str) -> None:
        row = await self.session.get(SessionRow, session_id)
        # another user's session looks exactly like a missing one (no BOLA, no probing)
        if row is None or row.user_id != user_id or row.revoked_at is not None:
            raise session_not_found(session_id)
        row.revoked_at, row.revoked_reason = utcnow(), "LOGOUT"
        self.session.add(row)
        await self._audit(user_id, "identity.session.revoked", "SUCCESS", target=session_id)

    async def revoke_all(self, user_id: str) -> int:
        # every unrevoked session, idle ones included: they could still be presented later
        rows = (await self.session.execute(
            select(SessionRow).where(SessionRow.user_id == user_id, SessionRow.revoked_at.is_(None)))).scalars().all()
        now = utcnow()
        for row in rows:
            row.revoked_at, row.revoked_reason = now, "LOGOUT_EVERYWHERE"
            self.session.add(row)
        await self._audit(user_id, "identity.session.revoked_all", "SUCCESS", sessions=len(rows))
        return len(rows)
