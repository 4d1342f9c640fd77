"""The facade of DARCA ID: the only module handlers, other core domains and the app import from identity.

Every operation takes the request context first; services run in the caller's unit of work and never
commit. Results are frozen dataclasses (`results.py`); table rows never leave the identity package.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from core.platform.context import RequestContext
from core.platform.pagination import PageSlice
from core.policy.api import PolicyDecisionPoint

from .companies.api_keys import ApiKeyResolver, ApiKeyService
from .companies.service import CompanyGate, CompanyMembership, CompanyService
from .devices.service import DeviceClaim, DeviceService, DeviceSighting
from .devices.stepup import require_step_up
from .kyc.provider import KycProvider
from .kyc.sandbox import SandboxKycProvider
from .kyc.service import Actor, KycService, NewCheck, kyc_level
from .kyc.worker import KycWorker
from .mfa.challenges import StepUpService
from .mfa.service import MfaService, TotpState
from .mfa.totp import Enrolment
from .passkeys.ceremony import IssuedOptions, RelyingParty
from .passkeys.factor import PasskeySecondFactor
from .passkeys.service import PasskeyService
from .results import (
    ApiKey,
    Company,
    Department,
    Device,
    Invitation,
    IssuedApiKey,
    KycCheck,
    KycProfile,
    KycStatusChange,
    Member,
    Passkey,
    Session,
    StepUp,
    User,
    of_api_key,
    of_company,
    of_department,
    of_device,
    of_invitation,
    of_issued_key,
    of_kyc_check,
    of_kyc_profile,
    of_member,
    of_passkey,
    of_session,
    of_step_up,
    of_user,
)
from .sessions.credentials import CredentialService
from .sessions.service import SessionService, Tokens
from .sessions.tokens import BearerResolver, published_keys
from .users.service import Activation, Challenge, IdentityService, NewUser

__all__ = [
    "Activation", "Profile", "authorize_company", "change_password", "confirm_password_reset", "profile",
    "request_password_reset",
    "ApiKey", "ApiKeyResolver", "BearerResolver", "Challenge", "Company", "CompanyMembership", "CompanyPolicy",
    "Credential", "Department", "Device", "DeviceClaim", "Enrolment", "Invitation", "Invitee", "IssuedApiKey",
    "IssuedOptions", "KycCheck", "KycProfile", "KycProvider", "KycStatusChange", "KycWorker", "Member", "NewApiKey",
    "NewCheck", "NewUser", "Passkey", "PasswordLogin", "RelyingParty", "SandboxKycProvider", "Session", "StepUp",
    "StepUpRequest", "Tokens", "TotpState", "User", "accept_invitation", "authentication_options", "confirm_totp",
    "confirm_verification", "create_api_key", "create_company", "create_department", "create_step_up",
    "decide_kyc_check", "decline_invitation", "delete_passkey", "departments", "disable_totp", "elevate_session",
    "get_company", "get_device", "get_step_up", "invite", "jwks", "kyc_check", "kyc_level", "kyc_profile",
    "list_api_keys", "list_devices", "list_passkeys", "list_sessions", "login", "members", "my_companies",
    "my_invitations", "passkey_login", "refresh", "regenerate_recovery_codes", "register", "register_passkey",
    "registration_options", "remove_member", "revoke_all_sessions", "revoke_api_key", "revoke_device",
    "revoke_session", "start_totp", "start_verification", "step_up_passkey_options", "submit_kyc_check",
    "totp_state", "trust_device", "untrust_device", "update_company", "update_member", "verify_step_up",
]

Credential = dict[str, object]  # a WebAuthn credential as the browser's JSON (py_webauthn parses it)

TRUST_ACTION = "identity.device.trust"


# --- users: registration and verification ------------------------------------------------------------

async def register(ctx: RequestContext, new: NewUser, *, sandbox: bool = True) -> User:
    """`sandbox`: the platform runs in the SANDBOX environment (PRODUCTION refuses sandbox phone numbers)."""
    return of_user(await IdentityService(ctx).register(new, sandbox=sandbox))


async def start_verification(ctx: RequestContext, user_id: str, channel: str) -> Challenge:
    return await IdentityService(ctx).start_verification(user_id, channel)


async def confirm_verification(ctx: RequestContext, user_id: str, channel: str, code: str,
                               on_activation: Activation | None = None) -> User:
    """The user as verified; `on_activation(ctx, user_id)` runs in the same unit of work when this makes
    the user ACTIVE (the app opens their default wallets there)."""
    return of_user(await IdentityService(ctx).confirm_verification(user_id, channel, code, on_activation))


@dataclass(frozen=True)
class Profile:
    user: User
    kyc_level: str


async def profile(ctx: RequestContext, user_id: str) -> Profile:
    return Profile(of_user(await IdentityService(ctx).active_user(user_id)), await kyc_level(ctx, user_id))


# --- passwords ---------------------------------------------------------------------------------------

async def change_password(ctx: RequestContext, user_id: str, current: str, new: str, step_up_id: str | None) -> int:
    """How many other sessions were revoked (the caller's stays)."""
    return await CredentialService(ctx).change(user_id, current, new, step_up_id, PasskeySecondFactor(ctx))


async def request_password_reset(ctx: RequestContext, email: str) -> timedelta:
    """How long a code sent now stays valid: the same answer whether or not the address is registered."""
    return await CredentialService(ctx).request_reset(email)


async def confirm_password_reset(ctx: RequestContext, email: str, code: str, new: str) -> int:
    """How many sessions were revoked."""
    return await CredentialService(ctx).confirm_reset(email, code, new)


# --- sessions ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PasswordLogin:
    identifier: str
    password: str
    totp_code: str | None = None
    device: DeviceClaim = field(default_factory=DeviceClaim)


def _sighting(ctx: RequestContext, claim: DeviceClaim) -> DeviceSighting:
    return DeviceSighting(DeviceService(ctx), claim)


async def login(ctx: RequestContext, attempt: PasswordLogin) -> Tokens:
    return await SessionService(ctx).login(attempt.identifier, attempt.password, _sighting(ctx, attempt.device),
                                           totp_code=attempt.totp_code)


async def refresh(ctx: RequestContext, refresh_token: str) -> Tokens:
    return await SessionService(ctx).refresh(refresh_token)


async def list_sessions(ctx: RequestContext, user_id: str, *, limit: int, cursor: str | None) -> PageSlice[Session]:
    page = await SessionService(ctx).list(user_id, limit=limit, cursor=cursor)
    return PageSlice([of_session(r) for r in page.items], page.has_more, page.next_cursor)


async def revoke_session(ctx: RequestContext, user_id: str, session_id: str) -> None:
    await SessionService(ctx).revoke(user_id, session_id)


async def revoke_all_sessions(ctx: RequestContext, user_id: str) -> int:
    return await SessionService(ctx).revoke_all(user_id)


async def elevate_session(ctx: RequestContext, user_id: str, *, totp_code: str | None,
                          recovery_code: str | None) -> Tokens:
    return await SessionService(ctx).elevate(user_id, ctx.principal.session_id, totp_code=totp_code,
                                             recovery_code=recovery_code)


async def jwks(ctx: RequestContext) -> list[dict[str, str]]:
    return await published_keys(ctx.session)


# --- second factor and step-ups ----------------------------------------------------------------------

async def totp_state(ctx: RequestContext, user_id: str) -> TotpState:
    return await MfaService(ctx).state(user_id)


async def start_totp(ctx: RequestContext, user_id: str) -> Enrolment:
    return await MfaService(ctx).start(user_id)


async def confirm_totp(ctx: RequestContext, user_id: str, code: str) -> list[str]:
    return await MfaService(ctx).confirm(user_id, code)


async def regenerate_recovery_codes(ctx: RequestContext, user_id: str, step_up_id: str | None) -> list[str]:
    return await MfaService(ctx).regenerate_recovery_codes(user_id, step_up_id, PasskeySecondFactor(ctx))


async def disable_totp(ctx: RequestContext, user_id: str, step_up_id: str | None) -> None:
    await MfaService(ctx).disable(user_id, step_up_id, PasskeySecondFactor(ctx))


@dataclass(frozen=True)
class StepUpRequest:
    action: str
    amount: tuple[str, str] | None = None  # (decimal value, asset code)
    counterparty: str | None = None


def _step_ups(ctx: RequestContext) -> StepUpService:
    return StepUpService(ctx, PasskeySecondFactor(ctx))


async def create_step_up(ctx: RequestContext, user_id: str, request: StepUpRequest) -> StepUp:
    return of_step_up(await _step_ups(ctx).create(user_id, request.action, amount=request.amount,
                                                  counterparty=request.counterparty))


async def get_step_up(ctx: RequestContext, user_id: str, step_up_id: str) -> StepUp:
    return of_step_up(await _step_ups(ctx).get(user_id, step_up_id))


async def verify_step_up(ctx: RequestContext, user_id: str, step_up_id: str, *, totp_code: str | None = None,
                         recovery_code: str | None = None, passkey: Credential | None = None) -> StepUp:
    return of_step_up(await _step_ups(ctx).verify(user_id, step_up_id, totp_code=totp_code,
                                                  recovery_code=recovery_code, passkey=passkey))


# --- devices -----------------------------------------------------------------------------------------

async def list_devices(ctx: RequestContext, user_id: str, *, limit: int, cursor: str | None) -> PageSlice[Device]:
    page = await DeviceService(ctx).list(user_id, limit=limit, cursor=cursor)
    return PageSlice([of_device(r) for r in page.items], page.has_more, page.next_cursor)


async def get_device(ctx: RequestContext, user_id: str, device_id: str) -> Device:
    return of_device(await DeviceService(ctx).get(user_id, device_id))


async def trust_device(ctx: RequestContext, user_id: str, device_id: str, step_up_id: str | None) -> Device:
    service = DeviceService(ctx)
    await service.get(user_id, device_id)  # 404 before any step-up talk
    await require_step_up(ctx, TRUST_ACTION, step_up_id, PasskeySecondFactor(ctx))
    return of_device(await service.trust(user_id, device_id))


async def untrust_device(ctx: RequestContext, user_id: str, device_id: str) -> Device:
    return of_device(await DeviceService(ctx).untrust(user_id, device_id))


async def revoke_device(ctx: RequestContext, user_id: str, device_id: str) -> int:
    return await DeviceService(ctx).revoke(user_id, device_id, SessionService(ctx).revoke_on_device)


# --- passkeys (the relying party comes from the app's settings) ----------------------------------------

async def registration_options(ctx: RequestContext, rp: RelyingParty, user_id: str,
                               step_up_id: str | None) -> IssuedOptions:
    return await PasskeyService(ctx, rp).registration_options(user_id, step_up_id)


async def register_passkey(ctx: RequestContext, rp: RelyingParty, user_id: str, name: str,
                           credential: Credential) -> Passkey:
    return of_passkey(await PasskeyService(ctx, rp).register(user_id, name, credential))


async def list_passkeys(ctx: RequestContext, rp: RelyingParty, user_id: str) -> list[Passkey]:
    return [of_passkey(r) for r in await PasskeyService(ctx, rp).list(user_id)]


async def delete_passkey(ctx: RequestContext, rp: RelyingParty, user_id: str, passkey_id: str) -> None:
    await PasskeyService(ctx, rp).remove(user_id, passkey_id)


async def authentication_options(ctx: RequestContext, rp: RelyingParty, identifier: str | None) -> IssuedOptions:
    return await PasskeyService(ctx, rp).authentication_options(identifier)


async def passkey_login(ctx: RequestContext, rp: RelyingParty, challenge_id: str, credential: Credential,
                        device: DeviceClaim) -> Tokens:
    return await PasskeyService(ctx, rp).login(challenge_id, credential, _sighting(ctx, device))


async def step_up_passkey_options(ctx: RequestContext, rp: RelyingParty, user_id: str,
                                  step_up_id: str) -> IssuedOptions:
    return await PasskeyService(ctx, rp).step_up_options(user_id, step_up_id)


# --- companies (company policy decisions are logged, refusals audited and committed with the answer) -------

@dataclass(frozen=True)
class CompanyPolicy:
    """What company operations need besides the request: the policy decision point."""

    pdp: PolicyDecisionPoint


def _companies(ctx: RequestContext, policy: CompanyPolicy) -> CompanyService:
    return CompanyService(ctx, policy.pdp)


def _keys(ctx: RequestContext, policy: CompanyPolicy) -> ApiKeyService:
    return ApiKeyService(ctx, policy.pdp)


async def create_company(ctx: RequestContext, policy: CompanyPolicy, legal_name: str, country: str,
                         registration_number: str) -> Company:
    return of_company(await _companies(ctx, policy).create(legal_name, country, registration_number))


async def my_companies(ctx: RequestContext, policy: CompanyPolicy, *, limit: int,
                       cursor: str | None) -> PageSlice[Company]:
    page = await _companies(ctx, policy).mine(limit, cursor)
    return PageSlice([of_company(v) for v in page.items], page.has_more, page.next_cursor)


async def authorize_company(ctx: RequestContext, policy: CompanyPolicy, company_id: str, action: str) -> None:
    """Pass when the caller is a member of the company whom the policy allows `action`: 404
    COMPANY_NOT_FOUND for anybody else, 403 FORBIDDEN for a member it does not allow (both audited)."""
    await CompanyGate(ctx, policy.pdp).allow(company_id, action)


async def get_company(ctx: RequestContext, policy: CompanyPolicy, company_id: str) -> Company:
    return of_company(await _companies(ctx, policy).get(company_id))


async def update_company(ctx: RequestContext, policy: CompanyPolicy, company_id: str, legal_name: str) -> Company:
    return of_company(await _companies(ctx, policy).update(company_id, legal_name))


async def create_department(ctx: RequestContext, policy: CompanyPolicy, company_id: str, name: str) -> Department:
    return of_department(await _companies(ctx, policy).create_department(company_id, name))


async def departments(ctx: RequestContext, policy: CompanyPolicy, company_id: str) -> list[Department]:
    return [of_department(r) for r in await _companies(ctx, policy).departments(company_id)]


@dataclass(frozen=True)
class Invitee:
    role: str
    email: str | None = None
    phone: str | None = None
    department_id: str | None = None


async def invite(ctx: RequestContext, policy: CompanyPolicy, company_id: str, invitee: Invitee) -> Invitation:
    return of_invitation(await _companies(ctx, policy).invite(
        company_id, email=invitee.email, phone=invitee.phone, role=invitee.role, department_id=invitee.department_id))


async def my_invitations(ctx: RequestContext, policy: CompanyPolicy) -> list[Invitation]:
    return [of_invitation(v) for v in await _companies(ctx, policy).my_invitations()]


async def accept_invitation(ctx: RequestContext, policy: CompanyPolicy, invitation_id: str) -> Member:
    return of_member(await _companies(ctx, policy).accept(invitation_id))


async def decline_invitation(ctx: RequestContext, policy: CompanyPolicy, invitation_id: str) -> Invitation:
    return of_invitation(await _companies(ctx, policy).decline(invitation_id))


async def members(ctx: RequestContext, policy: CompanyPolicy, company_id: str, *, limit: int,
                  cursor: str | None) -> PageSlice[Member]:
    page = await _companies(ctx, policy).members(company_id, limit, cursor)
    return PageSlice([of_member(v) for v in page.items], page.has_more, page.next_cursor)


async def update_member(ctx: RequestContext, policy: CompanyPolicy, company_id: str, user_id: str, *,
                        role: str | None, department_id: str | None) -> Member:
    return of_member(await _companies(ctx, policy).update_member(company_id, user_id, role=role,
                                                                department_id=department_id))


async def remove_member(ctx: RequestContext, policy: CompanyPolicy, company_id: str, user_id: str) -> None:
    await _companies(ctx, policy).remove_member(company_id, user_id)


@dataclass(frozen=True)
class NewApiKey:
    name: str
    scopes: list[str]
    expires_at: datetime | None = None


async def create_api_key(ctx: RequestContext, policy: CompanyPolicy, company_id: str, new: NewApiKey,
                         step_up_id: str | None) -> IssuedApiKey:
    return of_issued_key(await _keys(ctx, policy).create_key(company_id, new.name, new.scopes, new.expires_at,
                                                             step_up_id))


async def list_api_keys(ctx: RequestContext, policy: CompanyPolicy, company_id: str) -> list[ApiKey]:
    return [of_api_key(r) for r in await _keys(ctx, policy).list_keys(company_id)]


async def revoke_api_key(ctx: RequestContext, policy: CompanyPolicy, company_id: str, api_key_id: str) -> None:
    await _keys(ctx, policy).revoke_key(company_id, api_key_id)


# --- KYC (the provider is the app's; none outside the sandbox until a vendor adapter exists) -------------

def _actor(ctx: RequestContext) -> Actor:
    return Actor(ctx.principal.id, ctx.principal.kind, ctx.principal.device_id, ctx.client_address)


async def kyc_profile(ctx: RequestContext, user_id: str) -> KycProfile:
    return of_kyc_profile(await KycService(ctx).view(user_id))


async def submit_kyc_check(ctx: RequestContext, provider: KycProvider | None, user_id: str,
                           new: NewCheck) -> KycCheck:
    return of_kyc_check(await KycService(ctx, provider=provider).submit(user_id, new, _actor(ctx)))


async def kyc_check(ctx: RequestContext, user_id: str, check_id: str) -> KycCheck:
    return of_kyc_check(await KycService(ctx).check_of(user_id, check_id))


async def decide_kyc_check(ctx: RequestContext, check_id: str, *, approve: bool, reason: str) -> KycCheck:
    return of_kyc_check(await KycService(ctx).decide_manually(check_id, approve, reason, _actor(ctx)))

