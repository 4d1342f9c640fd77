"""The WebAuthn ceremonies (verified by py_webauthn): challenges and assertion checks.

Every ceremony gets a fresh challenge stored by its SHA-256, bound to a purpose (and a user, a step-up),
usable once and for 5 minutes. The authenticator's signature counter must increase whenever it is not
zero; a counter that does not is refused and flagged on the passkey (a possibly cloned authenticator).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession
from webauthn import verify_authentication_response
from webauthn.helpers import (
    base64url_to_bytes,
    bytes_to_base64url,
    parse_authentication_credential_json,
    parse_client_data_json,
)
from webauthn.helpers.structs import AuthenticatorTransport, PublicKeyCredentialDescriptor

from core.audit.api import AuditEntry, record
from core.identity.passkeys.errors import ASSERTION_INVALID, CHALLENGE_INVALID, SIGN_COUNT_REGRESSED
from core.identity.passkeys.repository import PasskeyRepository
from core.identity.passkeys.tables import PasskeyRow, WebAuthnChallengeRow
from core.identity.sessions.tokens import current_key
from core.platform.clock import utcnow
from core.platform.ids import new_id
from core.platform.settings import Settings, get_settings

CHALLENGE_TTL = timedelta(minutes=5)
REGISTER_ACTION = "identity.passkey.register"
REGISTRATION, AUTHENTICATION, STEP_UP = "REGISTRATION", "AUTHENTICATION", "STEP_UP"



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
class Outcome:
    passkey: PasskeyRow | None = None
    user_verified: bool = False
    failure: str | None = None  # one of the codes above
    reason: str = ""


def challenge_hash(challenge: bytes) -> str:
    return hashlib.sha256(challenge).hexdigest()


def client_challenge(client_data_json: bytes) -> bytes:
    return parse_client_data_json(client_data_json).challenge


def descriptor(row: PasskeyRow) -> PublicKeyCredentialDescriptor:
    transports = [AuthenticatorTransport(t) for t in row.transports.split(",") if t]
    return PublicKeyCredentialDescriptor(id=base64url_to_bytes(row.credential_id), transports=transports or None)


async def decoy_descriptor(session: AsyncSession, identifier: str) -> PublicKeyCredentialDescriptor:
    """For an identifier with no passkeys (no such user, or a user without any): a credential id that
    looks like a real one and stays the same for the identifier, so the options never tell whether an
    account exists or has passkeys. Keyed by a server secret, so nobody else can compute it."""
    key = await current_key(session)
    secret = hashlib.sha256(b"darca-passkey-decoy\x00" + key.private_pem.encode()).digest()
    return PublicKeyCredentialDescriptor(id=hmac.new(secret, identifier.encode(), hashlib.sha256).digest(),
                                         transports=[AuthenticatorTransport.HYBRID, AuthenticatorTransport.INTERNAL])


async def store_challenge(session: AsyncSession, challenge: bytes, purpose: str, *, user_id: str | None,
                           step_up_id: str | None = None) -> WebAuthnChallengeRow:
    now = utcnow()
    row = WebAuthnChallengeRow(id=new_id("wch"), purpose=purpose, user_id=user_id, step_up_id=step_up_id,
                               challenge_hash=challenge_hash(challenge), created_at=now, expires_at=now + CHALLENGE_TTL)
    await PasskeyRepository(session).add(row)
    return row


def live(challenge: WebAuthnChallengeRow | None, purpose: str) -> bool:
    return (challenge is not None and challenge.purpose == purpose and challenge.used_at is None
            and challenge.expires_at > utcnow())


async def check_assertion(session: AsyncSession, rp: RelyingParty, challenge: WebAuthnChallengeRow | None,
                           credential: Any, purpose: str) -> Outcome:
    """Verifies an assertion over a stored challenge, using the challenge up whatever the result."""
    if not live(challenge, purpose):
        return Outcome(failure=CHALLENGE_INVALID, reason="CHALLENGE_UNKNOWN_USED_OR_EXPIRED")
    assert challenge is not None
    now = utcnow()
    challenge.used_at = now
    repository = PasskeyRepository(session)
    await repository.save(challenge)
    try:
        parsed = parse_authentication_credential_json(credential)
        sent = client_challenge(parsed.response.client_data_json)
    except Exception:  # noqa: BLE001 - any malformed input is a refusal, never a 500
        return Outcome(failure=ASSERTION_INVALID, reason="MALFORMED")
    if not hmac.compare_digest(challenge_hash(sent), challenge.challenge_hash):
        return Outcome(failure=ASSERTION_INVALID, reason="CHALLENGE_MISMATCH")
    passkey = await repository.by_credential_id(bytes_to_base64url(parsed.raw_id), for_update=True)
    if passkey is None or (challenge.user_id is not None and passkey.user_id != challenge.user_id):
        return Outcome(failure=ASSERTION_INVALID, reason="UNKNOWN_CREDENTIAL")
    handle = parsed.response.user_handle
    if handle is not None and handle != passkey.user_id.encode():
        return Outcome(passkey, failure=ASSERTION_INVALID, reason="USER_HANDLE_MISMATCH")
    try:
        # the counter is compared below, after the signature is known to be good
        verified = verify_authentication_response(
            credential=parsed, expected_challenge=sent, expected_rp_id=rp.id,
            expected_origin=list(rp.origins), credential_public_key=base64url_to_bytes(passkey.public_key),
            credential_current_sign_count=0)
    except Exception as exc:  # noqa: BLE001 - wrong origin, RP id, signature, flags: all refusals
        return Outcome(passkey, failure=ASSERTION_INVALID, reason=f"VERIFICATION_FAILED: {exc}"[:200])
    new, stored = verified.new_sign_count, passkey.sign_count
    if (new > 0 or stored > 0) and new <= stored:
        passkey.sign_count_regressed_at = now
        await repository.save(passkey)
        return Outcome(passkey, failure=SIGN_COUNT_REGRESSED, reason=f"COUNTER {new} <= {stored}")
    passkey.sign_count, passkey.last_used_at = new, now
    passkey.backed_up = bool(verified.credential_backed_up)
    await repository.save(passkey)
    return Outcome(passkey, user_verified=bool(verified.user_verified))


async def audit_regression(session: AsyncSession, passkey: PasskeyRow, reason: str, *, client_ip: str | None,
                            context: str) -> None:
    await record(session, AuditEntry(
        actor_id=passkey.user_id, actor_kind="USER", action="identity.passkey.sign_count_regressed",
        result="DENIED", target=passkey.id, reason=reason, client_ip=client_ip, details={"ceremony": context}))



async def verify_step_up_assertion(session: AsyncSession, *, user_id: str, step_up_id: str, credential: dict,
                                   rp: RelyingParty | None = None) -> bool:
    """True when `credential` is a valid, user-verified assertion by one of the user's passkeys over a
    challenge issued for this step-up (which it uses up); updates the passkey's counter."""
    rp = rp or RelyingParty.from_settings(get_settings())
    try:
        parsed = parse_authentication_credential_json(credential)
        hashed = challenge_hash(client_challenge(parsed.response.client_data_json))
    except Exception:  # noqa: BLE001 - malformed input is a refusal
        return False
    challenge = await PasskeyRepository(session).challenge_by_hash(hashed, user_id=user_id,
                                                                   step_up_id=step_up_id)
    outcome = await check_assertion(session, rp, challenge, credential, STEP_UP)
    if outcome.failure == SIGN_COUNT_REGRESSED and outcome.passkey is not None:
        await audit_regression(session, outcome.passkey, outcome.reason, client_ip=None, context="STEP_UP")
    return outcome.failure is None and outcome.user_verified
