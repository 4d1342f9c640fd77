from __future__ import annotations

from dataclasses import dataclass

from core.identity import api as identity
from core.platform.api import RequestContext
from generated.openapi import models
from generated.openapi.routes import MfaHandlers, Reply
from handlers.common import token_pair, user_id


@dataclass(frozen=True, slots=True)
class Proof:
    """The one factor a body carries (its `method` chose the generated type); the others are None."""

    totp_code: str | None = None
    recovery_code: str | None = None
    passkey: identity.Credential | None = None


def proof_of(proof: models.TotpProof | models.RecoveryCodeProof | models.PasskeyProof) -> Proof:
    if isinstance(proof, models.TotpProof):
        return Proof(totp_code=proof.code.root)
    if isinstance(proof, models.RecoveryCodeProof):
        return Proof(recovery_code=proof.code.root)
    # back to the W3C camelCase JSON py_webauthn parses
    return Proof(passkey=proof.credential.model_dump(by_alias=True, mode="json"))


def to_model(step: identity.StepUp) -> models.StepUp:
    step_up = models.StepUp(id=models.StepUpId(step.id), status=models.StepUpStatus(step.status),
                            action=models.StepUpAction(step.action), methods=[models.MfaMethod(m) for m in step.methods],
                            created_at=step.created_at, expires_at=step.expires_at)
    if step.amount is not None and step.asset is not None:
        step_up.amount = models.Money(amount=models.DecimalAmount(step.amount), asset=models.AssetCode(step.asset))
    if step.counterparty is not None:
        step_up.counterparty = step.counterparty
    if step.verified_method is not None:
        step_up.verified_method = models.MfaMethod(step.verified_method)
    if step.verified_at is not None:
        step_up.verified_at = step.verified_at
    if step.consumed_at is not None:
        step_up.consumed_at = step.consumed_at
    return step_up


class MfaHandler(MfaHandlers):
    async def get_totp_status(self, ctx: RequestContext) -> models.TotpStatus:
        state = await identity.totp_state(ctx, user_id(ctx))
        status = models.TotpStatus(state=models.TotpState(state.state), enabled=state.state == "ENABLED",
                                   recovery_codes_left=state.recovery_codes_left)
        if state.enabled_at is not None:
            status.enabled_at = state.enabled_at
        return status

    async def start_totp_enrolment(self, ctx: RequestContext) -> models.TotpEnrolment:
        enrolment = await identity.start_totp(ctx, user_id(ctx))
        return models.TotpEnrolment(state=models.TotpState.PENDING, secret=enrolment.secret, otpauth_uri=enrolment.uri)

    async def confirm_totp_enrolment(self, ctx: RequestContext, *,
                                     body: models.TotpConfirmation) -> models.RecoveryCodes:
        codes = await identity.confirm_totp(ctx, user_id(ctx), body.code.root)
        return models.RecoveryCodes(recovery_codes=codes)

    async def regenerate_recovery_codes(self, ctx: RequestContext, *, x_step_up_id: str | None) -> models.RecoveryCodes:
        codes = await identity.regenerate_recovery_codes(ctx, user_id(ctx), x_step_up_id)
        return models.RecoveryCodes(recovery_codes=codes)

    async def disable_totp(self, ctx: RequestContext, *, x_step_up_id: str | None) -> None:
        await identity.disable_totp(ctx, user_id(ctx), x_step_up_id)

    async def elevate_session(self, ctx: RequestContext, *, body: models.SecondFactor) -> models.TokenPair:
        proof = proof_of(body.root)
        tokens = await identity.elevate_session(ctx, user_id(ctx), totp_code=proof.totp_code,
                                                recovery_code=proof.recovery_code)
        return token_pair(tokens)

    async def create_step_up(self, ctx: RequestContext, *, body: models.StepUpRequest) -> Reply:
        amount = body.amount if isinstance(body.amount, models.Money) else None
        row = await identity.create_step_up(ctx, user_id(ctx), identity.StepUpRequest(
            body.action.root, amount=(amount.amount.root, amount.asset.root) if amount is not None else None,
            counterparty=body.counterparty if isinstance(body.counterparty, str) else None))
        return Reply(to_model(row), status=201, headers={"Location": f"/v1/step-ups/{row.id}"})

    async def get_step_up(self, ctx: RequestContext, *, step_up_id: str) -> models.StepUp:
        return to_model(await identity.get_step_up(ctx, user_id(ctx), step_up_id))

    async def verify_step_up(self, ctx: RequestContext, *, step_up_id: str,
                             body: models.StepUpVerification) -> models.StepUp:
        proof = proof_of(body.root)
        result = await identity.verify_step_up(ctx, user_id(ctx), step_up_id, totp_code=proof.totp_code,
                                               recovery_code=proof.recovery_code, passkey=proof.passkey)
        return to_model(result)
