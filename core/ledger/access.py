"""Who may read which ledger accounts (no BOLA): owners, and members of an owning company.

Company membership belongs to identity; it plugs in as `company_member` (a member of any role, or a
company API key with `ledger:read`). Without it, company accounts are visible to no one. A refusal
looks exactly like a missing account.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from core.platform.security import Principal

from .models import Account

CompanyMembership = Callable[[Principal, str], Awaitable[bool]]


class LedgerAccess:
    def __init__(self, company_member: CompanyMembership | None = None) -> None:
        self.company_member = company_member

    async def can_read_owner(self, principal: Principal, owner_type: str, owner_id: str) -> bool:
        if principal.kind == "OPERATOR":
            return True
        if principal.kind not in ("USER", "API_KEY"):
            return False
        if owner_type == "PERSON":
            return principal.kind == "USER" and owner_id == principal.id
        if owner_type == "COMPANY" and self.company_member is not None:
            return await self.company_member(principal, owner_id)
        return False

    async def can_read(self, principal: Principal, account: Account) -> bool:
        return await self.can_read_owner(principal, account.owner_type, account.owner_id)
