"""Decisions of DARCA ID KYC: submitting a check, applying a provider's or an operator's decision.

Every status change is one unit of work: the check, the user's level and status, a history row,
the `darca.identity.kyc_status_changed.v1` event (outbox), an audit record and, for decisions,
a notification to the user.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from core.audit.api import AuditEntry, record
from core.identity.kyc.repository import KycRepository
from core.identity.kyc.tables import KycCheckRow, KycHistoryRow, KycProfileRow
from core.identity.users.tables import UserRow
from core.notifications import api as notifications
from core.platform.clock import utcnow
from core.platform.context import RequestContext
from core.platform.ids import new_id
from generated.asyncapi import events

from . import errors
from .provider import CheckSubmission, Decision, KycProvider

LEVELS = ("NONE", "BASIC", "VERIFIED", "ENHANCED")
OPEN = ("PENDING", "MANUAL_REVIEW")
FINAL = ("APPROVED", "REJECTED")
EARLIEST_BIRTH = date(1900, 1, 1)


@dataclass(frozen=True)
class NewCheck:
    target_level: str
    document_type: str
    document_number: str
    issuing_country: str
    first_name: str
    last_name: str
    date_of_birth: date


@dataclass(frozen=True)
class Actor:
    id: str
    kind: str  # USER | OPERATOR | SYSTEM
    device_id: str | None = None
    client_ip: str | None = None


SYSTEM = Actor("kyc-worker", "SYSTEM")


@dataclass(frozen=True)
class KycView:
    user_id: str
    level: str
    status: str
    open_check_id: str | None
    history: list[KycHistoryRow]


def document_digest(document_type: str, country: str, number: str) -> str:
    """Recognises the same document again without keeping its number."""
    return hashlib.sha256(f"{document_type}:{country}:{number.upper()}".encode()).hexdigest()


async def kyc_level(ctx: RequestContext, user_id: str) -> str:
    """The user's KYC level (NONE when the user never passed a check). For other core services."""
    level = await KycRepository(ctx.session).level(user_id)
    return level or "NONE"


class KycService:
    def __init__(self, ctx: RequestContext, *, provider: KycProvider | None = None) -> None:
        self.ctx = ctx
        self.session = ctx.session
        self.events = ctx.events
        self.provider = provider
        self.repository = KycRepository(ctx.session)

    # --- reads ---------------------------------------------------------------------------
    async def _profile(self, user_id: str, *, for_update: bool = False) -> KycProfileRow | None:
        return await self.repository.profile(user_id, for_update=for_update)

    async def _open_check_id(self, user_id: str) -> str | None:
        return await self.repository.open_check_id(user_id, tuple(OPEN))

    async def view(self, user_id: str) -> KycView:
        profile = await self._profile(user_id)
        history = await self.repository.history(user_id)
        return KycView(user_id, profile.level if profile else "NONE", profile.status if profile else "NOT_STARTED",
                       await self._open_check_id(user_id), list(history))

    async def check_of(self, user_id: str, check_id: str) -> KycCheckRow:
        row = await self.repository.check(check_id)
        if row is None or row.user_id != user_id:  # another user's check does not exist for the caller
            raise errors.check_not_found(check_id)
        return row

    # --- submitting ----------------------------------------------------------------------
    async def submit(self, user_id: str, new: NewCheck, actor: Actor) -> KycCheckRow:
        if self.provider is None:
            raise errors.provider_not_configured()
        now = utcnow()
        if not EARLIEST_BIRTH <= new.date_of_birth < now.date():
            raise errors.invalid_date_of_birth()
        profile = await self._profile(user_id, for_update=True)
        if profile is None:
            profile = KycProfileRow(user_id=user_id, level="NONE", status="NOT_STARTED", updated_at=now)
            self.session.add(profile)
            try:
                await self.session.flush()
            except IntegrityError:  # a concurrent first check created the profile
                raise errors.check_in_progress(None) from None
        open_id = await self._open_check_id(user_id)
        if open_id is not None:
            raise errors.check_in_progress(open_id)
        if LEVELS.index(new.target_level) <= LEVELS.index(profile.level):
            raise errors.target_not_above(profile.level, new.target_level)
        number = new.document_number.upper()
        check_id = new_id("kyc")
        reference = await self.provider.submit(CheckSubmission(
            check_id=check_id, target_level=new.target_level, document_type=new.document_type,
            document_number=number, issuing_country=new.issuing_country, first_name=new.first_name,
            last_name=new.last_name, date_of_birth=new.date_of_birth))
        check = KycCheckRow(id=check_id, user_id=user_id, target_level=new.target_level, status="PENDING",
                            document_type=new.document_type, document_country=new.issuing_country,
                            document_last4=number[-4:],
                            document_hash=document_digest(new.document_type, new.issuing_country, number),
                            provider=self.provider.name, provider_reference=reference, next_poll_at=now,
                            created_at=now, updated_at=now)
        self.session.add(check)
        await self._change(profile, check, to_status="PENDING", to_level=profile.level, reason=None, now=now)
        await record(self.session, AuditEntry(
            actor_id=actor.id, actor_kind=actor.kind, action="identity.kyc.check_submitted", result="SUCCESS",
            target=check_id, device_id=actor.device_id, client_ip=actor.client_ip,
            details={"target_level": new.target_level, "document_type": new.document_type,
                     "issuing_country": new.issuing_country, "provider": self.provider.name}))
        return check

    # --- deciding ------------------------------------------------------------------------
    async def lock_check(self, check_id: str) -> KycCheckRow | None:
        return await self.repository.check(check_id, for_update=True)

    async def decide_manually(self, check_id: str, approve: bool, reason: str, actor: Actor) -> KycCheckRow:
        check = await self.lock_check(check_id)
        if check is None:
            raise errors.check_not_found(check_id)
        if check.status != "MANUAL_REVIEW":
            raise errors.not_in_manual_review(check.status)
        await self.apply(check, Decision("APPROVED" if approve else "REJECTED", reason), actor)
        return check

    async def apply(self, check: KycCheckRow, decision: Decision, actor: Actor) -> None:
        """Apply a decision to an open (locked) check, with everything that goes with it."""
        now = utcnow()
        profile = await self._profile(check.user_id, for_update=True)
        assert profile is not None, "a check always has a profile"
        to_level = profile.level
        if decision.outcome == "APPROVED" and LEVELS.index(check.target_level) > LEVELS.index(profile.level):
            to_level = check.target_level  # levels never go down
        check.status = decision.outcome
        check.reason = decision.reason
        check.updated_at = now
        check.next_poll_at = None
        if decision.outcome in FINAL:
            check.decided_at = now
        self.session.add(check)
        change = await self._change(profile, check, to_status=decision.outcome, to_level=to_level,
                                    reason=decision.reason, now=now)
        await record(self.session, AuditEntry(
            actor_id=actor.id, actor_kind=actor.kind, action="identity.kyc.check_decided", result="SUCCESS",
            target=check.id, reason=decision.reason, device_id=actor.device_id, client_ip=actor.client_ip,
            details={"user_id": check.user_id, "outcome": decision.outcome, "from_level": change.from_level,
                     "to_level": change.to_level, "provider": check.provider}))
        await self._notify(check.user_id, change)

    async def _change(self, profile: KycProfileRow, check: KycCheckRow, *, to_status: str, to_level: str,
                      reason: str | None, now: datetime) -> KycHistoryRow:
        change = KycHistoryRow(id=new_id("kyh"), user_id=profile.user_id, check_id=check.id, at=now,
                               from_level=profile.level, to_level=to_level, from_status=profile.status,
                               to_status=to_status, reason=reason)
        self.session.add(change)
        profile.level, profile.status, profile.updated_at = to_level, to_status, now
        profile.version += 1
        self.session.add(profile)
        data = events.KycStatusChangedData(
            user_id=profile.user_id, check_id=check.id, from_level=events.KycLevel(change.from_level),
            to_level=events.KycLevel(to_level), from_status=events.KycStatus(change.from_status),
            to_status=events.KycStatus(to_status))
        if reason:
            data.reason = reason
        self.events.kyc_status_changed(data, subject=profile.user_id, partition_key=profile.user_id)
        await self.session.flush()
        return change

    async def _notify(self, user_id: str, change: KycHistoryRow) -> None:
        user = await self.session.get(UserRow, user_id)
        if user is None:
            return
        await notifications.send(self.ctx, notifications.Message(
            user_id=user_id, channel="EMAIL", recipient=user.email, event_type="identity.kyc_status_changed",
            locale=user.locale, params={"status": change.to_status, "level": change.to_level,
                                        "reason": change.reason or "-"}))


async def due_check_ids(session: AsyncSession, now: datetime, limit: int) -> list[str]:
    return await KycRepository(session).due_check_ids(now, limit)


async def claim_due_check(session: AsyncSession, check_id: str, now: datetime) -> KycCheckRow | None:
    """Lock one due check for this transaction, or None when it was decided or another worker has it."""
    return await KycRepository(session).claim_due_check(check_id, now)
