"""Step-up challenges: a fresh second factor authorising exactly one action (and amount, counterparty),
verified within 5 minutes and consumed once by the operation it was made for.

Other core services call only `consume_step_up` (True once, for a matching VERIFIED challenge) and answer
`step_up_required(...)` when it says False. This module is the bottom of the second factor: it imports
nothing of sessions, devices or passkeys (the device rule, "a new device needs a step-up", is
`devices.stepup.require_step_up`, built on this)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from core.audit.api import AuditEntry, record
from core.identity.mfa.repository import MfaRepository
from core.identity.mfa.tables import StepUpRow
from core.platform.clock import utcnow
from core.platform.context import RequestContext
from core.platform.money import format_amount
from core.platform.problems import ProblemError, not_found

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


class PasskeyFactor(Protocol):
    """Passkeys as a second factor. The passkeys subpackage sits above mfa and hands this in (see
    `passkeys.factor.PasskeySecondFactor`); mfa never imports it."""

    async def registered(self, user_id: str) -> bool:
        """Whether the user has at least one passkey."""
        ...

    async def verify_step_up(self, user_id: str, step_up_id: str, credential: dict[str, Any]) -> bool:
        """Whether `credential` is a valid, user-verified assertion over a challenge issued for this step-up."""
        ...


def step_up_required(action: str, *, methods: list[str] | None = None, detail: str | None = None) -> ProblemError:
    """The 403 an operation answers without a usable step-up: which challenge to create and how to pass it."""
    return ProblemError(
        403, "STEP_UP_REQUIRED", "Step-up required",
        detail or f"Create a step-up for `{action}` at {STEP_UP_URL}, verify it, and send its id as X-Step-Up-Id.",
        extensions={"action": action, "methods": list(methods if methods is not None else ["TOTP", "PASSKEY"]),
                    "step_up_url": STEP_UP_URL})


def step_up_not_found(step_up_id: str) -> ProblemError:
    return not_found("STEP_UP_NOT_FOUND", f"No step-up {step_up_id}.")


async def available_methods(ctx: RequestContext, user_id: str, passkeys: PasskeyFactor) -> list[str]:
    repository = MfaRepository(ctx.session)
    methods = []
    factor = await repository.factor(user_id)
    if factor is not None and factor.state == "ENABLED":
        methods.append("TOTP")
        if factor.recovery_hashes:
            methods.append("RECOVERY_CODE")
    if await passkeys.registered(user_id):
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


async def consume_step_up(ctx: RequestContext, *, user_id: str, step_up_id: str | None, action: str,
                          amount_minor: int | None = None, asset: str | None = None,
                          counterparty: str | None = None) -> bool:
    """True exactly once for a VERIFIED, unexpired challenge of this user whose scope matches; it is then
    CONSUMED (in the caller's unit of work). False otherwise, and nothing changes."""
    if not step_up_id:
        return False
    repository = MfaRepository(ctx.session)
    row = await repository.step_up(step_up_id, for_update=True)
    if row is None or row.user_id != user_id or status_of(row) != "VERIFIED":
        return False
    granted = Scope(row.action, row.amount_minor, row.asset, row.counterparty)
    if not scope_matches(granted, Scope(action, amount_minor, asset, counterparty)):
        return False
    now = utcnow()
    # conditional on the status: of two concurrent consumers only one changes the row
    if not await repository.move_step_up(row, "VERIFIED", status="CONSUMED", consumed_at=now):
        return False
    await record(ctx.session, AuditEntry(actor_id=user_id, actor_kind="USER", action="identity.step_up.consumed",
                                     result="SUCCESS", target=f"step_up/{step_up_id}", details={"action": action}))
    return True

