from __future__ import annotations

from core.identity.mfa import MfaService
from core.identity.mfa_tables import StepUpRow
from core.identity.stepup import StepUpService, amount_text, status_of
from core.platform.context import RequestContext
from core.platform.problems import ProblemError
from generated.openapi import models
from generated.openapi.routes import MfaHandlers, Reply
from handlers.identity.handler import problem_reply, token_pair, user_id


def to_model(row: StepUpRow) -> models.StepUp:
    step_up = models.StepUp(id=models.StepUpId(row.id), status=models.StepUpStatus(status_of(row)),
                            action=models.StepUpAction(row.action),
                            methods=[models.MfaMethod(m) for m in row.methods.split(",") if m],
                            created_at=row.created_at, expires_at=row.expires_at)
    value = amount_text(row)
    if value is not None and row.asset is not None:
        step_up.amount = models.StepUpAmount(value=models.DecimalAmount(value), asset=models.AssetCode(row.asset))
    if row.counterparty is not None:
        step_up.counterparty = row.counterparty
    if row.verified_method is not None:
        step_up.verified_method = models.MfaMethod(row.verified_method)
    if row.verified_at is not None:
        step_up.verified_at = row.verified_at
    if row.consumed_at is not None:
        step_up.consumed_at = row.consumed_at
    return step_up


def _mfa(ctx: RequestContext) -> MfaService:
    return MfaService(ctx.session, ctx.events, client_ip=ctx.client_address, device_id=ctx.principal.device_id)


def _step_ups(ctx: RequestContext) -> StepUpService:
    return StepUpService(ctx.session, ctx.events, client_ip=ctx.client_address, device_id=ctx.principal.device_id)


class MfaHandler(MfaHandlers):
    async def get_totp_status(self, ctx: RequestContext) -> models.TotpStatus:
        state = await _mfa(ctx).state(user_id(ctx))
        status = models.TotpStatus(state=models.TotpState(state.state), enabled=state.state == "ENABLED",
                                   recovery_codes_left=state.recovery_codes_left)
        if state.enabled_at is not None:
            status.enabled_at = state.enabled_at
        return status

    async def start_totp_enrolment(self, ctx: RequestContext) -> models.TotpEnrolment:
        enrolment = await _mfa(ctx).start(user_id(ctx))
        return models.TotpEnrolment(state=models.TotpState.PENDING, secret=enrolment.secret, otpauth_uri=enrolment.uri)

    async def confirm_totp_enrolment(self, ctx: RequestContext, *,
                                     body: models.TotpConfirmation) -> models.RecoveryCodes | Reply:
        result = await _mfa(ctx).confirm(user_id(ctx), body.code.root)
        if isinstance(result, ProblemError):
            return problem_reply(ctx, result)
        return models.RecoveryCodes(recovery_codes=result)

    async def regenerate_recovery_codes(self, ctx: RequestContext, *, x_step_up_id: str | None) -> models.RecoveryCodes:
        codes = await _mfa(ctx).regenerate_recovery_codes(user_id(ctx), x_step_up_id)
        return models.RecoveryCodes(recovery_codes=codes)

    async def disable_totp(self, ctx: RequestContext, *, x_step_up_id: str | None) -> None:
        await _mfa(ctx).disable(user_id(ctx), x_step_up_id)

    async def elevate_session(self, ctx: RequestContext, *, body: models.SecondFactor) -> models.TokenPair | Reply:
        result = await _mfa(ctx).elevate(
            user_id(ctx), ctx.principal.session_id,
            totp_code=body.totp_code.root if isinstance(body.totp_code, models.TotpCode) else None,
            recovery_code=body.recovery_code.root if isinstance(body.recovery_code, models.RecoveryCode) else None)
        if isinstance(result, ProblemError):
            return problem_reply(ctx, result)
        return token_pair(result)

    async def create_step_up(self, ctx: RequestContext, *, body: models.StepUpRequest) -> Reply:
        amount = body.amount if isinstance(body.amount, models.StepUpAmount) else None
        row = await _step_ups(ctx).create(
            user_id(ctx), body.action.root,
            amount=(amount.value.root, amount.asset.root) if amount is not None else None,
            counterparty=body.counterparty if isinstance(body.counterparty, str) else None)
        return Reply(to_model(row), status=201, headers={"Location": f"/v1/step-ups/{row.id}"})

    async def get_step_up(self, ctx: RequestContext, *, step_up_id: str) -> models.StepUp:
        return to_model(await _step_ups(ctx).get(user_id(ctx), step_up_id))

    async def verify_step_up(self, ctx: RequestContext, *, step_up_id: str,
                             body: models.StepUpVerification) -> models.StepUp | Reply:
        result = await _step_ups(ctx).verify(
            user_id(ctx), step_up_id,
            totp_code=body.totp_code.root if isinstance(body.totp_code, models.TotpCode) else None,
            recovery_code=body.recovery_code.root if isinstance(body.recovery_code, models.RecoveryCode) else None,
            passkey=body.passkey if isinstance(body.passkey, dict) else None)
        if isinstance(result, ProblemError):
            return problem_reply(ctx, result)
        return to_model(result)
