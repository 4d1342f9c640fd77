"""Companies, members, invitations and company API keys: generated models <-> core/identity services."""

from __future__ import annotations

from typing import Any

from pydantic.experimental.missing_sentinel import MISSING

from core.identity import api as identity
from core.identity.api import ApiKey, Company, Department, Invitation, Member
from core.platform.api import Database, RequestContext, as_utc
from core.policy.api import PolicyDecisionPoint
from generated.openapi import models
from generated.openapi.routes import CompaniesHandlers, Reply
from handlers.common import user_id


def _t(value: Any) -> Any:
    """SQLite hands back naive UTC datetimes."""
    return as_utc(value) if value is not None else None


def _present(**values: Any) -> dict[str, Any]:
    """Optional response fields: absent rather than null."""
    return {k: v for k, v in values.items() if v is not None}


def _given(value: Any) -> Any:
    """An optional request field, or None when it was left out."""
    return None if value is MISSING else value


def company_model(c: Company) -> models.Company:
    return models.Company(
        id=models.CompanyId(c.id), legal_name=c.legal_name, country=c.country,
        registration_number=c.registration_number, created_at=_t(c.created_at), updated_at=_t(c.updated_at),
        version=c.version, **_present(role=models.CompanyRole(c.role) if c.role else None))


def department_model(row: Department) -> models.Department:
    return models.Department(id=models.DepartmentId(row.id), company_id=models.CompanyId(row.company_id),
                             name=row.name, created_at=_t(row.created_at))


def invitation_model(i: Invitation) -> models.Invitation:
    return models.Invitation(
        id=i.id, company_id=models.CompanyId(i.company_id), company_name=i.company_name,
        invitee_type=models.InviteeType(i.invitee_type), invitee=i.invitee, role=models.CompanyRole(i.role),
        status=models.InvitationStatus(i.status),
        invited_by=i.invited_by, created_at=_t(i.created_at), expires_at=_t(i.expires_at),
        **_present(department_id=models.DepartmentId(i.department_id) if i.department_id else None,
                   responded_at=_t(i.responded_at)))


def member_model(m: Member) -> models.Member:
    return models.Member(
        company_id=models.CompanyId(m.company_id), user_id=m.user_id, display_name=m.display_name,
        role=models.CompanyRole(m.role), joined_at=_t(m.joined_at), updated_at=_t(m.updated_at), version=m.version,
        **_present(department_id=models.DepartmentId(m.department_id) if m.department_id else None))


def _key_fields(row: ApiKey) -> dict[str, Any]:
    return dict(
        id=models.ApiKeyId(row.id), company_id=models.CompanyId(row.company_id), name=row.name, prefix=row.prefix,
        scopes=[models.ApiKeyScope(s) for s in row.scopes], created_by=row.created_by, created_at=_t(row.created_at),
        **_present(expires_at=_t(row.expires_at), last_used_at=_t(row.last_used_at), revoked_at=_t(row.revoked_at)))


class CompaniesHandler(CompaniesHandlers):
    def __init__(self, db: Database, pdp: PolicyDecisionPoint | None = None) -> None:
        self.policy = identity.CompanyPolicy(pdp or PolicyDecisionPoint(db))

    def _policy(self, ctx: RequestContext) -> identity.CompanyPolicy:
        user_id(ctx)  # company operations are for users (an API key reads its own company only)
        return self.policy

    # --- companies ------------------------------------------------------------------------------
    async def create_company(self, ctx: RequestContext, *, body: models.CompanyRegistration) -> Reply:
        company = await identity.create_company(ctx, self._policy(ctx), body.legal_name.root, body.country.value,
                                               body.registration_number)
        return Reply(company_model(company), headers={"Location": f"/v1/companies/{company.id}"})

    async def list_companies(self, ctx: RequestContext, *, limit: int, cursor: str | None) -> models.CompanyPage:
        page = await identity.my_companies(ctx, self._policy(ctx), limit=limit, cursor=cursor)
        return models.CompanyPage(has_more=page.has_more, data=[company_model(v) for v in page.items],
                                  **_present(next_cursor=page.next_cursor))

    async def get_company(self, ctx: RequestContext, *, company_id: str) -> models.Company:
        return company_model(await identity.get_company(ctx, self.policy, company_id))

    async def update_company(self, ctx: RequestContext, *, company_id: str,
                             body: models.CompanyUpdate) -> models.Company:
        return company_model(await identity.update_company(ctx, self._policy(ctx), company_id, body.legal_name.root))

    # --- departments ----------------------------------------------------------------------------
    async def create_department(self, ctx: RequestContext, *, company_id: str,
                                body: models.DepartmentCreation) -> models.Department:
        return department_model(await identity.create_department(ctx, self._policy(ctx), company_id, body.name.root))

    async def list_departments(self, ctx: RequestContext, *, company_id: str) -> models.DepartmentList:
        rows = await identity.departments(ctx, self._policy(ctx), company_id)
        return models.DepartmentList(data=[department_model(r) for r in rows])

    # --- invitations ----------------------------------------------------------------------------
    async def create_invitation(self, ctx: RequestContext, *, company_id: str,
                                body: models.InvitationCreation) -> models.Invitation:
        invitation = body.root  # `invitee_type` chose the generated type: one address, never both or none
        department = _given(invitation.department_id)
        email = invitation.email.root if isinstance(invitation, models.EmailInvitationCreation) else None
        phone = invitation.phone.root if isinstance(invitation, models.PhoneInvitationCreation) else None
        view = await identity.invite(ctx, self._policy(ctx), company_id, identity.Invitee(
            invitation.role.value, email=email, phone=phone,
            department_id=department.root if department is not None else None))
        return invitation_model(view)

    async def list_my_invitations(self, ctx: RequestContext) -> models.InvitationList:
        views = await identity.my_invitations(ctx, self._policy(ctx))
        return models.InvitationList(data=[invitation_model(v) for v in views])

    async def accept_invitation(self, ctx: RequestContext, *, invitation_id: str) -> models.Member:
        return member_model(await identity.accept_invitation(ctx, self._policy(ctx), invitation_id))

    async def decline_invitation(self, ctx: RequestContext, *, invitation_id: str) -> models.Invitation:
        return invitation_model(await identity.decline_invitation(ctx, self._policy(ctx), invitation_id))

    # --- members --------------------------------------------------------------------------------
    async def list_members(self, ctx: RequestContext, *, company_id: str, limit: int,
                           cursor: str | None) -> models.MemberPage:
        page = await identity.members(ctx, self._policy(ctx), company_id, limit=limit, cursor=cursor)
        return models.MemberPage(has_more=page.has_more, data=[member_model(v) for v in page.items],
                                 **_present(next_cursor=page.next_cursor))

    async def update_member(self, ctx: RequestContext, *, company_id: str, user_id: str,
                            body: models.MemberUpdate) -> models.Member:
        role = _given(body.role)
        department = _given(body.department_id)
        view = await identity.update_member(
            ctx, self._policy(ctx), company_id, user_id, role=role.value if role is not None else None,
            department_id=department.root if department is not None else None)
        return member_model(view)

    async def remove_member(self, ctx: RequestContext, *, company_id: str, user_id: str) -> None:
        await identity.remove_member(ctx, self._policy(ctx), company_id, user_id)

    # --- API keys -------------------------------------------------------------------------------
    async def create_api_key(self, ctx: RequestContext, *, company_id: str, x_step_up_id: str | None,
                             body: models.ApiKeyCreation) -> models.ApiKeyWithSecret:
        issued = await identity.create_api_key(ctx, self._policy(ctx), company_id, identity.NewApiKey(
            body.name.root, [s.value for s in body.scopes], _given(body.expires_at)), x_step_up_id)
        return models.ApiKeyWithSecret(**_key_fields(issued.key), secret=issued.secret)

    async def list_api_keys(self, ctx: RequestContext, *, company_id: str) -> models.ApiKeyList:
        rows = await identity.list_api_keys(ctx, self._policy(ctx), company_id)
        return models.ApiKeyList(data=[models.ApiKey(**_key_fields(r)) for r in rows])

    async def revoke_api_key(self, ctx: RequestContext, *, company_id: str, api_key_id: str) -> None:
        await identity.revoke_api_key(ctx, self._policy(ctx), company_id, api_key_id)
