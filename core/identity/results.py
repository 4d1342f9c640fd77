"""What the identity facade hands out: typed, read-only values. Table rows stay inside the identity
package; each `of_*` maps one row (or a subdomain's view of rows) to the value callers see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.platform.clock import utcnow

from .companies.api_keys import IssuedKey, prefix_of
from .companies.service import CompanyView, InvitationView, MemberView
from .companies.tables import CompanyApiKeyRow, DepartmentRow
from .devices.service import is_trusted, requires_step_up
from .devices.tables import DeviceRow
from .kyc.service import KycView
from .kyc.tables import KycCheckRow, KycHistoryRow
from .mfa.stepup import amount_text, status_of
from .mfa.tables import StepUpRow
from .passkeys.tables import PasskeyRow
from .sessions.service import session_expiry
from .sessions.tables import SessionRow
from .users.service import Registrant


@dataclass(frozen=True, slots=True)
class User:
    id: str
    phone: str
    email: str
    display_name: str
    country: str
    locale: str
    status: str
    phone_verified: bool
    email_verified: bool
    created_at: datetime
    updated_at: datetime
    version: int


def of_user(row: Registrant) -> User:
    """A registered user, or a registration kept apart because it collides (ADR 0013): the same to callers."""
    return User(row.id, row.phone, row.email, row.display_name, row.country, row.locale, row.status,
                row.phone_verified, row.email_verified, row.created_at, row.updated_at, row.version)


@dataclass(frozen=True, slots=True)
class Session:
    id: str
    aal: str
    device_id: str | None
    created_at: datetime
    last_used_at: datetime
    expires_at: datetime  # unless refreshed first: idle timeout, capped by the session's lifetime


def of_session(row: SessionRow) -> Session:
    return Session(row.id, row.aal, row.device_id, row.created_at, row.last_used_at, session_expiry(row))


@dataclass(frozen=True, slots=True)
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


def of_step_up(row: StepUpRow) -> StepUp:
    return StepUp(row.id, status_of(row), row.action, [m for m in row.methods.split(",") if m], amount_text(row),
                  row.asset, row.counterparty, row.verified_method, row.created_at, row.expires_at, row.verified_at,
                  row.consumed_at)


@dataclass(frozen=True, slots=True)
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


def of_device(row: DeviceRow) -> Device:
    now = utcnow()
    return Device(row.id, row.name, row.user_agent, row.last_client_address, is_trusted(row, now),
                  row.trusted_until, requires_step_up(row, now), row.first_seen_at, row.last_seen_at)


@dataclass(frozen=True, slots=True)
class Passkey:
    id: str
    name: str
    credential_id: str
    transports: list[str]
    aaguid: str
    device_type: str
    backed_up: bool
    sign_count: int
    created_at: datetime
    last_used_at: datetime | None


def of_passkey(row: PasskeyRow) -> Passkey:
    return Passkey(row.id, row.name, row.credential_id, [t for t in row.transports.split(",") if t], row.aaguid,
                   row.device_type, row.backed_up, row.sign_count, row.created_at, row.last_used_at)


@dataclass(frozen=True, slots=True)
class Company:
    id: str
    legal_name: str
    country: str
    registration_number: str
    created_at: datetime
    updated_at: datetime
    version: int
    role: str | None  # the caller's role; None for an API key


def of_company(view: CompanyView) -> Company:
    c = view.company
    return Company(c.id, c.legal_name, c.country, c.registration_number, c.created_at, c.updated_at, c.version,
                   view.role)


@dataclass(frozen=True, slots=True)
class Department:
    id: str
    company_id: str
    name: str
    created_at: datetime


def of_department(row: DepartmentRow) -> Department:
    return Department(row.id, row.company_id, row.name, row.created_at)


@dataclass(frozen=True, slots=True)
class Member:
    company_id: str
    user_id: str
    display_name: str
    role: str
    department_id: str | None
    joined_at: datetime
    updated_at: datetime
    version: int


def of_member(view: MemberView) -> Member:
    m = view.member
    return Member(m.company_id, m.user_id, view.display_name, m.role, m.department_id, m.created_at, m.updated_at,
                  m.version)


@dataclass(frozen=True, slots=True)
class Invitation:
    id: str
    company_id: str
    company_name: str
    invitee: str  # the email (lower-cased) or phone (E.164) it was sent to
    role: str
    department_id: str | None
    status: str
    invited_by: str
    created_at: datetime
    expires_at: datetime
    responded_at: datetime | None

    @property
    def invitee_type(self) -> str:
        """PHONE for a number in E.164 (always `+…`), EMAIL otherwise (an address never starts with `+`)."""
        return "PHONE" if self.invitee.startswith("+") else "EMAIL"


def of_invitation(view: InvitationView) -> Invitation:
    i = view.invitation
    return Invitation(i.id, i.company_id, view.company_name, i.invitee_address, i.role, i.department_id, i.status,
                      i.invited_by, i.created_at, i.expires_at, i.responded_at)


@dataclass(frozen=True, slots=True)
class ApiKey:
    id: str
    company_id: str
    name: str
    prefix: str
    scopes: list[str]
    created_by: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


def of_api_key(row: CompanyApiKeyRow) -> ApiKey:
    return ApiKey(row.id, row.company_id, row.name, prefix_of(row), list(row.scopes), row.created_by, row.created_at,
                  row.expires_at, row.last_used_at, row.revoked_at)


@dataclass(frozen=True, slots=True)
class IssuedApiKey:
    key: ApiKey
    secret: str  # the whole key; never stored, never shown again


def of_issued_key(issued: IssuedKey) -> IssuedApiKey:
    return IssuedApiKey(of_api_key(issued.row), issued.secret)


@dataclass(frozen=True, slots=True)
class KycCheck:
    id: str
    user_id: str
    target_level: str
    status: str
    reason: str | None
    document_type: str
    document_country: str
    document_last4: str
    created_at: datetime
    updated_at: datetime
    decided_at: datetime | None


def of_kyc_check(row: KycCheckRow) -> KycCheck:
    return KycCheck(row.id, row.user_id, row.target_level, row.status, row.reason, row.document_type,
                    row.document_country, row.document_last4, row.created_at, row.updated_at, row.decided_at)


@dataclass(frozen=True, slots=True)
class KycStatusChange:
    check_id: str
    at: datetime
    from_level: str
    to_level: str
    from_status: str
    to_status: str
    reason: str | None


def _change(row: KycHistoryRow) -> KycStatusChange:
    return KycStatusChange(row.check_id, row.at, row.from_level, row.to_level, row.from_status, row.to_status,
                           row.reason)


@dataclass(frozen=True, slots=True)
class KycProfile:
    user_id: str
    level: str
    status: str
    open_check_id: str | None
    history: list[KycStatusChange]


def of_kyc_profile(view: KycView) -> KycProfile:
    return KycProfile(view.user_id, view.level, view.status, view.open_check_id, [_change(h) for h in view.history])
