"""Devices of DARCA ID: which installation a session was opened on, new-device alerts, trust, revocation.

A device is known by SHA-256(user id, client device id): the client's id is never stored, and the
same installation used by two users gives two unrelated keys. The first device of a brand-new user
(no device and no session before) is the enrolment device: it raises no alert and needs no step-up
for being new. Every later unseen device is NEW: event, email and audit record, and it requires a
step-up before sensitive actions for its first week unless the user trusts it.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from core.audit.api import AuditEntry, record
from core.identity.devices.errors import device_not_found
from core.identity.devices.repository import DeviceRepository
from core.identity.devices.tables import DeviceRow
from core.identity.principal_cache import sessions_of_user_revoked
from core.identity.users.repository import IdentityRepository
from core.notifications import api as notifications
from core.platform.clock import utcnow
from core.platform.context import RequestContext
from core.platform.ids import new_id
from core.platform.pagination import PageSlice, decode_cursor, slice_page
from generated.asyncapi import events

TRUST_TTL = timedelta(days=30)
NEW_DEVICE_WINDOW = timedelta(days=7)  # how long an untrusted new device needs a step-up
USER_AGENT_MAX = 255


@dataclass(frozen=True)
class DeviceClaim:
    """What the client says about the installation it logs in from (all optional)."""

    device_id: str | None = None  # X-Device-Id, already validated by the contract
    name: str | None = None
    user_agent: str | None = None
    client_address: str | None = None


def device_key(user_id: str, client_device_id: str) -> str:
    return hashlib.sha256(f"{user_id}\n{client_device_id}".encode()).hexdigest()


def is_trusted(row: DeviceRow, now: datetime) -> bool:
    return row.trusted_until is not None and row.trusted_until > now


def requires_step_up(row: DeviceRow | None, now: datetime | None = None) -> bool:
    """True for a missing or revoked device, and for a NEW device that is not trusted in its first week."""
    now = now or utcnow()
    if row is None or row.revoked_at is not None:
        return True
    if is_trusted(row, now) or row.enrolment:
        return False
    return row.first_seen_at > now - NEW_DEVICE_WINDOW


async def seen(session: AsyncSession, device_id: str, now: datetime) -> None:
    """A session on the device was used (a token refresh): its `last_seen_at` moves on."""
    await DeviceRepository(session).seen(device_id, now)


class DeviceService:
    def __init__(self, ctx: RequestContext) -> None:
        self.ctx = ctx
        self.session = ctx.session
        self.repository = DeviceRepository(ctx.session)

    # -- at session start ---------------------------------------------------------------------------

    async def _live_by_key(self, key: str) -> DeviceRow | None:
        return await self.repository.live_by_key(key)

    async def recognise(self, user_id: str, claim: DeviceClaim, *, session_id: str,
                        had_session: Callable[[], Awaitable[bool]]) -> DeviceRow:
        """The device this login comes from: a known live one (seen again), or a new one (alerted).
        `had_session` tells whether the user ever had a session (sessions sit above devices)."""
        now = utcnow()
        key = device_key(user_id, claim.device_id or secrets.token_urlsafe(32))  # no header: one-off device
        user_agent = claim.user_agent[:USER_AGENT_MAX] if claim.user_agent else None
        known = await self._live_by_key(key)
        if known is None:
            row = DeviceRow(id=new_id("dev"), user_id=user_id, key_hash=key, name=claim.name, user_agent=user_agent,
                            last_client_address=claim.client_address, first_seen_at=now, last_seen_at=now,
                            enrolment=not (await self.repository.user_had_device(user_id) or await had_session()))
            try:
                async with self.session.begin_nested():  # a concurrent first login from the same device
                    self.repository.add(row)
            except IntegrityError:
                known = await self._live_by_key(key)
                if known is None:
                    raise
            else:
                if not row.enrolment:
                    await self._announce(row, session_id)
                return row
        known.last_seen_at, known.last_client_address = now, claim.client_address or known.last_client_address
        known.name = claim.name or known.name
        known.user_agent = user_agent or known.user_agent
        self.repository.add(known)
        return known

    async def _announce(self, row: DeviceRow, session_id: str) -> None:
        user = await IdentityRepository(self.session).user(row.user_id)
        assert user is not None
        data = events.NewDeviceDetectedData(device_id=row.id, user_id=row.user_id, session_id=session_id)
        if row.name:
            data.name = row.name
        if row.last_client_address:
            data.client_address = row.last_client_address
        self.ctx.events.new_device_detected(data, subject=row.id, partition_key=row.user_id)
        await notifications.send(self.ctx, notifications.Message(
            user_id=user.id, channel="EMAIL", recipient=user.email, event_type="identity.new_device",
            locale=user.locale, params={
                "device_name": row.name or row.user_agent or "unnamed device",
                "client_address": row.last_client_address or "unknown",
                "time": row.first_seen_at.strftime("%Y-%m-%d %H:%M UTC")}))
        await self._audit(row.user_id, "identity.device.new_detected", row, device_id=row.id,
                          details={"session_id": session_id})

    # -- the user's own devices ---------------------------------------------------------------------

    async def _audit(self, user_id: str, action: str, row: DeviceRow, *, device_id: str | None = None,
                     details: dict[str, object] | None = None) -> None:
        await record(self.session, AuditEntry(
            actor_id=user_id, actor_kind="USER", action=action, result="SUCCESS", target=row.id,
            device_id=device_id or self.ctx.principal.device_id, client_ip=self.ctx.client_address,
            details=details or {}))

    async def list(self, user_id: str, *, limit: int, cursor: str | None) -> PageSlice[DeviceRow]:
        after = decode_cursor(cursor)
        rows = await self.repository.page(user_id, before_id=str(after[0]) if after is not None else None,
                                          limit=limit + 1)
        return slice_page(rows, limit, lambda row: [row.id])

    async def get(self, user_id: str, device_id: str, *, for_update: bool = False) -> DeviceRow:
        row = await self.repository.get(device_id, for_update=for_update)
        # another user's device looks exactly like a missing one (no BOLA, no probing)
        if row is None or row.user_id != user_id or row.revoked_at is not None:
            raise device_not_found(device_id)
        return row

    async def trust(self, user_id: str, device_id: str) -> DeviceRow:
        row = await self.get(user_id, device_id, for_update=True)
        row.trusted_until = utcnow() + TRUST_TTL
        self.repository.add(row)
        await self._audit(user_id, "identity.device.trusted", row,
                          details={"trusted_until": row.trusted_until.isoformat()})
        return row

    async def untrust(self, user_id: str, device_id: str) -> DeviceRow:
        row = await self.get(user_id, device_id, for_update=True)
        if row.trusted_until is not None:
            row.trusted_until = None
            self.repository.add(row)
            await self._audit(user_id, "identity.device.untrusted", row)
        return row

    async def revoke(self, user_id: str, device_id: str,
                     end_sessions: Callable[[str, datetime], Awaitable[int]]) -> int:
        """Forget the device and end every live session on it (`end_sessions`, from the sessions above
        devices); how many sessions were revoked."""
        row = await self.get(user_id, device_id, for_update=True)
        now = utcnow()
        row.revoked_at, row.key_hash, row.trusted_until = now, None, None
        self.repository.add(row)
        count = await end_sessions(row.id, now)
        await sessions_of_user_revoked(self.session, user_id)  # those on this device among them
        self.ctx.events.device_revoked(
            events.DeviceRevokedData(device_id=row.id, user_id=user_id, sessions_revoked=count),
            subject=row.id, partition_key=user_id)
        await self._audit(user_id, "identity.device.revoked", row, details={"sessions_revoked": count})
        return count


@dataclass(frozen=True)
class DeviceSighting:
    """A login's device claim with the service that recognises it; `SessionService.open` admits it."""

    service: DeviceService
    claim: DeviceClaim

    async def admit(self, user_id: str, session_id: str, had_session: Callable[[], Awaitable[bool]]) -> DeviceRow:
        return await self.service.recognise(user_id, self.claim, session_id=session_id, had_session=had_session)

