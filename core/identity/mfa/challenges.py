"""Step-up challenges: created for one action (and amount, counterparty), verified once with a fresh second
factor (TOTP, recovery code or passkey). Consuming them is `stepup.consume_step_up`, at the bottom of mfa.
Passkeys come in as a `PasskeyFactor` handed over by the caller: mfa does not import the passkeys above it."""

from __future__ import annotations

from typing import Any

from core.assets.api import AssetService
from core.audit.api import AuditEntry, record
from core.identity.mfa.errors import second_factor_required
from core.identity.mfa.repository import MfaRepository
from core.identity.mfa.service import MfaService, throttle_key
from core.identity.mfa.stepup import (
    STEP_UP_TTL,
    PasskeyFactor,
    amount_text,
    available_methods,
    status_of,
    step_up_not_found,
)
from core.identity.mfa.tables import StepUpRow
from core.identity.throttle.service import ACCOUNT, Throttle
from core.platform.clock import utcnow
from core.platform.context import RequestContext
from core.platform.ids import new_id
from core.platform.money import parse_amount
from core.platform.problems import FieldProblem, ProblemError, conflict, keeping_effects, unprocessable
from generated.asyncapi import events


class StepUpService:
    def __init__(self, ctx: RequestContext, passkeys: PasskeyFactor) -> None:
        self.ctx = ctx
        self.session = ctx.session
        self.passkeys = passkeys
        self.repository = MfaRepository(ctx.session)

    async def _audit(self, user_id: str, audit_action: str, result: str, target: str, *, reason: str | None = None,
                     **details: object) -> None:
        await record(self.session, AuditEntry(actor_id=user_id, actor_kind="USER", action=audit_action, result=result,
                                              target=target, reason=reason, device_id=self.ctx.principal.device_id,
                                              client_ip=self.ctx.client_address, details=dict(details)))

    async def create(self, user_id: str, action: str, *, amount: tuple[str, str] | None = None,
                     counterparty: str | None = None) -> StepUpRow:
        amount_minor = asset = scale = None
        if amount is not None:
            value, asset = amount
            try:
                registered = await AssetService(self.ctx).get(asset)
            except ProblemError:
                raise unprocessable("ASSET_NOT_FOUND", f"No asset with code {asset} is registered.",
                                    [FieldProblem("body.amount.asset", "ASSET_NOT_FOUND", "Unknown asset.")]) from None
            scale = registered.scale
            amount_minor = parse_amount(value, scale, field="body.amount.amount")
        methods = await available_methods(self.ctx, user_id, self.passkeys)
        if not methods:
            raise conflict("STEP_UP_NO_METHOD", "Enrol a second factor (authenticator app or passkey) first.")
        now = utcnow()
        row = StepUpRow(id=new_id("stp"), user_id=user_id, action=action, amount_minor=amount_minor, asset=asset,
                        amount_scale=scale, counterparty=counterparty, status="PENDING", methods=",".join(methods),
                        created_at=now, expires_at=now + STEP_UP_TTL)
        await self.repository.add(row)
        await self._audit(user_id, "identity.step_up.created", "SUCCESS", f"step_up/{row.id}", action=action)
        return row

    async def get(self, user_id: str, step_up_id: str) -> StepUpRow:
        row = await self.repository.step_up(step_up_id)
        if row is None or row.user_id != user_id:  # another user's challenge looks like a missing one
            raise step_up_not_found(step_up_id)
        return row

    async def _verify_passkey(self, user_id: str, row: StepUpRow, credential: dict[str, Any]) -> str:
        if not await self.passkeys.registered(user_id):
            raise keeping_effects(unprocessable("STEP_UP_METHOD_UNAVAILABLE",
                                                "The user has no passkey usable for a step-up."))
        throttle = Throttle(self.session)
        locked = await throttle.check([throttle_key(user_id)])
        if locked is not None:
            raise keeping_effects(locked)
        if not await self.passkeys.verify_step_up(user_id, row.id, credential):
            await throttle.fail(throttle_key(user_id), ACCOUNT)
            await self._audit(user_id, "identity.mfa.code_rejected", "FAILURE", f"user/{user_id}",
                              reason="PASSKEY_INVALID", method="PASSKEY", purpose="step_up")
            raise keeping_effects(unprocessable("PASSKEY_ASSERTION_INVALID",
                                                "The passkey assertion is not valid for this step-up."))
        await throttle.succeed(throttle_key(user_id))
        return "PASSKEY"

    async def verify(self, user_id: str, step_up_id: str, *, totp_code: str | None = None,
                     recovery_code: str | None = None, passkey: dict[str, Any] | None = None) -> StepUpRow:
        """The VERIFIED challenge; a refusal of the factor keeps its effects (a failed attempt is counted
        and audited)."""
        row = await self.repository.step_up(step_up_id, for_update=True)
        if row is None or row.user_id != user_id:
            raise step_up_not_found(step_up_id)
        status = status_of(row)
        if status == "EXPIRED":
            raise conflict("STEP_UP_EXPIRED", "The step-up has expired; create a new one.")
        if status != "PENDING":
            raise conflict("STEP_UP_NOT_PENDING", f"The step-up is {status}, not PENDING.")
        given = [m for m in (totp_code, recovery_code, passkey) if m is not None]
        if len(given) != 1:
            raise keeping_effects(second_factor_required())
        if passkey is not None:
            method = await self._verify_passkey(user_id, row, passkey)
        else:
            mfa = MfaService(self.ctx)
            if await mfa.enabled_factor(user_id) is None:
                raise keeping_effects(unprocessable("STEP_UP_METHOD_UNAVAILABLE",
                                                    "The user has no authenticator app enabled."))
            method = await mfa.check_second_factor(user_id, totp_code=totp_code, recovery_code=recovery_code,
                                                   purpose="step_up")
        now = utcnow()
        if not await self.repository.move_step_up(row, "PENDING", status="VERIFIED", verified_method=method,
                                                  verified_at=now):
            raise conflict("STEP_UP_NOT_PENDING", "The step-up was verified concurrently.")
        await self._audit(user_id, "identity.step_up.verified", "SUCCESS", f"step_up/{row.id}", action=row.action,
                          method=method)
        value = amount_text(row)
        data = events.StepUpVerifiedData(step_up_id=row.id, user_id=user_id, action=row.action,
                                         method=events.StepUpMethod(method))
        if value is not None and row.asset is not None:
            data.amount = events.Money(amount=value, asset=row.asset)
        self.ctx.events.step_up_verified(data, subject=f"step_up/{row.id}", partition_key=f"user:{user_id}")
        return row
