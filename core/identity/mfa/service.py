"""TOTP as a second factor: enrolment, recovery codes, verification (throttled, never twice the same step)
and raising a session to AAL2. The TOTP arithmetic itself is in `totp.py`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.audit.api import AuditEntry, record
from core.identity.mfa import totp
from core.identity.mfa.errors import code_refused, mfa_not_enabled, second_factor_required
from core.identity.mfa.repository import MfaRepository
from core.identity.mfa.stepup import PasskeyFactor, available_methods, consume_step_up, step_up_required
from core.identity.mfa.tables import TotpFactorRow
from core.identity.throttle.service import ACCOUNT, Throttle
from core.identity.users.repository import IdentityRepository
from core.platform.clock import utcnow
from core.platform.context import RequestContext
from core.platform.problems import ProblemError, conflict, keeping_effects
from generated.asyncapi import events

DISABLE_ACTION = "identity.totp.disable"
REGENERATE_ACTION = "identity.recovery_codes.regenerate"


def totp_now() -> datetime:
    """The time codes are checked against: the one clock seam of this module (tests step it by 30 s)."""
    return utcnow()


def throttle_key(user_id: str) -> str:
    # one counter per user for every second-factor attempt (login, elevation, step-up, enrolment)
    return f"mfa:{user_id}"


@dataclass(frozen=True)
class TotpState:
    state: str  # NOT_ENROLLED | PENDING | ENABLED
    recovery_codes_left: int
    enabled_at: datetime | None


class MfaService:
    """Second-factor decisions in the request's unit of work."""

    def __init__(self, ctx: RequestContext) -> None:
        self.ctx = ctx
        self.session = ctx.session
        self.repository = MfaRepository(ctx.session)

    async def audit(self, user_id: str, action: str, result: str = "SUCCESS", *, reason: str | None = None,
                     target: str | None = None, **details: object) -> None:
        await record(self.session, AuditEntry(
            actor_id=user_id, actor_kind="USER", action=action, result=result, target=target or f"user/{user_id}",
            reason=reason, device_id=self.ctx.principal.device_id, client_ip=self.ctx.client_address, details=dict(details)))

    async def factor(self, user_id: str, *, lock: bool = True) -> TotpFactorRow | None:
        # locked: two requests never both accept the same step or spend the same recovery code
        return await self.repository.factor(user_id, lock=lock)

    async def enabled_factor(self, user_id: str) -> TotpFactorRow | None:
        row = await self.factor(user_id)
        return row if row is not None and row.state == "ENABLED" else None

    async def state(self, user_id: str) -> TotpState:
        row = await self.factor(user_id, lock=False)
        if row is None:
            return TotpState("NOT_ENROLLED", 0, None)
        enabled_at = row.enabled_at
        return TotpState(row.state, len(row.recovery_hashes) if row.state == "ENABLED" else 0, enabled_at)

    async def start(self, user_id: str) -> totp.Enrolment:
        """A new pending secret (replacing a pending one); refused while TOTP is enabled."""
        row = await self.factor(user_id)
        if row is not None and row.state == "ENABLED":
            raise conflict("TOTP_ALREADY_ENABLED", "TOTP is already enabled; disable it before enrolling again.")
        user = await IdentityRepository(self.session).user(user_id)
        enrolment = totp.enrol(user.email if user else user_id)
        now = utcnow()
        if row is None:
            row = TotpFactorRow(user_id=user_id, secret=enrolment.secret, state="PENDING", created_at=now,
                                updated_at=now)
        row.secret, row.state, row.last_step, row.recovery_hashes = enrolment.secret, "PENDING", None, []
        row.created_at = row.updated_at = now
        self.session.add(row)
        await self.audit(user_id, "identity.totp.enrolment_started")
        return enrolment

    async def _check_totp(self, row: TotpFactorRow, code: str) -> str | None:
        """None when the code is accepted (its step is remembered), else the refusal reason."""
        try:
            row.last_step = totp.verify(row.secret, code, row.last_step, totp_now())
        except totp.TotpRejected as refused:
            return refused.reason
        row.updated_at = utcnow()
        self.session.add(row)
        return None

    async def _refuse(self, user_id: str, method: str, reason: str, purpose: str, status: int) -> ProblemError:
        await Throttle(self.session).fail(throttle_key(user_id), ACCOUNT)
        await self.audit(user_id, "identity.mfa.code_rejected", "FAILURE", reason=f"{method}_{reason}",
                          method=method, purpose=purpose)
        return keeping_effects(code_refused(method, reason, status))

    async def confirm(self, user_id: str, code: str) -> list[str]:
        """The recovery codes once the pending secret is proven; a wrong code is counted (kept effects)."""
        throttle = Throttle(self.session)
        locked = await throttle.check([throttle_key(user_id)])
        if locked is not None:
            raise keeping_effects(locked)
        row = await self.factor(user_id)
        if row is None or row.state != "PENDING":
            raise conflict("TOTP_NOT_PENDING", "There is no pending TOTP enrolment; start one first.")
        reason = await self._check_totp(row, code)
        if reason is not None:
            raise await self._refuse(user_id, "TOTP", reason, "enrolment", 422)
        await throttle.succeed(throttle_key(user_id))
        codes = totp.new_recovery_codes()
        now = utcnow()
        row.state, row.enabled_at, row.updated_at = "ENABLED", now, now
        row.recovery_hashes = [totp.hash_recovery_code(c) for c in codes]
        self.session.add(row)
        await self.audit(user_id, "identity.totp.enabled", recovery_codes=len(codes))
        self.ctx.events.mfa_enabled(events.MfaChangedData(user_id=user_id, factor=events.MfaFactor.TOTP),
                                    subject=f"user/{user_id}", partition_key=f"user:{user_id}")
        return codes

    async def check_second_factor(self, user_id: str, *, totp_code: str | None = None,
                                  recovery_code: str | None = None, purpose: str, status: int = 422,
                                  not_enabled_status: int = 409) -> str:
        """The method that proved the second factor (TOTP | RECOVERY_CODE). A refusal keeps its effects (a
        failed attempt is counted against the user's throttle and audited)."""
        if (totp_code is None) == (recovery_code is None):
            raise keeping_effects(second_factor_required())
        throttle = Throttle(self.session)
        locked = await throttle.check([throttle_key(user_id)])
        if locked is not None:
            raise keeping_effects(locked)
        row = await self.enabled_factor(user_id)
        if row is None:
            raise keeping_effects(mfa_not_enabled(not_enabled_status))
        if totp_code is not None:
            reason = await self._check_totp(row, totp_code)
            if reason is not None:
                raise await self._refuse(user_id, "TOTP", reason, purpose, status)
            method = "TOTP"
        else:
            try:
                row.recovery_hashes = totp.consume_recovery_code(recovery_code or "", list(row.recovery_hashes))
            except totp.TotpRejected as refused:
                raise await self._refuse(user_id, "RECOVERY_CODE", refused.reason, purpose, status) from None
            row.updated_at = utcnow()
            self.session.add(row)
            await self.audit(user_id, "identity.recovery_code.used", purpose=purpose,
                              recovery_codes_left=len(row.recovery_hashes))
            method = "RECOVERY_CODE"
        await throttle.succeed(throttle_key(user_id))
        return method

    async def login_aal2(self, user_id: str, totp_code: str) -> None:
        """The one-shot AAL2 login check (401 on a wrong code: it is an authentication); returns when proven."""
        proof = await self.check_second_factor(user_id, totp_code=totp_code, purpose="login", status=401,
                                               not_enabled_status=422)
        await self.audit(user_id, "identity.session.elevated", method=proof, via="login")

    async def regenerate_recovery_codes(self, user_id: str, step_up_id: str | None,
                                        passkeys: PasskeyFactor) -> list[str]:
        row = await self.enabled_factor(user_id)
        if row is None:
            raise mfa_not_enabled()
        if not await consume_step_up(self.ctx, user_id=user_id, step_up_id=step_up_id, action=REGENERATE_ACTION):
            raise step_up_required(REGENERATE_ACTION, methods=await available_methods(self.ctx, user_id, passkeys))
        codes = totp.new_recovery_codes()
        row.recovery_hashes = [totp.hash_recovery_code(c) for c in codes]
        row.updated_at = utcnow()
        self.session.add(row)
        await self.audit(user_id, "identity.recovery_codes.regenerated", recovery_codes=len(codes),
                          step_up_id=step_up_id)
        return codes

    async def disable(self, user_id: str, step_up_id: str | None, passkeys: PasskeyFactor) -> None:
        row = await self.enabled_factor(user_id)
        if row is None:
            raise mfa_not_enabled()
        if not await consume_step_up(self.ctx, user_id=user_id, step_up_id=step_up_id, action=DISABLE_ACTION):
            raise step_up_required(DISABLE_ACTION, methods=await available_methods(self.ctx, user_id, passkeys))
        await self.repository.delete(row)
        await self.audit(user_id, "identity.totp.disabled", step_up_id=step_up_id)
        self.ctx.events.mfa_disabled(events.MfaChangedData(user_id=user_id, factor=events.MfaFactor.TOTP),
                                     subject=f"user/{user_id}", partition_key=f"user:{user_id}")
