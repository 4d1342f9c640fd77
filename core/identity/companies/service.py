"""Decisions of DARCA ID for businesses: companies, departments, invitations, members and roles.

Every permission goes through the policy decision point (Cedar). A caller who is not a member gets
404, exactly as if the company did not exist; a member whose role does not allow the action gets
403. Both refusals are audited in the request's unit of work and raised `keeping_effects`, so the
invoker commits the audit record with the refusal (a gate refuses before anything else is written).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import ColumnElement
from sqlalchemy.exc import IntegrityError

from core.identity.audit import audit
from core.identity.companies import errors
from core.identity.companies.repository import CompanyRepository, reads_company_ledger
from core.identity.companies.tables import CompanyRow, DepartmentRow, InvitationRow, MemberRow
from core.identity.users.service import normalise_email, to_e164
from core.notifications import api as notifications
from core.platform.clock import utcnow
from core.platform.context import RequestContext
from core.platform.countries import COUNTRIES
from core.platform.db import Database
from core.platform.ids import new_id
from core.platform.pagination import PageSlice, decode_cursor, slice_page
from core.platform.problems import ProblemError, keeping_effects
from core.platform.security import Principal
from core.policy.api import PolicyDecisionPoint, Subject, Target
from generated.asyncapi import events

INVITATION_TTL = timedelta(days=7)


def registration_key(number: str) -> str:
    return re.sub(r"[\s./-]", "", number).upper()



@dataclass(frozen=True)
class CompanyView:
    company: CompanyRow
    role: str | None  # the caller's role; None for an API key


@dataclass(frozen=True)
class MemberView:
    member: MemberRow
    display_name: str


@dataclass(frozen=True)
class InvitationView:
    invitation: InvitationRow
    company_name: str


class CompanyGate:
    """Membership and policy checks for one request."""

    def __init__(self, ctx: RequestContext, pdp: PolicyDecisionPoint) -> None:
        self.ctx = ctx
        self.pdp = pdp

    async def _refused(self, problem: ProblemError, action: str, target: str, reason: str,
                       **details: object) -> ProblemError:
        """`problem`, to raise, with the refusal audited in the request's unit of work, which the invoker
        commits with the answer (`keeping_effects`)."""
        await audit(self.ctx, f"identity.company.{action}", "DENIED", target=target, reason=reason, **details)
        return keeping_effects(problem)

    async def member(self, company_id: str, action: str, *, for_update: bool = False) -> MemberRow:
        """The caller's membership, or 404 (audited) for anybody else."""
        row = await CompanyRepository(self.ctx.session).member(company_id, self.ctx.principal.id,
                                                               for_update=for_update)
        if row is None:
            raise await self._refused(errors.company_not_found(company_id), action, company_id, "NOT_A_MEMBER")
        return row

    async def allow(self, company_id: str, action: str, target: Target | None = None) -> MemberRow:
        """The caller's membership if the policy allows `action` on `target` (the company by default)."""
        me = await self.member(company_id, action)
        await self.require(me, action, target)
        return me

    async def require(self, me: MemberRow, action: str, target: Target | None = None) -> None:
        target = target or Target("Company", me.company_id, me.company_id)
        subject = Subject(me.user_id, me.company_id, me.role, department=me.department_id or "", status=me.status)
        decision = await self.pdp.decide(subject, action, target)  # logged in its own transaction
        if not decision.allowed:
            raise await self._refused(errors.forbidden(action), action, f"{target.type}:{target.id}", "POLICY_DENIED",
                                      role=me.role, policy_version=decision.policy_version,
                                      decision_id=decision.decision_id)


class CompanyService:
    def __init__(self, ctx: RequestContext, pdp: PolicyDecisionPoint) -> None:
        self.ctx = ctx
        self.session = ctx.session
        self.gate = CompanyGate(ctx, pdp)
        self.repository = CompanyRepository(ctx.session)

    @property
    def me(self) -> str:
        return self.ctx.principal.id

    async def _audit(self, action: str, target: str, **details: object) -> None:
        await audit(self.ctx, f"identity.company.{action}", "SUCCESS", target=target, **details)

    async def _company(self, company_id: str, *, for_update: bool = False) -> CompanyRow:
        row = await self.repository.company(company_id, for_update=for_update)
        if row is None:
            raise errors.company_not_found(company_id)
        return row

    # --- companies ------------------------------------------------------------------------------
    async def create(self, legal_name: str, country: str, registration_number: str) -> CompanyView:
        if country not in COUNTRIES:
            raise errors.invalid_country()
        key = registration_key(registration_number)
        if await self.repository.registration_taken(country, key):
            raise errors.company_exists()
        now = utcnow()
        company = CompanyRow(id=new_id("cmp"), legal_name=legal_name, country=country,
                             registration_number=registration_number, registration_key=key, created_by=self.me,
                             created_at=now, updated_at=now)
        self.repository.add(company)
        try:
            await self.repository.flush()
        except IntegrityError:  # a concurrent registration of the same number won
            raise errors.company_exists() from None
        self.repository.add(MemberRow(id=new_id("mem"), company_id=company.id, user_id=self.me, role="OWNER",
                                   created_at=now, updated_at=now))
        await self.repository.flush()
        self.ctx.events.company_created(
            events.CompanyCreatedData(company_id=company.id, country=country, created_by=self.me),
            subject=company.id, partition_key=company.id)
        self.ctx.events.member_added(
            events.MemberAddedData(company_id=company.id, user_id=self.me, role=events.IdentityCompanyRole.OWNER),
            subject=company.id, partition_key=company.id)
        await self._audit("created", company.id, country=country)
        return CompanyView(company, "OWNER")

    async def mine(self, limit: int, cursor: str | None) -> PageSlice[CompanyView]:
        after = decode_cursor(cursor)
        found = await self.repository.companies_of(self.me, after_id=str(after[0]) if after is not None else None,
                                                   limit=limit + 1)
        rows = [CompanyView(company, role) for company, role in found]
        return slice_page(rows, limit, lambda v: [v.company.id])

    async def get(self, company_id: str) -> CompanyView:
        principal: Principal = self.ctx.principal
        if principal.kind == "API_KEY":  # the key's scope was checked by the authenticator
            if principal.company_id != company_id:
                raise errors.company_not_found(company_id)
            return CompanyView(await self._company(company_id), None)
        me = await self.gate.allow(company_id, "company.read")
        return CompanyView(await self._company(company_id), me.role)

    async def update(self, company_id: str, legal_name: str) -> CompanyView:
        me = await self.gate.allow(company_id, "company.update")
        company = await self._company(company_id, for_update=True)
        if company.legal_name != legal_name:
            before = company.legal_name
            company.legal_name = legal_name
            company.updated_at = utcnow()
            company.version += 1
            self.repository.add(company)
            await self.repository.flush()
            await self._audit("updated", company_id, legal_name_before=before, legal_name=legal_name)
        return CompanyView(company, me.role)

    # --- departments ----------------------------------------------------------------------------
    async def create_department(self, company_id: str, name: str) -> DepartmentRow:
        await self.gate.allow(company_id, "department.create")
        if await self.repository.department_taken(company_id, name):
            raise errors.department_exists()
        row = DepartmentRow(id=new_id("dep"), company_id=company_id, name=name, created_at=utcnow())
        self.repository.add(row)
        try:
            await self.repository.flush()
        except IntegrityError:
            raise errors.department_exists() from None
        await self._audit("department_created", row.id, company_id=company_id)
        return row

    async def departments(self, company_id: str) -> list[DepartmentRow]:
        await self.gate.allow(company_id, "department.list")
        return await self.repository.departments(company_id)

    async def _check_department(self, company_id: str, department_id: str | None) -> None:
        if department_id is None:
            return
        row = await self.repository.department(department_id)
        if row is None or row.company_id != company_id:
            raise errors.department_not_found()

    # --- invitations ----------------------------------------------------------------------------
    async def invite(self, company_id: str, *, email: str | None, phone: str | None, role: str,
                     department_id: str | None) -> InvitationView:
        me = await self.gate.allow(company_id, "member.invite")
        target = Target("Member", "invitee", company_id, department_id or "")
        if role == "OWNER":
            await self.gate.require(me, "member.manage_owner", target)
        if (email is None) == (phone is None):
            raise errors.invitee_ambiguous()
        await self._check_department(company_id, department_id)
        if email is not None:
            address = normalise_email(email)
            holder = await self.repository.user_by_address(email=address)
        else:
            address = to_e164(phone or "")
            holder = await self.repository.user_by_address(phone=address)
        # the answer never depends on whether the address is registered: an unknown (or not yet active)
        # address keeps the invitation for whoever registers and verifies it
        invitee = holder if holder is not None and holder.status == "ACTIVE" else None
        if invitee is not None and await self.repository.is_member(company_id, invitee.id):
            raise errors.already_member()  # only about this company's own members
        now = utcnow()
        if await self.repository.invitation_pending(company_id, address, now):
            raise errors.invitation_pending()
        company = await self._company(company_id)
        row = InvitationRow(id=new_id("inv"), company_id=company_id, invitee_user_id=invitee.id if invitee else None,
                            invitee_address=address, role=role, department_id=department_id, status="PENDING",
                            invited_by=self.me, created_at=now, expires_at=now + INVITATION_TTL)
        self.repository.add(row)
        if invitee is not None:
            await notifications.send(self.ctx, notifications.Message(
                user_id=invitee.id, channel="EMAIL", recipient=invitee.email,
                event_type="identity.company_invitation", locale=invitee.locale,
                params={"company": company.legal_name, "role": role.lower(), "days": INVITATION_TTL.days}))
        await self.repository.flush()
        await self._audit("member_invited", row.id, company_id=company_id,
                          invitee_user_id=invitee.id if invitee else None, role=role)
        return InvitationView(row, company.legal_name)

    async def _mine(self) -> ColumnElement[bool]:
        """Invitations the caller may see: made to them, or to an address of theirs they have verified."""
        me = await self.repository.user(self.me)
        addresses = []
        if me is not None and me.email_verified:
            addresses.append(me.email_normalised)
        if me is not None and me.phone_verified:
            addresses.append(me.phone)
        return self.repository.invitations_for(self.me, addresses)

    async def my_invitations(self) -> list[InvitationView]:
        found = await self.repository.pending_invitations(await self._mine(), utcnow())
        return [InvitationView(row, name) for row, name in found]

    async def _my_invitation(self, invitation_id: str) -> InvitationRow:
        row = await self.repository.invitation(invitation_id, await self._mine())
        if row is None:
            raise errors.invitation_not_found(invitation_id)
        if row.status != "PENDING":
            raise errors.invitation_not_pending(row.status)
        if row.expires_at <= utcnow():
            raise errors.invitation_not_pending("EXPIRED")
        row.invitee_user_id = self.me  # answered by the holder of the address: bound to them from now on
        return row

    async def accept(self, invitation_id: str) -> MemberView:
        invitation = await self._my_invitation(invitation_id)
        if await self.repository.is_member(invitation.company_id, self.me):
            raise errors.already_member()
        now = utcnow()
        invitation.status = "ACCEPTED"
        invitation.responded_at = now
        self.repository.add(invitation)
        member = MemberRow(id=new_id("mem"), company_id=invitation.company_id, user_id=self.me, role=invitation.role,
                           department_id=invitation.department_id, created_at=now, updated_at=now)
        self.repository.add(member)
        try:
            await self.repository.flush()
        except IntegrityError:
            raise errors.already_member() from None
        self.ctx.events.member_added(
            events.MemberAddedData(company_id=member.company_id, user_id=self.me,
                                   role=events.IdentityCompanyRole(member.role)),
            subject=member.company_id, partition_key=member.company_id)
        await self._audit("member_added", member.company_id, user_id=self.me, role=member.role,
                          invitation_id=invitation.id, invited_by=invitation.invited_by)
        return await self._member_view(member)

    async def decline(self, invitation_id: str) -> InvitationView:
        invitation = await self._my_invitation(invitation_id)
        invitation.status = "DECLINED"
        invitation.responded_at = utcnow()
        self.repository.add(invitation)
        await self.repository.flush()
        await self._audit("invitation_declined", invitation.id, company_id=invitation.company_id)
        company = await self._company(invitation.company_id)
        return InvitationView(invitation, company.legal_name)

    # --- members --------------------------------------------------------------------------------
    async def _member_view(self, member: MemberRow) -> MemberView:
        user = await self.repository.user(member.user_id)
        return MemberView(member, user.display_name if user else "")

    async def members(self, company_id: str, limit: int, cursor: str | None) -> PageSlice[MemberView]:
        await self.gate.allow(company_id, "member.list")
        after = decode_cursor(cursor)
        found = await self.repository.members(company_id, after_id=str(after[0]) if after is not None else None,
                                              limit=limit + 1)
        views = [MemberView(member, name) for member, name in found]
        return slice_page(views, limit, lambda v: [v.member.id])

    async def _target_member(self, company_id: str, user_id: str) -> MemberRow:
        row = await self.repository.member(company_id, user_id, for_update=True)
        if row is None:
            raise errors.member_not_found(user_id)
        return row

    async def _owners(self, company_id: str) -> int:
        return await self.repository.owners(company_id)

    async def update_member(self, company_id: str, user_id: str, *, role: str | None,
                            department_id: str | None) -> MemberView:
        me = await self.gate.allow(company_id, "member.change_role")
        await self._company(company_id, for_update=True)  # serialises owner changes of one company
        target = await self._target_member(company_id, user_id)
        as_target = Target("Member", user_id, company_id, target.department_id or "")
        if role is not None and role != target.role and "OWNER" in (role, target.role):
            await self.gate.require(me, "member.manage_owner", as_target)
            if target.role == "OWNER" and await self._owners(company_id) <= 1:
                raise errors.last_owner()
        await self._check_department(company_id, department_id)
        previous = target.role
        changed = False
        if role is not None and role != target.role:
            target.role = role
            changed = True
        if department_id is not None and department_id != target.department_id:
            target.department_id = department_id
            changed = True
        if changed:
            target.updated_at = utcnow()
            target.version += 1
            self.repository.add(target)
            await self.repository.flush()
            await self._audit("member_updated", company_id, user_id=user_id, role=target.role,
                              previous_role=previous, department_id=target.department_id)
        if target.role != previous:
            self.ctx.events.member_role_changed(
                events.MemberRoleChangedData(company_id=company_id, user_id=user_id,
                                             role=events.IdentityCompanyRole(target.role),
                                             previous_role=events.IdentityCompanyRole(previous), changed_by=self.me),
                subject=company_id, partition_key=company_id)
        return await self._member_view(target)

    async def remove_member(self, company_id: str, user_id: str) -> None:
        me = await self.gate.allow(company_id, "member.remove")
        await self._company(company_id, for_update=True)
        target = await self._target_member(company_id, user_id)
        if target.role == "OWNER":
            await self.gate.require(me, "member.manage_owner", Target("Member", user_id, company_id,
                                                                      target.department_id or ""))
            if await self._owners(company_id) <= 1:
                raise errors.last_owner()
        await self.repository.delete(target)
        await self.repository.flush()
        self.ctx.events.member_removed(
            events.MemberRemovedData(company_id=company_id, user_id=user_id, removed_by=self.me),
            subject=company_id, partition_key=company_id)
        await self._audit("member_removed", company_id, user_id=user_id, role=target.role)


class CompanyMembership:
    """The ledger's questions: may this principal read the accounts of this company, and as whom does
    it act there (the policy subject that decides whether it may move the company's money)? Asked
    on the request's unit of work; `readable` is the first question as SQL, for the ledger's one-query reads."""

    readable = staticmethod(reads_company_ledger)

    async def is_company_member(self, ctx: RequestContext, company_id: str) -> bool:
        principal = ctx.principal
        if principal.kind == "API_KEY":
            return principal.company_id == company_id and "ledger:read" in principal.scopes
        if principal.kind != "USER":
            return False
        return await CompanyRepository(ctx.session).member_status(company_id, principal.id) == "ACTIVE"

    async def subject(self, ctx: RequestContext, company_id: str) -> Subject | None:
        """The ACTIVE member the caller is in this company, as a policy subject; None for anybody else."""
        if ctx.principal.kind != "USER":
            return None
        me = await CompanyRepository(ctx.session).member(company_id, ctx.principal.id)
        if me is None or me.status != "ACTIVE":
            return None
        return Subject(me.user_id, me.company_id, me.role, department=me.department_id or "", status=me.status)
