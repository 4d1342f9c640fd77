"""Step-up challenges: a fresh second factor authorising exactly one action (and amount, counterparty),
verified within 5 minutes and consumed once by the operation it was made for.

Other core services call only `consume_step_up` (True once, for a matching VERIFIED challenge) and answer
`step_up_required(...)` when it says False."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from core.assets.repository import AssetRepository
from core.audit.log import AuditEntry, record
from core.platform.clock import utcnow
from core.platform.ids import new_id
from core.platform.money import format_amount, parse_amount
from core.platform.problems import FieldProblem, ProblemError, conflict, not_found, unprocessable
from generated.asyncapi import events
from generated.asyncapi.publishers import Publishers

from .mfa import MfaService, second_factor_required, throttle_key
from .mfa_tables import StepUpRow
from .passkey_tables import PasskeyRow
from .passkeys import verify_step_up_assertion
from .throttle import ACCOUNT, Throttle

STEP_UP_TTL = timedelta(minutes=5)
STEP_UP_URL = "/v1/step-ups"


@dataclass(frozen=True)
class Scope:
    """What a challenge authorises; every part must match exactly (no amount covers another amount)."""

    action: str
    amount_minor: int | None = None
    asset: str | None = None
    counterparty: str | None = None


def scope_matches(granted: Scope, requested: Scope) -> bool:
    return (granted.action == requested.action and granted.amount_minor == requested.amount_minor
            and granted.asset == requested.asset and granted.counterparty == requested.counterparty)


def step_up_required(action: str, *, methods: list[str] | None = None, detail: str | None = None) -> ProblemError:
    """The 403 an operation answers without a usable step-up: which challenge to create and how to pass it."""
    return ProblemError(
        403, "STEP_UP_REQUIRED", "Step-up required",
        detail or f"Create a step-up for `{action}` at {STEP_UP_URL}, verify it, and send its id as X-Step-Up-Id.",
        extensions={"action": action, "methods": list(methods if methods is not None else ["TOTP", "PASSKEY"]),
                    "step_up_url": STEP_UP_URL})


def step_up_not_found(step_up_id: str) -> ProblemError:
    return not_found("STEP_UP_NOT_FOUND", f"No step-up {step_up_id}.")


async def _has_passkey(session: AsyncSession, user_id: str) -> bool:
    count = await session.execute(select(func.count()).select_from(PasskeyRow).where(PasskeyRow.user_id == user_id))
    return bool(count.scalar_one())


async def available_methods(session: AsyncSession, user_id: str) -> list[str]:
    methods = []
    factor = await MfaService(session).enabled_factor(user_id)
    if factor is not None:
        methods.append("TOTP")
        if factor.recovery_hashes:
            methods.append("RECOVERY_CODE")
    if await _has_passkey(session, user_id):
        methods.append("PASSKEY")
    return methods


def status_of(row: StepUpRow, now: datetime | None = None) -> str:
    if row.status != "CONSUMED" and (now or utcnow()) >= row.expires_at:
        return "EXPIRED"
    return row.status


def amount_text(row: StepUpRow) -> str | None:
    if row.amount_minor is None or row.amount_scale is None:
        return None
    return format_amount(row.amount_minor, row.amount_scale)


async def consume_step_up(session: AsyncSession, *, user_id: str, step_up_id: str | None, action: str,
                          amount_minor: int | None = None, asset: str | None = None,
                          counterparty: str | None = None) -> bool:
    """True exactly once for a VERIFIED, unexpired challenge of this user whose scope matches; it is then
    CONSUMED (in the caller's unit of work). False otherwise, and nothing changes."""
    if not step_up_id:
        return False
    row = await session.get(StepUpRow, step_up_id, with_for_update=True)
    if row is None or row.user_id != user_id or status_of(row) != "VERIFIED":
        return False
    granted = Scope(row.action, row.amount_minor, row.asset, row.counterparty)
    if not scope_matches(granted, Scope(action, amount_minor, asset, counterparty)):
        return False
    now = utcnow()
    # conditional on the status: of two concurrent consumers only one changes the row
    result = await session.execute(update(StepUpRow).where(StepUpRow.id == step_up_id, StepUpRow.status == "VERIFIED")
                                   .values(status="CONSUMED", consumed_at=now)
                                   .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        return False
    await session.refresh(row)
    await record(session, AuditEntry(actor_id=user_id, actor_kind="USER", action="identity.step_up.consumed",
                                     result="SUCCESS", target=f"step_up/{step_up_id}", details={"action": action}))
    return True


class StepUpService:
    def __init__(self, session: AsyncSession, events: Publishers | None = None, *, client_ip: str | None = None,
                 device_id: str | None = None) -> None:
        self.session = session
        self.events = events
        self.client_ip = client_ip
        self.device_id = device_id

    async def _audit(self, user_id: str, audit_action: str, result: str, target: str, *, reason: str | None = None,
                     **details: object) -> None:
        await record(self.session, AuditEntry(actor_id=user_id, actor_kind="USER", action=audit_action, result=result,
                                              target=target, reason=reason, device_id=self.device_id,
                                              client_ip=self.client_ip, details=dict(details)))

    async def create(self, user_id: str, action: str, *, amount: tuple[str, str] | None = None,
                     counterparty: str | None = None) -> StepUpRow:
        amount_minor = asset = scale = None
        if amount is not None:
            value, asset = amount
            registered = await AssetRepository(self.session).get(asset)
            if registered is None:
                raise unprocessable("ASSET_NOT_FOUND", f"No asset with code {asset} is registered.",
                                    [FieldProblem("body.amount.asset", "ASSET_NOT_FOUND", "Unknown asset.")])
            scale = registered.scale
            amount_minor = parse_amount(value, scale, field="body.amount.value")
        methods = await available_methods(self.session, user_id)
        if not methods:
            raise conflict("STEP_UP_NO_METHOD", "Enrol a second factor (authenticator app or passkey) first.")
        now = utcnow()
        row = StepUpRow(id=new_id("stp"), user_id=user_id, action=action, amount_minor=amount_minor, asset=asset,
                        amount_scale=scale, counterparty=counterparty, status="PENDING", methods=",".join(methods),
                        created_at=now, expires_at=now + STEP_UP_TTL)
        self.session.add(row)
        await self.session.flush()
        await self._audit(user_id, "identity.step_up.created", "SUCCESS", f"step_up/{row.id}", action=action)
        return row

    async def get(self, user_id: str, step_up_id: str) -> StepUpRow:
        row = await self.session.get(StepUpRow, step_up_id)
        if row is None or row.user_id != user_id:  # another user's challenge looks like a missing one
            raise step_up_not_found(step_up_id)
        return row

    async def _verify_passkey(self, user_id: str, row: StepUpRow, credential: dict[str, Any]) -> str | ProblemError:
        if not await _has_passkey(self.session, user_id):
            return unprocessable("STEP_UP_METHOD_UNAVAILABLE", "The user has no passkey usable for a step-up.")
        throttle = Throttle(self.session)
        locked = await throttle.check([throttle_key(user_id)])
        if locked is not None:
            return locked
        if not await verify_step_up_assertion(self.session, user_id=user_id, step_up_id=row.id,
                                              credential=credential):
            await throttle.fail(throttle_key(user_id), ACCOUNT)
            await self._audit(user_id, "identity.mfa.code_rejected", "FAILURE", f"user/{user_id}",
                              reason="PASSKEY_INVALID", method="PASSKEY", purpose="step_up")
            return unprocessable("PASSKEY_ASSERTION_INVALID", "The passkey assertion is not valid for this step-up.")
        await throttle.succeed(throttle_key(user_id))
        return "PASSKEY"

    async def verify(self, user_id: str, step_up_id: str, *, totp_code: str | None = None,
                     recovery_code: str | None = None, passkey: dict[str, Any] | None = None) -> StepUpRow | ProblemError:
        """The VERIFIED challenge, or the refusal (returned: a failed attempt is counted and audited)."""
        row = await self.session.get(StepUpRow, step_up_id, with_for_update=True)
        if row is None or row.user_id != user_id:
            raise step_up_not_found(step_up_id)
        status = status_of(row)
        if status == "EXPIRED":
            raise conflict("STEP_UP_EXPIRED", "The step-up has expired; create a new one.")
        if status != "PENDING":
            raise conflict("STEP_UP_NOT_PENDING", f"The step-up is {status}, not PENDING.")
        given = [m for m in (totp_code, recovery_code, passkey) if m is not None]
        if len(given) != 1:
            return second_factor_required()
        if passkey is not None:
            method = await self._verify_passkey(user_id, row, passkey)
        else:
            mfa = MfaService(self.session, client_ip=self.client_ip, device_id=self.device_id)
            if await mfa.enabled_factor(user_id) is None:
                return unprocessable("STEP_UP_METHOD_UNAVAILABLE", "The user has no authenticator app enabled.")
            method = await mfa.check_second_factor(user_id, totp_code=totp_code, recovery_code=recovery_code,
                                                   purpose="step_up")
        if isinstance(method, ProblemError):
            return method
        now = utcnow()
        result = await self.session.execute(
            update(StepUpRow).where(StepUpRow.id == step_up_id, StepUpRow.status == "PENDING")
            .values(status="VERIFIED", verified_method=method, verified_at=now)
            .execution_options(synchronize_session=False))
        if result.rowcount != 1:
            raise conflict("STEP_UP_NOT_PENDING", "The step-up was verified concurrently.")
        await self.session.refresh(row)
        await self._audit(user_id, "identity.step_up.verified", "SUCCESS", f"step_up/{row.id}", action=row.action,
                          method=method)
        if self.events is not None:
            value = amount_text(row)
            data = events.StepUpVerifiedData(step_up_id=row.id, user_id=user_id, action=row.action,
                                             method=events.StepUpMethod(method))
            if value is not None and row.asset is not None:
                data.amount = events.StepUpAmountData(value=value, asset=row.asset)
            self.events.step_up_verified(data, subject=f"step_up/{row.id}", partition_key=f"user:{user_id}")
        return row
