"""The facade of DARCA ID: the only module handlers, other core domains and the app import from identity.

Every operation takes the request context first; services run in the caller's unit of work and never
commit. Results are dataclasses or the subdomain's pydantic (SQLModel) rows, read-only to callers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from core.platform.clock import utcnow
from core.platform.context import RequestContext
from core.platform.db import Database
from core.platform.pagination import PageSlice
from core.policy.api import PolicyDecisionPoint

from .companies.api_keys import ApiKeyResolver, ApiKeyService, IssuedKey, prefix_of
from .companies.service import CompanyMembership, CompanyService, CompanyView, InvitationView, MemberView
from .companies.tables import CompanyApiKeyRow, DepartmentRow
from .devices.service import DeviceClaim, DeviceService, DeviceSighting, is_trusted, requires_step_up
from .devices.stepup import require_step_up
from .devices.tables import DeviceRow
from .kyc.provider import KycProvider
from .kyc.sandbox import SandboxKycProvider
from .kyc.service import Actor, KycService, KycView, NewCheck, kyc_level
from .kyc.tables import KycCheckRow, KycHistoryRow
from .kyc.worker import KycWorker
from .mfa.challenges import StepUpService
from .mfa.service import MfaService, TotpState
from .mfa.stepup import amount_text, status_of
from .mfa.tables import StepUpRow
from .mfa.totp import Enrolment
from .passkeys.ceremony import IssuedOptions, RelyingParty
from .passkeys.factor import PasskeySecondFactor
from .passkeys.service import PasskeyService
from .passkeys.tables import PasskeyRow
from .sessions.service import SessionService, Tokens, session_expiry
from .sessions.tables import SessionRow
from .sessions.tokens import BearerResolver, published_keys
from .users.service import Challenge, IdentityService, NewUser, Registrant

__all__ = [
    "ApiKeyResolver", "BearerResolver", "Challenge", "CompanyApiKeyRow", "CompanyMembership", "CompanyPolicy",
    "CompanyView", "Credential", "DepartmentRow", "Device", "DeviceClaim", "Enrolment", "InvitationView",
    "Invitee", "IssuedKey", "IssuedOptions", "KycCheckRow", "KycHistoryRow", "KycProvider", "KycView",
    "KycWorker", "MemberView", "NewApiKey", "NewCheck", "NewUser", "PasskeyRow", "PasswordLogin", "Registrant",
    "RelyingParty", "SandboxKycProvider", "SessionRow", "StepUp", "StepUpRequest", "Tokens", "TotpState",
    "accept_invitation", "authentication_options", "confirm_totp", "confirm_verification", "create_api_key",
    "create_company", "create_department", "create_step_up", "decide_kyc_check", "decline_invitation",
    "delete_passkey", "departments", "disable_totp", "elevate_session", "get_company", "get_device",
    "get_step_up", "invite", "jwks", "kyc_check", "kyc_level", "kyc_profile", "list_api_keys", "list_devices",
    "list_passkeys", "list_sessions", "login", "members", "my_companies", "my_invitations", "passkey_login",
    "prefix_of", "refresh", "regenerate_recovery_codes", "register", "register_passkey", "registration_options",
    "remove_member", "revoke_all_sessions", "revoke_api_key", "revoke_device", "revoke_session",
    "session_expiry", "start_totp", "start_verification", "step_up_passkey_options", "submit_kyc_check",
    "totp_state", "trust_device", "untrust_device", "update_company", "update_member", "verify_step_up",
]

Credential = dict[str, object]  # a WebAuthn credential as the browser's JSON (py_webauthn parses it)

TRUST_ACTION = "identity.device.trust"


# --- users: registration and verification ------------------------------------------------------------

async def register(ctx: RequestContext, new: NewUser) -> Registrant:
    return await IdentityService(ctx).register(new)


async def start_verification(ctx: RequestContext, user_id: str, channel: str) -> Challenge:
    return await IdentityService(ctx).start_verification(user_id, channel)


async def confirm_verification(ctx: RequestContext, user_id: str, channel: str, code: str) -> Registrant:
    return await IdentityService(ctx).confirm_verification(user_id, channel, code)


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


async def list_sessions(ctx: RequestContext, user_id: str, *, limit: int, cursor: str | None) -> PageSlice[SessionRow]:
    return await SessionService(ctx).list(user_id, limit=limit, cursor=cursor)


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


@dataclass(frozen=True)
class StepUp:
    id: str
    status: str
    action: str
    methods: list[str]
    amount: str | None
    asset: str | None
    counterparty: str | None
    verified_method: str | None
    created_at: datetime
    expires_at: datetime
    verified_at: datetime | None
    consumed_at: datetime | None


def _step_ups(ctx: RequestContext) -> StepUpService:
    return StepUpService(ctx, PasskeySecondFactor(ctx))


def _step_up(row: StepUpRow) -> StepUp:
    return StepUp(row.id, status_of(row), row.action, [m for m in row.methods.split(",") if m], amount_text(row),
                  row.asset, row.counterparty, row.verified_method, row.created_at, row.expires_at, row.verified_at,
                  row.consumed_at)


async def create_step_up(ctx: RequestContext, user_id: str, request: StepUpRequest) -> StepUp:
    return _step_up(await _step_ups(ctx).create(user_id, request.action, amount=request.amount,
                                                counterparty=request.counterparty))


async def get_step_up(ctx: RequestContext, user_id: str, step_up_id: str) -> StepUp:
    return _step_up(await _step_ups(ctx).get(user_id, step_up_id))


async def verify_step_up(ctx: RequestContext, user_id: str, step_up_id: str, *, totp_code: str | None = None,
                         recovery_code: str | None = None, passkey: Credential | None = None) -> StepUp:
    return _step_up(await _step_ups(ctx).verify(user_id, step_up_id, totp_code=totp_code,
                                                recovery_code=recovery_code, passkey=passkey))


# --- devices -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Device:
    id: str
    name: str | None
    user_agent: str | None
    last_client_address: str | None
    trusted: bool
    trusted_until: datetime | None
    requires_step_up: bool
    first_seen_at: datetime
    last_seen_at: datetime


def _device(row: DeviceRow) -> Device:
    now = utcnow()
    return Device(row.id, row.name, row.user_agent, row.last_client_address, is_trusted(row, now),
                  row.trusted_until, requires_step_up(row, now), row.first_seen_at, row.last_seen_at)


async def list_devices(ctx: RequestContext, user_id: str, *, limit: int, cursor: str | None) -> PageSlice[Device]:
    page = await DeviceService(ctx).list(user_id, limit=limit, cursor=cursor)
    return PageSlice([_device(r) for r in page.items], page.has_more, page.next_cursor)


async def get_device(ctx: RequestContext, user_id: str, device_id: str) -> Device:
    return _device(await DeviceService(ctx).get(user_id, device_id))


async def trust_device(ctx: RequestContext, user_id: str, device_id: str, step_up_id: str | None) -> Device:
    service = DeviceService(ctx)
    await service.get(user_id, device_id)  # 404 before any step-up talk
    await require_step_up(ctx, TRUST_ACTION, step_up_id, PasskeySecondFactor(ctx))
    return _device(await service.trust(user_id, device_id))


async def untrust_device(ctx: RequestContext, user_id: str, device_id: str) -> Device:
    return _device(await DeviceService(ctx).untrust(user_id, device_id))


async def revoke_device(ctx: RequestContext, user_id: str, device_id: str) -> int:
    return await DeviceService(ctx).revoke(user_id, device_id, SessionService(ctx).revoke_on_device)


# --- passkeys (the relying party comes from the app's settings) ----------------------------------------

async def registration_options(ctx: RequestContext, rp: RelyingParty, user_id: str,
                               step_up_id: str | None) -> IssuedOptions:
    return await PasskeyService(ctx, rp).registration_options(user_id, step_up_id)


async def register_passkey(ctx: RequestContext, rp: RelyingParty, user_id: str, name: str,
                           credential: Credential) -> PasskeyRow:
    return await PasskeyService(ctx, rp).register(user_id, name, credential)


async def list_passkeys(ctx: RequestContext, rp: RelyingParty, user_id: str) -> list[PasskeyRow]:
    return await PasskeyService(ctx, rp).list(user_id)


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


# --- companies (company policy decisions are logged, refusals audited in their own transaction) -----------

@dataclass(frozen=True)
class CompanyPolicy:
    """What company operations need besides the request: the policy decision point and the database."""

    pdp: PolicyDecisionPoint
    db: Database


def _companies(ctx: RequestContext, policy: CompanyPolicy) -> CompanyService:
    return CompanyService(ctx, policy.pdp, policy.db)


def _keys(ctx: RequestContext, policy: CompanyPolicy) -> ApiKeyService:
    return ApiKeyService(ctx, policy.pdp, policy.db)


async def create_company(ctx: RequestContext, policy: CompanyPolicy, legal_name: str, country: str,
                         registration_number: str) -> CompanyView:
    return await _companies(ctx, policy).create(legal_name, country, registration_number)


async def my_companies(ctx: RequestContext, policy: CompanyPolicy, *, limit: int,
                       cursor: str | None) -> PageSlice[CompanyView]:
    return await _companies(ctx, policy).mine(limit, cursor)


async def get_company(ctx: RequestContext, policy: CompanyPolicy, company_id: str) -> CompanyView:
    return await _companies(ctx, policy).get(company_id)


async def update_company(ctx: RequestContext, policy: CompanyPolicy, company_id: str, legal_name: str) -> CompanyView:
    return await _companies(ctx, policy).update(company_id, legal_name)


async def create_department(ctx: RequestContext, policy: CompanyPolicy, company_id: str, name: str) -> DepartmentRow:
    return await _companies(ctx, policy).create_department(company_id, name)


async def departments(ctx: RequestContext, policy: CompanyPolicy, company_id: str) -> list[DepartmentRow]:
    return await _companies(ctx, policy).departments(company_id)


@dataclass(frozen=True)
class Invitee:
    role: str
    email: str | None = None
    phone: str | None = None
    department_id: str | None = None


async def invite(ctx: RequestContext, policy: CompanyPolicy, company_id: str, invitee: Invitee) -> InvitationView:
    return await _companies(ctx, policy).invite(company_id, email=invitee.email, phone=invitee.phone,
                                                role=invitee.role, department_id=invitee.department_id)


async def my_invitations(ctx: RequestContext, policy: CompanyPolicy) -> list[InvitationView]:
    return await _companies(ctx, policy).my_invitations()


async def accept_invitation(ctx: RequestContext, policy: CompanyPolicy, invitation_id: str) -> MemberView:
    return await _companies(ctx, policy).accept(invitation_id)


async def decline_invitation(ctx: RequestContext, policy: CompanyPolicy, invitation_id: str) -> InvitationView:
    return await _companies(ctx, policy).decline(invitation_id)


async def members(ctx: RequestContext, policy: CompanyPolicy, company_id: str, *, limit: int,
                  cursor: str | None) -> PageSlice[MemberView]:
    return await _companies(ctx, policy).members(company_id, limit, cursor)


async def update_member(ctx: RequestContext, policy: CompanyPolicy, company_id: str, user_id: str, *,
                        role: str | None, department_id: str | None) -> MemberView:
    return await _companies(ctx, policy).update_member(company_id, user_id, role=role, department_id=department_id)


async def remove_member(ctx: RequestContext, policy: CompanyPolicy, company_id: str, user_id: str) -> None:
    await _companies(ctx, policy).remove_member(company_id, user_id)


@dataclass(frozen=True)
class NewApiKey:
    name: str
    scopes: list[str]
    expires_at: datetime | None = None


async def create_api_key(ctx: RequestContext, policy: CompanyPolicy, company_id: str, new: NewApiKey,
                         step_up_id: str | None) -> IssuedKey:
    return await _keys(ctx, policy).create_key(company_id, new.name, new.scopes, new.expires_at, step_up_id)


async def list_api_keys(ctx: RequestContext, policy: CompanyPolicy, company_id: str) -> list[CompanyApiKeyRow]:
    return await _keys(ctx, policy).list_keys(company_id)


async def revoke_api_key(ctx: RequestContext, policy: CompanyPolicy, company_id: str, api_key_id: str) -> None:
    await _keys(ctx, policy).revoke_key(company_id, api_key_id)


# --- KYC (the provider is the app's; none outside the sandbox until a vendor adapter exists) -------------

def _actor(ctx: RequestContext) -> Actor:
    return Actor(ctx.principal.id, ctx.principal.kind, ctx.principal.device_id, ctx.client_address)


async def kyc_profile(ctx: RequestContext, user_id: str) -> KycView:
    return await KycService(ctx).view(user_id)


async def submit_kyc_check(ctx: RequestContext, provider: KycProvider | None, user_id: str,
                           new: NewCheck) -> KycCheckRow:
    return await KycService(ctx, provider=provider).submit(user_id, new, _actor(ctx))


async def kyc_check(ctx: RequestContext, user_id: str, check_id: str) -> KycCheckRow:
    return await KycService(ctx).check_of(user_id, check_id)


async def decide_kyc_check(ctx: RequestContext, check_id: str, *, approve: bool, reason: str) -> KycCheckRow:
    return await KycService(ctx).decide_manually(check_id, approve, reason, _actor(ctx))

