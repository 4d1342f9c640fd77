"""Passkeys of DARCA ID: registration, passwordless login and the options of a step-up assertion."""

from __future__ import annotations

import json
from typing import Any

from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_registration_response,
)
from webauthn.helpers import bytes_to_base64url, generate_challenge, parse_registration_credential_json
from webauthn.helpers.structs import (
    AttestationConveyancePreference,
    AuthenticatorSelectionCriteria,
    CredentialDeviceType,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from core.audit.api import AuditEntry, record
from core.identity.devices.service import DeviceSighting
from core.identity.devices.stepup import require_step_up
from core.identity.mfa.repository import MfaRepository
from core.identity.passkeys.ceremony import (
    AUTHENTICATION,
    CHALLENGE_TTL,
    REGISTER_ACTION,
    REGISTRATION,
    STEP_UP,
    IssuedOptions,
    Outcome,
    RelyingParty,
    audit_regression,
    challenge_hash,
    check_assertion,
    client_challenge,
    decoy_descriptor,
    descriptor,
    live,
    store_challenge,
)
from core.identity.passkeys.errors import (
    ASSERTION_INVALID,
    MAX_PASSKEYS,
    SIGN_COUNT_REGRESSED,
    already_registered,
    limit_reached,
    login_refused,
    none_registered,
    passkey_not_found,
    registration_challenge_invalid,
    registration_invalid,
    step_up_not_found,
)
from core.identity.passkeys.factor import PasskeySecondFactor
from core.identity.passkeys.repository import PasskeyRepository
from core.identity.passkeys.tables import PasskeyRow
from core.identity.sessions.service import SessionService, Tokens, find_user, normalise_identifier
from core.identity.throttle.service import ADDRESS, Throttle
from core.identity.users.repository import IdentityRepository
from core.platform.clock import utcnow
from core.platform.context import RequestContext
from core.platform.ids import new_id
from core.platform.problems import ProblemError, keeping_effects
from generated.asyncapi import events


class PasskeyService:
    def __init__(self, ctx: RequestContext, rp: RelyingParty) -> None:
        self.ctx = ctx
        self.session = ctx.session
        self.rp = rp
        self.repository = PasskeyRepository(ctx.session)

    async def _audit(self, actor_id: str, action: str, result: str, *, target: str | None = None,
                     reason: str | None = None, details: dict[str, Any] | None = None,
                     actor_kind: str = "USER") -> None:
        await record(self.session, AuditEntry(
            actor_id=actor_id, actor_kind=actor_kind, action=action, result=result, target=target, reason=reason,
            device_id=self.ctx.principal.device_id, client_ip=self.ctx.client_address, details=details or {}))

    # registration

    async def registration_options(self, user_id: str, step_up_id: str | None = None) -> IssuedOptions:
        user = await IdentityRepository(self.session).user(user_id)
        if user is None:
            raise ProblemError(401, "UNAUTHENTICATED", "Unauthenticated", "The user no longer exists.")
        # a stolen password on a new, untrusted device must not be able to add a lasting credential
        await require_step_up(self.ctx, REGISTER_ACTION, step_up_id, PasskeySecondFactor(self.ctx, self.rp))
        passkeys = await self.repository.of_user(user_id)
        if len(passkeys) >= MAX_PASSKEYS:
            raise limit_reached()
        challenge = generate_challenge()
        options = generate_registration_options(
            rp_id=self.rp.id, rp_name=self.rp.name, user_name=user.email, user_id=user.id.encode(),
            user_display_name=user.display_name, challenge=challenge, timeout=int(CHALLENGE_TTL.total_seconds() * 1000),
            attestation=AttestationConveyancePreference.NONE,
            authenticator_selection=AuthenticatorSelectionCriteria(
                resident_key=ResidentKeyRequirement.PREFERRED, user_verification=UserVerificationRequirement.PREFERRED),
            exclude_credentials=[descriptor(p) for p in passkeys])
        row = await store_challenge(self.session, challenge, REGISTRATION, user_id=user_id)
        return IssuedOptions(row.id, json.loads(options_to_json(options)), row.expires_at)

    async def register(self, user_id: str, name: str, credential: Any) -> PasskeyRow:
        """The stored passkey. A refusal keeps its effects (the used-up challenge and its audit record)."""
        try:
            return await self._register(user_id, name, credential)
        except ProblemError as refused:
            await self._audit(user_id, "identity.passkey.registered", "FAILURE", reason=refused.code,
                              details={"detail": refused.detail or ""})
            raise keeping_effects(refused) from None

    async def _register(self, user_id: str, name: str, credential: Any) -> PasskeyRow:
        try:
            parsed = parse_registration_credential_json(credential)
            challenge_bytes = client_challenge(parsed.response.client_data_json)
        except Exception:  # noqa: BLE001 - malformed input is a refusal
            raise registration_invalid("malformed credential") from None
        challenge = await self.repository.challenge_by_hash(challenge_hash(challenge_bytes), user_id=user_id)
        if not live(challenge, REGISTRATION):
            raise registration_challenge_invalid()
        assert challenge is not None
        challenge.used_at = utcnow()
        await self.repository.save(challenge)
        try:
            verified = verify_registration_response(
                credential=parsed, expected_challenge=challenge_bytes, expected_rp_id=self.rp.id,
                expected_origin=list(self.rp.origins))
        except Exception as exc:  # noqa: BLE001 - every failed check is the client's mistake
            raise registration_invalid(str(exc)[:200] or "verification failed") from None
        credential_id = bytes_to_base64url(verified.credential_id)
        if await self.repository.by_credential_id(credential_id) is not None:
            raise already_registered()
        if len(await self.repository.of_user(user_id)) >= MAX_PASSKEYS:
            raise limit_reached()
        transports = [t.value for t in (parsed.response.transports or [])]
        multi = verified.credential_device_type == CredentialDeviceType.MULTI_DEVICE
        row = PasskeyRow(
            id=new_id("psk"), user_id=user_id, name=name, credential_id=credential_id,
            public_key=bytes_to_base64url(verified.credential_public_key), sign_count=verified.sign_count,
            transports=",".join(transports), aaguid=verified.aaguid,
            device_type="MULTI_DEVICE" if multi else "SINGLE_DEVICE", backed_up=bool(verified.credential_backed_up),
            created_at=utcnow())
        await self.repository.add(row)
        await self._audit(user_id, "identity.passkey.registered", "SUCCESS", target=row.id,
                          details={"aaguid": row.aaguid, "device_type": row.device_type})
        self.ctx.events.passkey_registered(
            events.PasskeyRegisteredData(user_id=user_id, passkey_id=row.id, device_type=row.device_type,
                                         backed_up=row.backed_up), subject=row.id, partition_key=user_id)
        return row

    async def list(self, user_id: str) -> list[PasskeyRow]:
        return await self.repository.of_user(user_id)

    async def remove(self, user_id: str, passkey_id: str) -> None:
        row = await self.repository.get(passkey_id)
        if row is None or row.user_id != user_id:  # another user's passkey looks like a missing one
            raise passkey_not_found(passkey_id)
        await self.repository.delete(row)
        await self._audit(user_id, "identity.passkey.removed", "SUCCESS", target=passkey_id)
        self.ctx.events.passkey_removed(events.PasskeyRemovedData(user_id=user_id, passkey_id=passkey_id),
                                        subject=passkey_id, partition_key=user_id)

    # login

    async def authentication_options(self, identifier: str | None) -> IssuedOptions:
        user_id, allow = None, []
        if identifier:
            value = normalise_identifier(identifier)[1]
            user = await find_user(IdentityRepository(self.session), identifier)
            if user is not None and user.status == "ACTIVE":
                user_id, allow = user.id, [descriptor(p) for p in await self.repository.of_user(user.id)]
            if not allow:
                allow = [await decoy_descriptor(self.session, value)]
        challenge = generate_challenge()
        options = generate_authentication_options(
            rp_id=self.rp.id, challenge=challenge, timeout=int(CHALLENGE_TTL.total_seconds() * 1000),
            allow_credentials=allow, user_verification=UserVerificationRequirement.PREFERRED)
        row = await store_challenge(self.session, challenge, AUTHENTICATION, user_id=user_id)
        return IssuedOptions(row.id, json.loads(options_to_json(options)), row.expires_at)

    async def login(self, challenge_id: str, credential: Any,
                    device: DeviceSighting | None = None) -> Tokens:
        """Tokens. A refusal keeps its effects (the used challenge, the failure count and the audit)."""
        address_key = f"passkey-addr:{self.ctx.client_address or 'unknown'}"
        throttle = Throttle(self.session)
        locked = await throttle.check([address_key])
        if locked is not None:
            raise keeping_effects(locked)
        challenge = await self.repository.challenge(challenge_id)
        outcome = await check_assertion(self.session, self.rp, challenge, credential, AUTHENTICATION)
        passkey = outcome.passkey
        user = await IdentityRepository(self.session).user(passkey.user_id) if passkey is not None else None
        if outcome.failure is None and (user is None or user.status != "ACTIVE"):
            outcome = Outcome(passkey, failure=ASSERTION_INVALID, reason="USER_NOT_ACTIVE")
        if outcome.failure is not None:
            await throttle.fail(address_key, ADDRESS)
            actor = (passkey.user_id, "USER") if passkey is not None else ("anonymous", "ANONYMOUS")
            await self._audit(actor[0], "identity.passkey.login", "FAILURE", actor_kind=actor[1],
                              target=passkey.id if passkey else None, reason=outcome.failure,
                              details={"detail": outcome.reason})
            if outcome.failure == SIGN_COUNT_REGRESSED and passkey is not None:
                await audit_regression(self.session, passkey, outcome.reason, client_ip=self.ctx.client_address,
                                        context="LOGIN")
            raise keeping_effects(login_refused(outcome.failure))
        assert passkey is not None
        aal = "AAL2" if outcome.user_verified else "AAL1"
        tokens = await SessionService(self.ctx).open(passkey.user_id, aal=aal, device=device)
        await self._audit(passkey.user_id, "identity.passkey.login", "SUCCESS", target=passkey.id,
                          details={"aal": aal, "session_id": tokens.session_id})
        return tokens

    # step-up

    async def step_up_options(self, user_id: str, step_up_id: str) -> IssuedOptions:
        await self._check_step_up(user_id, step_up_id)
        passkeys = await self.repository.of_user(user_id)
        if not passkeys:
            raise none_registered()
        challenge = generate_challenge()
        options = generate_authentication_options(
            rp_id=self.rp.id, challenge=challenge, timeout=int(CHALLENGE_TTL.total_seconds() * 1000),
            allow_credentials=[descriptor(p) for p in passkeys], user_verification=UserVerificationRequirement.REQUIRED)
        row = await store_challenge(self.session, challenge, STEP_UP, user_id=user_id, step_up_id=step_up_id)
        return IssuedOptions(row.id, json.loads(options_to_json(options)), row.expires_at)

    async def _check_step_up(self, user_id: str, step_up_id: str) -> None:
        """The step-up must exist and be the caller's (another user's looks like a missing one)."""
        row = await MfaRepository(self.session).step_up(step_up_id)
        if row is None or row.user_id != user_id:
            raise step_up_not_found(step_up_id)
        if row.status != "PENDING" or row.expires_at <= utcnow():
            raise ProblemError(409, "STEP_UP_NOT_PENDING", "Step-up not pending",
                               "This step-up is already verified, consumed or expired.")


