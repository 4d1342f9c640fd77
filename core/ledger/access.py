"""Who may read which ledger accounts (no BOLA), and who may move money into or out of them.

Company membership belongs to identity; it plugs in as `company_member` (a member of any role, or a
company API key with `ledger:read`), as `company_readable` (the same rule as SQL, so that reading an
account and checking who may read it is one query: `Ledger.readable_account`) and `company_subject`
(the member as a policy subject). Without them, company accounts are visible to no one. A refusal to
read looks exactly like a missing account. Every question is asked on the request's unit of work.

Moving money is decided by the policy decision point (Cedar, `core/policy/policies`), which logs every
decision: `authorize_movement` is the one question every money-moving operation asks.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Literal

from core.platform.context import RequestContext
from core.platform.security import Principal
from core.policy.api import PolicyDecisionPoint, Subject, Target

from . import errors
from .models import Account

CompanyMembership = Callable[[RequestContext, str], Awaitable[bool]]
CompanySubject = Callable[[RequestContext, str], Awaitable[Subject | None]]  # the ACTIVE member, or None
# (principal, the company id column of a query) -> SQL condition: may it read that company's accounts?
CompanyReadable = Callable[[Principal, Any], Any]
Direction = Literal["CREDIT", "DEBIT"]  # money into / out of the account


class LedgerAccess:
    def __init__(self, company_member: CompanyMembership | None = None, *,
                 company_subject: CompanySubject | None = None, company_readable: CompanyReadable | None = None,
                 pdp: PolicyDecisionPoint | None = None) -> None:
        self.company_member = company_member
        self.company_subject = company_subject
        self.company_readable = company_readable
        self.pdp = pdp

    async def can_read_owner(self, ctx: RequestContext, owner_type: str, owner_id: str) -> bool:
        principal = ctx.principal
        if principal.kind == "OPERATOR":
            return True
        if principal.kind not in ("USER", "API_KEY"):
            return False
        if owner_type == "PERSON":
            return principal.kind == "USER" and owner_id == principal.id
        if owner_type == "COMPANY" and self.company_member is not None:
            return await self.company_member(ctx, owner_id)
        return False

    async def can_read(self, ctx: RequestContext, account: Account) -> bool:
        return await self.can_read_owner(ctx, account.owner_type, account.owner_id)

    async def authorize_movement(self, ctx: RequestContext, account: Account, direction: Direction,
                                 amount_minor: int) -> None:
        """May `principal` move `amount_minor` into (CREDIT) or out of (DEBIT) `account`? Returns if so.

        404 `ACCOUNT_NOT_FOUND` for whoever cannot read the account (nothing revealed), 403 `FORBIDDEN`
        for whoever can read it but may not move its money. Call it before the operation writes anything:
        the decision is logged in its own transaction, and on SQLite that must not wait for our own lock."""
        if not await self.can_read(ctx, account):
            raise errors.account_not_found(account.id)
        principal = ctx.principal
        if principal.kind == "OPERATOR":
            return  # the platform operator key acts as the platform itself, not as a member or an owner
        subject: Subject | None = None
        if principal.kind == "USER" and account.owner_type == "PERSON":
            subject = Subject.person(principal.id)
            target = Target("Account", account.id, "", owner=account.owner_id)
        elif principal.kind == "USER" and account.owner_type == "COMPANY" and self.company_subject is not None:
            subject = await self.company_subject(ctx, account.owner_id)
            target = Target("Account", account.id, account.owner_id)
        # Company API keys are not policy subjects (ADR 0010): no key scope moves money by itself.
        if subject is None or self.pdp is None:
            raise errors.money_movement_forbidden(account.id)
        action = "money.credit" if direction == "CREDIT" else "money.debit"
        decision = await self.pdp.decide(subject, action, target, amount_minor=amount_minor)
        if not decision.allowed:
            raise errors.money_movement_forbidden(account.id)
