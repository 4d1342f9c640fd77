"""All queries of companies: companies, departments, members, invitations and company API keys."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, exists, false, func, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.identity.companies.tables import CompanyApiKeyRow, CompanyRow, DepartmentRow, InvitationRow, MemberRow
from core.identity.users.tables import UserRow
from core.platform.security import Principal


def reads_company_ledger(principal: Principal, company_id: ColumnElement[str]) -> ColumnElement[bool]:
    """SQL for "may `principal` read the ledger of company `company_id`" (a column of the caller's
    query): an ACTIVE member of any role, or a company API key with `ledger:read`."""
    if principal.kind == "API_KEY":
        if principal.company_id and "ledger:read" in principal.scopes:
            return company_id == principal.company_id
        return false()
    if principal.kind != "USER":
        return false()
    return exists().where(MemberRow.company_id == company_id, MemberRow.user_id == principal.id,
                          MemberRow.status == "ACTIVE")


class CompanyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # --- companies and departments
    async def company(self, company_id: str, *, for_update: bool = False) -> CompanyRow | None:
        query = select(CompanyRow).where(CompanyRow.id == company_id)
        return (await self.session.execute(query.with_for_update() if for_update else query)).scalars().first()

    async def registration_taken(self, country: str, key: str) -> bool:
        taken = select(CompanyRow.id).where(CompanyRow.country == country, CompanyRow.registration_key == key)
        return (await self.session.execute(taken)).first() is not None

    async def companies_of(self, user_id: str, *, after_id: str | None, limit: int) -> list[tuple[CompanyRow, str]]:
        query = (select(CompanyRow, MemberRow.role).join(MemberRow, MemberRow.company_id == CompanyRow.id)
                 .where(MemberRow.user_id == user_id).order_by(CompanyRow.id).limit(limit))
        if after_id is not None:
            query = query.where(CompanyRow.id > after_id)
        return [(company, role) for company, role in (await self.session.execute(query)).all()]

    async def department_taken(self, company_id: str, name: str) -> bool:
        taken = select(DepartmentRow.id).where(DepartmentRow.company_id == company_id, DepartmentRow.name == name)
        return (await self.session.execute(taken)).first() is not None

    async def departments(self, company_id: str) -> list[DepartmentRow]:
        query = select(DepartmentRow).where(DepartmentRow.company_id == company_id).order_by(DepartmentRow.id)
        return list((await self.session.execute(query)).scalars())

    async def department(self, department_id: str) -> DepartmentRow | None:
        return await self.session.get(DepartmentRow, department_id)

    # --- members
    async def member(self, company_id: str, user_id: str, *, for_update: bool = False) -> MemberRow | None:
        query = select(MemberRow).where(MemberRow.company_id == company_id, MemberRow.user_id == user_id)
        return (await self.session.execute(query.with_for_update() if for_update else query)).scalars().first()

    async def is_member(self, company_id: str, user_id: str) -> bool:
        query = select(MemberRow.id).where(MemberRow.company_id == company_id, MemberRow.user_id == user_id)
        return (await self.session.execute(query)).first() is not None

    async def member_status(self, company_id: str, user_id: str) -> str | None:
        query = select(MemberRow.status).where(MemberRow.company_id == company_id, MemberRow.user_id == user_id)
        return (await self.session.execute(query)).scalar_one_or_none()

    async def members(self, company_id: str, *, after_id: str | None, limit: int) -> list[tuple[MemberRow, str]]:
        query = (select(MemberRow, UserRow.display_name).join(UserRow, UserRow.id == MemberRow.user_id)
                 .where(MemberRow.company_id == company_id).order_by(MemberRow.id).limit(limit))
        if after_id is not None:
            query = query.where(MemberRow.id > after_id)
        return [(member, name) for member, name in (await self.session.execute(query)).all()]

    async def owners(self, company_id: str) -> int:
        query = select(func.count()).select_from(MemberRow).where(MemberRow.company_id == company_id,
                                                                   MemberRow.role == "OWNER")
        return int((await self.session.execute(query)).scalar_one())

    async def user(self, user_id: str) -> UserRow | None:
        return await self.session.get(UserRow, user_id)

    async def user_by_address(self, *, email: str | None = None, phone: str | None = None) -> UserRow | None:
        query = select(UserRow).where(UserRow.email_normalised == email if email is not None else UserRow.phone == phone)
        return (await self.session.execute(query)).scalars().first()

    # --- invitations
    async def invitation_pending(self, company_id: str, address: str, now: datetime) -> bool:
        pending = select(InvitationRow.id).where(
            InvitationRow.company_id == company_id, InvitationRow.invitee_address == address,
            InvitationRow.status == "PENDING", InvitationRow.expires_at > now)
        return (await self.session.execute(pending)).first() is not None

    @staticmethod
    def invitations_for(user_id: str, addresses: list[str]) -> ColumnElement[bool]:
        """Invitations made to the user, or unbound ones to one of `addresses`."""
        unbound = and_(InvitationRow.invitee_user_id.is_(None), InvitationRow.invitee_address.in_(addresses))
        return or_(InvitationRow.invitee_user_id == user_id, unbound)

    async def pending_invitations(self, mine: ColumnElement[bool], now: datetime) -> list[tuple[InvitationRow, str]]:
        query = (select(InvitationRow, CompanyRow.legal_name).join(CompanyRow, CompanyRow.id == InvitationRow.company_id)
                 .where(mine, InvitationRow.status == "PENDING", InvitationRow.expires_at > now)
                 .order_by(InvitationRow.id.desc()))
        return [(row, name) for row, name in (await self.session.execute(query)).all()]

    async def invitation(self, invitation_id: str, mine: ColumnElement[bool]) -> InvitationRow | None:
        query = select(InvitationRow).where(InvitationRow.id == invitation_id, mine).with_for_update()
        return (await self.session.execute(query)).scalars().first()

    # --- company API keys
    async def api_keys(self, company_id: str) -> list[CompanyApiKeyRow]:
        query = select(CompanyApiKeyRow).where(CompanyApiKeyRow.company_id == company_id).order_by(
            CompanyApiKeyRow.id.desc())
        return list((await self.session.execute(query)).scalars())

    async def api_key(self, api_key_id: str, *, for_update: bool = False) -> CompanyApiKeyRow | None:
        query = select(CompanyApiKeyRow).where(CompanyApiKeyRow.id == api_key_id)
        return (await self.session.execute(query.with_for_update() if for_update else query)).scalars().first()

    # --- writes
    def add(self, row: object) -> None:
        self.session.add(row)

    async def flush(self) -> None:
        await self.session.flush()

    async def delete(self, row: object) -> None:
        await self.session.delete(row)
