"""TOTP as a second factor: enrolment, recovery codes, verification (throttled, never twice the same step)
and raising a session to AAL2. The TOTP arithmetic itself is in `totp.py`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.audit.log import AuditEntry, record
from core.platform.clock import utcnow
from core.platform.problems import ProblemError, conflict, unprocessable
from generated.asyncapi import events
from generated.asyncapi.publishers import Publishers

from . import totp
from .mfa_tables import TotpFactorRow
from .sessions import SessionService, Tokens
from .tables import SessionRow, UserRow
from .throttle import ACCOUNT, Throttle

DISABLE_ACTION = "identity.totp.disable"
REGENERATE_ACTION = "identity.recovery_codes.regenerate"


def totp_now() -> datetime:
    """The time codes are checked against: the one clock seam of this module (tests step it by 30 s)."""
    return utcnow()


def throttle_key(user_id: str) -> str:
    # one counter per user for every second-factor attempt (login, elevation, step-up, enrolment)
    return f"mfa:{user_id}"


def mfa_not_enabled(status: int = 409) -> ProblemError:
    return ProblemError(status, "MFA_NOT_ENABLED", "Second factor not enabled",
                        "The user has no authenticator app enabled; enrol one first.")


def second_factor_required() -> ProblemError:
    return unprocessable("SECOND_FACTOR_REQUIRED", "Give exactly one second factor.")


_REFUSALS = {
    ("TOTP", "INVALID"): ("TOTP_CODE_INVALID", "The code is wrong or out of date."),
    ("TOTP", "REUSED"): ("TOTP_CODE_REUSED", "This code was already used; wait for the next one."),
    ("RECOVERY_CODE", "INVALID"): ("RECOVERY_CODE_INVALID", "The recovery code is wrong or already used."),
}


def code_refused(method: str, reason: str, status: int) -> ProblemError:
    code, detail = _REFUSALS[(method, reason)]
    return ProblemError(status, code, "Second factor refused", detail)


@dataclass(frozen=True)
class TotpState:
    state: str  # NOT_ENROLLED | PENDING | ENABLED
    recovery_codes_left: int
    enabled_at: datetime | None


class MfaService:
    """Second-factor decisions for one unit of work. `events` is needed only by the state changes."""

    def __init__(self, session: AsyncSession, events: Publishers | None = None, *, client_ip: str | None = None,
                 device_id: str | None = None) -> None:
        self.session = session
        self.events = events
        self.client_ip = client_ip
        self.device_id = device_id

    async def _audit(self, user_id: str, action: str, result: str = "SUCCESS", *, reason: str | None = None,
                     target: str | None = None, **details: object) -> None:
        await record(self.session, AuditEntry(
            actor_id=user_id, actor_kind="USER", action=action, result=result, target=target or f"user/{user_id}",
            reason=reason, device_id=self.device_id, client_ip=self.client_ip, details=dict(details)))

    async def factor(self, user_id: str, *, lock: bool = True) -> TotpFactorRow | None:
        # locked: two requests never both accept the same step or spend the same recovery code
        query = select(TotpFactorRow).where(TotpFactorRow.user_id == user_id)
        return (await self.session.execute(query.with_for_update() if lock else query)).scalars().first()

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
        user = await self.session.get(UserRow, user_id)
        enrolment = totp.enrol(user.email if user else user_id)
        now = utcnow()
        if row is None:
            row = TotpFactorRow(user_id=user_id, secret=enrolment.secret, state="PENDING", created_at=now,
                                updated_at=now)
        row.secret, row.state, row.last_step, row.recovery_hashes = enrolment.secret, "PENDING", None, []
        row.created_at = row.updated_at = now
        self.session.add(row)
        await self._audit(user_id, "identity.totp.enrolment_started")
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
        await self._audit(user_id, "identity.mfa.code_rejected", "FAILURE", reason=f"{method}_{reason}",
                          method=method, purpose=purpose)
        return code_refused(method, reason, status)

    async def confirm(self, user_id: str, code: str) -> list[str] | ProblemError:
        """The recovery codes once the pending secret is proven, or the refusal (returned: it must commit)."""
        throttle = Throttle(self.session)
        locked = await throttle.check([throttle_key(user_id)])
        if locked is not None:
            return locked
        row = await self.factor(user_id)
        if row is None or row.state != "PENDING":
            raise conflict("TOTP_NOT_PENDING", "There is no pending TOTP enrolment; start one first.")
        reason = await self._check_totp(row, code)
        if reason is not None:
            return await self._refuse(user_id, "TOTP", reason, "enrolment", 422)
        await throttle.succeed(throttle_key(user_id))
        codes = totp.new_recovery_codes()
        now = utcnow()
        row.state, row.enabled_at, row.updated_at = "ENABLED", now, now
        row.recovery_hashes = [totp.hash_recovery_code(c) for c in codes]
        self.session.add(row)
        await self._audit(user_id, "identity.totp.enabled", recovery_codes=len(codes))
        if self.events is not None:
            self.events.mfa_enabled(events.MfaChangedData(user_id=user_id, factor=events.MfaFactor.TOTP),
                                    subject=f"user/{user_id}", partition_key=f"user:{user_id}")
        return codes

    async def check_second_factor(self, user_id: str, *, totp_code: str | None = None,
                                  recovery_code: str | None = None, purpose: str, status: int = 422,
                                  not_enabled_status: int = 409) -> str | ProblemError:
        """The method that proved the second factor (TOTP | RECOVERY_CODE), or the refusal to return (a failed
        attempt is counted against the user's throttle and audited, so it must be committed)."""
        if (totp_code is None) == (recovery_code is None):
            return second_factor_required()
        throttle = Throttle(self.session)
        locked = await throttle.check([throttle_key(user_id)])
        if locked is not None:
            return locked
        row = await self.enabled_factor(user_id)
        if row is None:
            return mfa_not_enabled(not_enabled_status)
        if totp_code is not None:
            reason = await self._check_totp(row, totp_code)
            if reason is not None:
                return await self._refuse(user_id, "TOTP", reason, purpose, status)
            method = "TOTP"
        else:
            try:
                row.recovery_hashes = totp.consume_recovery_code(recovery_code or "", list(row.recovery_hashes))
            except totp.TotpRejected as refused:
                return await self._refuse(user_id, "RECOVERY_CODE", refused.reason, purpose, status)
            row.updated_at = utcnow()
            self.session.add(row)
            await self._audit(user_id, "identity.recovery_code.used", purpose=purpose,
                              recovery_codes_left=len(row.recovery_hashes))
            method = "RECOVERY_CODE"
        await throttle.succeed(throttle_key(user_id))
        return method

    async def login_aal2(self, user_id: str, totp_code: str) -> ProblemError | None:
        """The one-shot AAL2 login check (401 on a wrong code: it is an authentication); None when proven."""
        proof = await self.check_second_factor(user_id, totp_code=totp_code, purpose="login", status=401,
                                               not_enabled_status=422)
        if isinstance(proof, ProblemError):
            return proof
        await self._audit(user_id, "identity.session.elevated", method=proof, via="login")
        return None

    async def elevate(self, user_id: str, session_id: str | None, *, totp_code: str | None,
                      recovery_code: str | None) -> Tokens | ProblemError:
        """A new AAL2 session replacing the caller's session; the old one (and its refresh tokens) is revoked,
        so neither a copied AAL1 token nor its refresh family ever gains the higher level."""
        proof = await self.check_second_factor(user_id, totp_code=totp_code, recovery_code=recovery_code,
                                               purpose="elevation")
        if isinstance(proof, ProblemError):
            return proof
        old = await self.session.get(SessionRow, session_id) if session_id else None
        if old is not None and old.user_id == user_id and old.revoked_at is None:
            old.revoked_at, old.revoked_reason = utcnow(), "ELEVATED"
            self.session.add(old)
        # the new session stays on the same device
        tokens = await SessionService(self.session).open(user_id, aal="AAL2",
                                                         device_id=old.device_id if old is not None else None)
        await self._audit(user_id, "identity.session.elevated", target=f"session/{tokens.session_id}",
                          method=proof, via="elevation", replaced_session=session_id)
        return tokens

    async def regenerate_recovery_codes(self, user_id: str, step_up_id: str | None) -> list[str]:
        from .stepup import available_methods, consume_step_up, step_up_required

        row = await self.enabled_factor(user_id)
        if row is None:
            raise mfa_not_enabled()
        if not await consume_step_up(self.session, user_id=user_id, step_up_id=step_up_id, action=REGENERATE_ACTION):
            raise step_up_required(REGENERATE_ACTION, methods=await available_methods(self.session, user_id))
        codes = totp.new_recovery_codes()
        row.recovery_hashes = [totp.hash_recovery_code(c) for c in codes]
        row.updated_at = utcnow()
        self.session.add(row)
        await self._audit(user_id, "identity.recovery_codes.regenerated", recovery_codes=len(codes),
                          step_up_id=step_up_id)
        return codes

    async def disable(self, user_id: str, step_up_id: str | None) -> None:
        from .stepup import available_methods, consume_step_up, step_up_required

        row = await self.enabled_factor(user_id)
        if row is None:
            raise mfa_not_enabled()
        if not await consume_step_up(self.session, user_id=user_id, step_up_id=step_up_id, action=DISABLE_ACTION):
            raise step_up_required(DISABLE_ACTION, methods=await available_methods(self.session, user_id))
        await self.session.delete(row)
        await self._audit(user_id, "identity.totp.disabled", step_up_id=step_up_id)
        if self.events is not None:
            self.events.mfa_disabled(events.MfaChangedData(user_id=user_id, factor=events.MfaFactor.TOTP),
                                     subject=f"user/{user_id}", partition_key=f"user:{user_id}")
