"""Passkeys (WebAuthn, verified by py_webauthn): registration, passwordless login and step-up assertions.

Every ceremony gets a fresh challenge stored by its SHA-256, bound to a purpose (and a user, a step-up),
usable once and for 5 minutes. The authenticator's signature counter must increase whenever it is not
zero; a counter that does not is refused and flagged on the passkey (a possibly cloned authenticator).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlmodel.ext.asyncio.session import AsyncSession
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import (
    base64url_to_bytes,
    bytes_to_base64url,
    generate_challenge,
    parse_authentication_credential_json,
    parse_client_data_json,
    parse_registration_credential_json,
)
from webauthn.helpers.structs import (
    AttestationConveyancePreference,
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    CredentialDeviceType,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from core.audit.log import AuditEntry, record
from core.platform.clock import utcnow
from core.platform.context import RequestContext
from core.platform.ids import new_id
from core.platform.problems import ProblemError
from core.platform.settings import Settings, get_settings
from generated.asyncapi import events

from .devices import DeviceSighting, require_step_up
from .mfa_tables import StepUpRow
from .passkey_tables import PasskeyRow, WebAuthnChallengeRow
from .sessions import SessionService, Tokens, normalise_identifier
from .tables import UserRow
from .throttle import ADDRESS, Throttle
from .tokens import current_key

CHALLENGE_TTL = timedelta(minutes=5)
MAX_PASSKEYS = 10
REGISTER_ACTION = "identity.passkey.register"
REGISTRATION, AUTHENTICATION, STEP_UP = "REGISTRATION", "AUTHENTICATION", "STEP_UP"

CHALLENGE_INVALID = "PASSKEY_CHALLENGE_INVALID"
ASSERTION_INVALID = "PASSKEY_ASSERTION_INVALID"
SIGN_COUNT_REGRESSED = "PASSKEY_SIGN_COUNT_REGRESSED"


@dataclass(frozen=True)
class RelyingParty:
    id: str
    name: str
    origins: tuple[str, ...]

    @classmethod
    def from_settings(cls, settings: Settings) -> RelyingParty:
        origins = tuple(o.strip().rstrip("/") for o in settings.webauthn_origins.split(",") if o.strip())
        return cls(settings.webauthn_rp_id, settings.webauthn_rp_name, origins)


@dataclass(frozen=True)
class IssuedOptions:
    challenge_id: str
    options: dict[str, Any]  # the WebAuthn options JSON, as the browser takes it
    expires_at: datetime


@dataclass
class _Outcome:
    passkey: PasskeyRow | None = None
    user_verified: bool = False
    failure: str | None = None  # one of the codes above
    reason: str = ""


# --- refusals -------------------------------------------------------------------------------------

def login_refused(code: str) -> ProblemError:
    detail = {
        CHALLENGE_INVALID: "The challenge is unknown, used or expired; start again.",
        ASSERTION_INVALID: "The passkey assertion could not be verified.",
        SIGN_COUNT_REGRESSED: "The authenticator's signature counter did not increase; the passkey is flagged.",
    }[code]
    return ProblemError(401, code, "Passkey authentication failed", detail)


def registration_invalid(reason: str) -> ProblemError:
    return ProblemError(422, "PASSKEY_REGISTRATION_INVALID", "Invalid passkey registration",
                        f"The registration response could not be verified: {reason}.")


def registration_challenge_invalid() -> ProblemError:
    return ProblemError(422, CHALLENGE_INVALID, "Invalid passkey challenge",
                        "The registration challenge is unknown, used or expired; request new options.")


def already_registered() -> ProblemError:
    return ProblemError(409, "PASSKEY_ALREADY_REGISTERED", "Passkey already registered",
                        "This credential is already registered.")


def limit_reached() -> ProblemError:
    return ProblemError(409, "PASSKEY_LIMIT_REACHED", "Too many passkeys",
                        f"At most {MAX_PASSKEYS} passkeys per user; remove one first.")


def passkey_not_found(passkey_id: str) -> ProblemError:
    return ProblemError(404, "PASSKEY_NOT_FOUND", "Not found", f"No passkey {passkey_id}.")


def step_up_not_found(step_up_id: str) -> ProblemError:
    return ProblemError(404, "STEP_UP_NOT_FOUND", "Not found", f"No step-up {step_up_id}.")


def none_registered() -> ProblemError:
    return ProblemError(409, "PASSKEY_NONE_REGISTERED", "No passkey",
                        "Register a passkey first, or use another step-up method.")


# --- helpers --------------------------------------------------------------------------------------

def _hash(challenge: bytes) -> str:
    return hashlib.sha256(challenge).hexdigest()


def _client_challenge(client_data_json: bytes) -> bytes:
    return parse_client_data_json(client_data_json).challenge


def _descriptor(row: PasskeyRow) -> PublicKeyCredentialDescriptor:
    transports = [AuthenticatorTransport(t) for t in row.transports.split(",") if t]
    return PublicKeyCredentialDescriptor(id=base64url_to_bytes(row.credential_id), transports=transports or None)


async def _decoy_descriptor(session: AsyncSession, identifier: str) -> PublicKeyCredentialDescriptor:
    """For an identifier with no passkeys (no such user, or a user without any): a credential id that
    looks like a real one and stays the same for the identifier, so the options never tell whether an
    account exists or has passkeys. Keyed by a server secret, so nobody else can compute it."""
    key = await current_key(session)
    secret = hashlib.sha256(b"darca-passkey-decoy\x00" + key.private_pem.encode()).digest()
    return PublicKeyCredentialDescriptor(id=hmac.new(secret, identifier.encode(), hashlib.sha256).digest(),
                                         transports=[AuthenticatorTransport.HYBRID, AuthenticatorTransport.INTERNAL])


async def _passkeys_of(session: AsyncSession, user_id: str) -> list[PasskeyRow]:
    rows = (await session.execute(select(PasskeyRow).where(PasskeyRow.user_id == user_id)
                                  .order_by(PasskeyRow.id.desc()))).scalars().all()
    return list(rows)


async def _store_challenge(session: AsyncSession, challenge: bytes, purpose: str, *, user_id: str | None,
                           step_up_id: str | None = None) -> WebAuthnChallengeRow:
    now = utcnow()
    row = WebAuthnChallengeRow(id=new_id("wch"), purpose=purpose, user_id=user_id, step_up_id=step_up_id,
                               challenge_hash=_hash(challenge), created_at=now, expires_at=now + CHALLENGE_TTL)
    session.add(row)
    await session.flush()
    return row


def _live(challenge: WebAuthnChallengeRow | None, purpose: str) -> bool:
    return (challenge is not None and challenge.purpose == purpose and challenge.used_at is None
            and challenge.expires_at > utcnow())


async def _check_assertion(session: AsyncSession, rp: RelyingParty, challenge: WebAuthnChallengeRow | None,
                           credential: Any, purpose: str) -> _Outcome:
    """Verifies an assertion over a stored challenge, using the challenge up whatever the result."""
    if not _live(challenge, purpose):
        return _Outcome(failure=CHALLENGE_INVALID, reason="CHALLENGE_UNKNOWN_USED_OR_EXPIRED")
    assert challenge is not None
    now = utcnow()
    challenge.used_at = now
    session.add(challenge)
    try:
        parsed = parse_authentication_credential_json(credential)
        client_challenge = _client_challenge(parsed.response.client_data_json)
    except Exception:  # noqa: BLE001 - any malformed input is a refusal, never a 500
        return _Outcome(failure=ASSERTION_INVALID, reason="MALFORMED")
    if not hmac.compare_digest(_hash(client_challenge), challenge.challenge_hash):
        return _Outcome(failure=ASSERTION_INVALID, reason="CHALLENGE_MISMATCH")
    passkey = (await session.execute(select(PasskeyRow).where(
        PasskeyRow.credential_id == bytes_to_base64url(parsed.raw_id)).with_for_update())).scalars().first()
    if passkey is None or (challenge.user_id is not None and passkey.user_id != challenge.user_id):
        return _Outcome(failure=ASSERTION_INVALID, reason="UNKNOWN_CREDENTIAL")
    handle = parsed.response.user_handle
    if handle is not None and handle != passkey.user_id.encode():
        return _Outcome(passkey, failure=ASSERTION_INVALID, reason="USER_HANDLE_MISMATCH")
    try:
        # the counter is compared below, after the signature is known to be good
        verified = verify_authentication_response(
            credential=parsed, expected_challenge=client_challenge, expected_rp_id=rp.id,
            expected_origin=list(rp.origins), credential_public_key=base64url_to_bytes(passkey.public_key),
            credential_current_sign_count=0)
    except Exception as exc:  # noqa: BLE001 - wrong origin, RP id, signature, flags: all refusals
        return _Outcome(passkey, failure=ASSERTION_INVALID, reason=f"VERIFICATION_FAILED: {exc}"[:200])
    new, stored = verified.new_sign_count, passkey.sign_count
    if (new > 0 or stored > 0) and new <= stored:
        passkey.sign_count_regressed_at = now
        session.add(passkey)
        return _Outcome(passkey, failure=SIGN_COUNT_REGRESSED, reason=f"COUNTER {new} <= {stored}")
    passkey.sign_count, passkey.last_used_at = new, now
    passkey.backed_up = bool(verified.credential_backed_up)
    session.add(passkey)
    return _Outcome(passkey, user_verified=bool(verified.user_verified))


async def _audit_regression(session: AsyncSession, passkey: PasskeyRow, reason: str, *, client_ip: str | None,
                            context: str) -> None:
    await record(session, AuditEntry(
        actor_id=passkey.user_id, actor_kind="USER", action="identity.passkey.sign_count_regressed",
        result="DENIED", target=passkey.id, reason=reason, client_ip=client_ip, details={"ceremony": context}))


# --- the service ----------------------------------------------------------------------------------

class PasskeyService:
    def __init__(self, ctx: RequestContext, rp: RelyingParty) -> None:
        self.ctx = ctx
        self.session = ctx.session
        self.rp = rp

    async def _audit(self, actor_id: str, action: str, result: str, *, target: str | None = None,
                     reason: str | None = None, details: dict[str, Any] | None = None,
                     actor_kind: str = "USER") -> None:
        await record(self.session, AuditEntry(
            actor_id=actor_id, actor_kind=actor_kind, action=action, result=result, target=target, reason=reason,
            device_id=self.ctx.principal.device_id, client_ip=self.ctx.client_address, details=details or {}))

    # registration

    async def registration_options(self, user_id: str, step_up_id: str | None = None) -> IssuedOptions:
        user = await self.session.get(UserRow, user_id)
        if user is None:
            raise ProblemError(401, "UNAUTHENTICATED", "Unauthenticated", "The user no longer exists.")
        # a stolen password on a new, untrusted device must not be able to add a lasting credential
        await require_step_up(self.session, self.ctx.principal, REGISTER_ACTION, step_up_id)
        passkeys = await _passkeys_of(self.session, user_id)
        if len(passkeys) >= MAX_PASSKEYS:
            raise limit_reached()
        challenge = generate_challenge()
        options = generate_registration_options(
            rp_id=self.rp.id, rp_name=self.rp.name, user_name=user.email, user_id=user.id.encode(),
            user_display_name=user.display_name, challenge=challenge, timeout=int(CHALLENGE_TTL.total_seconds() * 1000),
            attestation=AttestationConveyancePreference.NONE,
            authenticator_selection=AuthenticatorSelectionCriteria(
                resident_key=ResidentKeyRequirement.PREFERRED, user_verification=UserVerificationRequirement.PREFERRED),
            exclude_credentials=[_descriptor(p) for p in passkeys])
        row = await _store_challenge(self.session, challenge, REGISTRATION, user_id=user_id)
        return IssuedOptions(row.id, json.loads(options_to_json(options)), row.expires_at)

    async def register(self, user_id: str, name: str, credential: Any) -> PasskeyRow | ProblemError:
        """The stored passkey, or the refusal (returned, so the used-up challenge and audit commit)."""
        refused = await self._register(user_id, name, credential)
        if isinstance(refused, ProblemError):
            await self._audit(user_id, "identity.passkey.registered", "FAILURE", reason=refused.code,
                              details={"detail": refused.detail or ""})
        return refused

    async def _register(self, user_id: str, name: str, credential: Any) -> PasskeyRow | ProblemError:
        try:
            parsed = parse_registration_credential_json(credential)
            client_challenge = _client_challenge(parsed.response.client_data_json)
        except Exception:  # noqa: BLE001 - malformed input is a refusal
            return registration_invalid("malformed credential")
        challenge = (await self.session.execute(select(WebAuthnChallengeRow).where(
            WebAuthnChallengeRow.challenge_hash == _hash(client_challenge),
            WebAuthnChallengeRow.user_id == user_id).with_for_update())).scalars().first()
        if not _live(challenge, REGISTRATION):
            return registration_challenge_invalid()
        assert challenge is not None
        challenge.used_at = utcnow()
        self.session.add(challenge)
        try:
            verified = verify_registration_response(
                credential=parsed, expected_challenge=client_challenge, expected_rp_id=self.rp.id,
                expected_origin=list(self.rp.origins))
        except Exception as exc:  # noqa: BLE001 - every failed check is the client's mistake
            return registration_invalid(str(exc)[:200] or "verification failed")
        credential_id = bytes_to_base64url(verified.credential_id)
        taken = (await self.session.execute(select(PasskeyRow.id).where(
            PasskeyRow.credential_id == credential_id))).first()
        if taken is not None:
            return already_registered()
        if len(await _passkeys_of(self.session, user_id)) >= MAX_PASSKEYS:
            return limit_reached()
        transports = [t.value for t in (parsed.response.transports or [])]
        multi = verified.credential_device_type == CredentialDeviceType.MULTI_DEVICE
        row = PasskeyRow(
            id=new_id("psk"), user_id=user_id, name=name, credential_id=credential_id,
            public_key=bytes_to_base64url(verified.credential_public_key), sign_count=verified.sign_count,
            transports=",".join(transports), aaguid=verified.aaguid,
            device_type="MULTI_DEVICE" if multi else "SINGLE_DEVICE", backed_up=bool(verified.credential_backed_up),
            created_at=utcnow())
        self.session.add(row)
        await self.session.flush()
        await self._audit(user_id, "identity.passkey.registered", "SUCCESS", target=row.id,
                          details={"aaguid": row.aaguid, "device_type": row.device_type})
        self.ctx.events.passkey_registered(
            events.PasskeyRegisteredData(user_id=user_id, passkey_id=row.id, device_type=row.device_type,
                                         backed_up=row.backed_up), subject=row.id, partition_key=user_id)
        return row

    async def list(self, user_id: str) -> list[PasskeyRow]:
        return await _passkeys_of(self.session, user_id)

    async def remove(self, user_id: str, passkey_id: str) -> None:
        row = await self.session.get(PasskeyRow, passkey_id)
        if row is None or row.user_id != user_id:  # another user's passkey looks like a missing one
            raise passkey_not_found(passkey_id)
        await self.session.delete(row)
        await self._audit(user_id, "identity.passkey.removed", "SUCCESS", target=passkey_id)
        self.ctx.events.passkey_removed(events.PasskeyRemovedData(user_id=user_id, passkey_id=passkey_id),
                                        subject=passkey_id, partition_key=user_id)

    # login

    async def authentication_options(self, identifier: str | None) -> IssuedOptions:
        user_id, allow = None, []
        if identifier:
            kind, value = normalise_identifier(identifier)
            column = UserRow.email_normalised if kind == "EMAIL" else UserRow.phone
            user = (await self.session.execute(select(UserRow).where(column == value))).scalars().first()
            if user is not None and user.status == "ACTIVE":
                user_id, allow = user.id, [_descriptor(p) for p in await _passkeys_of(self.session, user.id)]
            if not allow:
                allow = [await _decoy_descriptor(self.session, value)]
        challenge = generate_challenge()
        options = generate_authentication_options(
            rp_id=self.rp.id, challenge=challenge, timeout=int(CHALLENGE_TTL.total_seconds() * 1000),
            allow_credentials=allow, user_verification=UserVerificationRequirement.PREFERRED)
        row = await _store_challenge(self.session, challenge, AUTHENTICATION, user_id=user_id)
        return IssuedOptions(row.id, json.loads(options_to_json(options)), row.expires_at)

    async def login(self, challenge_id: str, credential: Any,
                    device: DeviceSighting | None = None) -> Tokens | ProblemError:
        """Tokens, or the refusal (returned, so the used challenge, failure count and audit commit)."""
        address_key = f"passkey-addr:{self.ctx.client_address or 'unknown'}"
        throttle = Throttle(self.session)
        locked = await throttle.check([address_key])
        if locked is not None:
            return locked
        challenge = (await self.session.execute(select(WebAuthnChallengeRow).where(
            WebAuthnChallengeRow.id == challenge_id).with_for_update())).scalars().first()
        outcome = await _check_assertion(self.session, self.rp, challenge, credential, AUTHENTICATION)
        passkey = outcome.passkey
        user = await self.session.get(UserRow, passkey.user_id) if passkey is not None else None
        if outcome.failure is None and (user is None or user.status != "ACTIVE"):
            outcome = _Outcome(passkey, failure=ASSERTION_INVALID, reason="USER_NOT_ACTIVE")
        if outcome.failure is not None:
            await throttle.fail(address_key, ADDRESS)
            actor = (passkey.user_id, "USER") if passkey is not None else ("anonymous", "ANONYMOUS")
            await self._audit(actor[0], "identity.passkey.login", "FAILURE", actor_kind=actor[1],
                              target=passkey.id if passkey else None, reason=outcome.failure,
                              details={"detail": outcome.reason})
            if outcome.failure == SIGN_COUNT_REGRESSED and passkey is not None:
                await _audit_regression(self.session, passkey, outcome.reason, client_ip=self.ctx.client_address,
                                        context="LOGIN")
            return login_refused(outcome.failure)
        assert passkey is not None
        aal = "AAL2" if outcome.user_verified else "AAL1"
        tokens = await SessionService(self.session).open(passkey.user_id, aal=aal, device=device)
        await self._audit(passkey.user_id, "identity.passkey.login", "SUCCESS", target=passkey.id,
                          details={"aal": aal, "session_id": tokens.session_id})
        return tokens

    # step-up

    async def step_up_options(self, user_id: str, step_up_id: str) -> IssuedOptions:
        await self._check_step_up(user_id, step_up_id)
        passkeys = await _passkeys_of(self.session, user_id)
        if not passkeys:
            raise none_registered()
        challenge = generate_challenge()
        options = generate_authentication_options(
            rp_id=self.rp.id, challenge=challenge, timeout=int(CHALLENGE_TTL.total_seconds() * 1000),
            allow_credentials=[_descriptor(p) for p in passkeys], user_verification=UserVerificationRequirement.REQUIRED)
        row = await _store_challenge(self.session, challenge, STEP_UP, user_id=user_id, step_up_id=step_up_id)
        return IssuedOptions(row.id, json.loads(options_to_json(options)), row.expires_at)

    async def _check_step_up(self, user_id: str, step_up_id: str) -> None:
        """The step-up must exist and be the caller's (another user's looks like a missing one)."""
        row = await self.session.get(StepUpRow, step_up_id)
        if row is None or row.user_id != user_id:
            raise step_up_not_found(step_up_id)
        if row.status != "PENDING" or row.expires_at <= utcnow():
            raise ProblemError(409, "STEP_UP_NOT_PENDING", "Step-up not pending",
                               "This step-up is already verified, consumed or expired.")


async def verify_step_up_assertion(session: AsyncSession, *, user_id: str, step_up_id: str, credential: dict,
                                   rp: RelyingParty | None = None) -> bool:
    """True when `credential` is a valid, user-verified assertion by one of the user's passkeys over a
    challenge issued for this step-up (which it uses up); updates the passkey's counter."""
    rp = rp or RelyingParty.from_settings(get_settings())
    try:
        parsed = parse_authentication_credential_json(credential)
        challenge_hash = _hash(_client_challenge(parsed.response.client_data_json))
    except Exception:  # noqa: BLE001 - malformed input is a refusal
        return False
    challenge = (await session.execute(select(WebAuthnChallengeRow).where(
        WebAuthnChallengeRow.challenge_hash == challenge_hash, WebAuthnChallengeRow.step_up_id == step_up_id,
        WebAuthnChallengeRow.user_id == user_id).with_for_update())).scalars().first()
    outcome = await _check_assertion(session, rp, challenge, credential, STEP_UP)
    if outcome.failure == SIGN_COUNT_REGRESSED and outcome.passkey is not None:
        await _audit_regression(session, outcome.passkey, outcome.reason, client_ip=None, context="STEP_UP")
    return outcome.failure is None and outcome.user_verified
