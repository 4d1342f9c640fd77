from __future__ import annotations

from datetime import datetime

from core.identity.api import CompanyPolicy, authorize_company
from core.ledger.api import (
    Account,
    Entry,
    HistoryFilter,
    Hold,
    Ledger,
    LedgerAccess,
    Transaction,
    asset_mismatch,
    hold_not_found,
)
from core.platform.api import (
    FieldProblem,
    PageSlice,
    ProblemError,
    RequestContext,
    format_amount,
    new_id,
    validation_failed,
)
from core.policy.api import PolicyDecisionPoint
from core.wallets import api as wallets
from generated.openapi import models
from generated.openapi.routes import LedgerHandlers, Reply


def instant(value: str | None, field: str) -> datetime | None:
    """RFC 3339 with an offset; anything else is a validation problem."""
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise validation_failed([FieldProblem(f"query.{field}", "INVALID_DATE_TIME",
                                              "Give an RFC 3339 date-time with a UTC offset.")])
    return parsed


def money(amount: int, asset: str, scale: int) -> models.Money:
    return models.Money(amount=models.DecimalAmount(format_amount(amount, scale)), asset=models.AssetCode(asset))


def signed_money(amount: int, asset: str, scale: int) -> models.SignedMoney:
    """A balance: the Money shape, the amount may be negative."""
    return models.SignedMoney(amount=models.SignedDecimalAmount(format_amount(amount, scale)),
                              asset=models.AssetCode(asset))


def balance_model(a: Account) -> models.LedgerBalance:
    return models.LedgerBalance(
        account_id=a.id, posted=signed_money(a.posted, a.asset, a.scale), pending=money(a.pending, a.asset, a.scale),
        available=signed_money(a.available, a.asset, a.scale), version=a.version)


def account_model(a: Account) -> models.LedgerAccount:
    extra = {}
    if a.rail:
        extra["rail"] = a.rail
    if a.label:
        extra["label"] = a.label
    if a.credit_limit is not None:
        extra["credit_limit"] = money(a.credit_limit, a.asset, a.scale)
    if a.max_balance is not None:
        extra["max_balance"] = money(a.max_balance, a.asset, a.scale)
    return models.LedgerAccount(
        id=a.id, owner_type=models.LedgerOwnerType(a.owner_type), owner_id=a.owner_id,
        type=models.LedgerAccountType(a.type), asset=models.AssetCode(a.asset), status=models.LedgerAccountStatus(a.status),
        freeze=models.LedgerFreeze(a.freeze), balance=balance_model(a), created_at=a.created_at, updated_at=a.updated_at,
        version=a.version, **extra)


def entry_model(e: Entry, scale: int) -> models.LedgerEntry:
    extra = {"counterparty_account_id": e.counterparty_id} if e.counterparty_id else {}
    return models.LedgerEntry(
        transaction_id=e.transaction_id, account_id=e.account_id, direction=models.LedgerDirection(e.direction),
        amount=money(abs(e.amount), e.asset, scale), balance_after=signed_money(e.balance_after, e.asset, scale),
        account_version=e.account_version, type=e.type, posted_at=e.posted_at, **extra)


def hold_model(h: Hold) -> models.LedgerHold:
    extra: dict[str, object] = {}
    if h.chain_id:
        extra["chain_id"] = h.chain_id
    if h.transaction_id:
        extra["transaction_id"] = h.transaction_id
    if h.resolved_at:
        extra["resolved_at"] = h.resolved_at
    return models.LedgerHold(
        id=h.id, account_id=h.account_id, destination_account_id=h.destination_id,
        amount=money(h.amount, h.asset, h.scale), posted_amount=money(h.posted_amount, h.asset, h.scale),
        status=models.LedgerHoldStatus(h.status), expires_at=h.expires_at, created_at=h.created_at, **extra)


def account_page(page: PageSlice[Account]) -> models.LedgerAccountPage:
    result = models.LedgerAccountPage(has_more=page.has_more, data=[account_model(a) for a in page.items])
    if page.next_cursor:
        result.next_cursor = page.next_cursor
    return result


class LedgerHandler(LedgerHandlers):
    def __init__(self, ledger: Ledger, access: LedgerAccess | None = None, *, wallet_book: wallets.WalletBook | None = None,
                 companies: CompanyPolicy | None = None) -> None:
        """`wallet_book`: the wallets' ledger and default assets; `companies`: who may open a company's wallet."""
        self.ledger = ledger
        self.access = access or LedgerAccess()
        self.wallet_book = wallet_book or wallets.WalletBook(ledger, wallets.default_wallet_assets(None))
        self.companies = companies or CompanyPolicy(PolicyDecisionPoint(ledger.db))

    async def _readable(self, ctx: RequestContext, account_id: str) -> Account:
        """The account, read and authorized in one query; ACCOUNT_NOT_FOUND alike for missing and not yours."""
        return await self.ledger.readable_account(ctx, account_id, self.access)

    async def list_ledger_accounts(self, ctx: RequestContext, *, limit: int, cursor: str | None, asset: str | None,
                                   company_id: str | None) -> models.LedgerAccountPage:
        owner_type, owner_id = ("COMPANY", company_id) if company_id else ("PERSON", ctx.principal.id)
        if not await self.access.can_read_owner(ctx, owner_type, owner_id):
            return models.LedgerAccountPage(has_more=False, data=[])  # nothing visible, nothing revealed
        page = await self.ledger.accounts_of(ctx, owner_type, owner_id, limit=limit, cursor=cursor, asset=asset)
        result = models.LedgerAccountPage(has_more=page.has_more, data=[account_model(a) for a in page.items])
        if page.next_cursor:
            result.next_cursor = page.next_cursor
        return result

    async def get_ledger_account(self, ctx: RequestContext, *, account_id: str) -> models.LedgerAccount:
        return account_model(await self._readable(ctx, account_id))

    async def get_ledger_balance(self, ctx: RequestContext, *, account_id: str, as_of: str | None) -> models.LedgerBalance:
        account = await self._readable(ctx, account_id)
        when = instant(as_of, "as_of")
        if when is None:
            return balance_model(account)
        b = await self.ledger.balance_of(ctx, account, as_of=when)
        return models.LedgerBalance(
            account_id=b.account_id, posted=signed_money(b.posted, b.asset, b.scale),
            pending=money(b.pending, b.asset, b.scale), available=signed_money(b.available, b.asset, b.scale),
            version=b.version, as_of=b.as_of)

    async def list_ledger_entries(self, ctx: RequestContext, *, account_id: str, limit: int, cursor: str | None,
                                  start: str | None, end: str | None, direction: models.LedgerDirection | None,
                                  counterparty_account_id: str | None, type: str | None) -> models.LedgerEntryPage:
        account = await self._readable(ctx, account_id)
        filters = HistoryFilter(start=instant(start, "start"), end=instant(end, "end"),
                                direction=direction.value if direction else None,
                                counterparty_id=counterparty_account_id, type=type)
        page = await self.ledger.history(ctx, account_id, limit=limit, cursor=cursor, filters=filters)
        result = models.LedgerEntryPage(has_more=page.has_more, data=[entry_model(e, account.scale) for e in page.items])
        if page.next_cursor:
            result.next_cursor = page.next_cursor
        return result

    async def get_ledger_statement(self, ctx: RequestContext, *, start: str, end: str, account_id: str, limit: int,
                                   cursor: str | None) -> models.LedgerStatement:
        account = await self._readable(ctx, account_id)
        begin, finish = instant(start, "start"), instant(end, "end")
        assert begin is not None and finish is not None
        s = await self.ledger.statement_of(ctx, account, begin, finish, limit=limit, cursor=cursor)
        result = models.LedgerStatement(
            account_id=s.account_id, start=s.start, end=s.end,
            opening_balance=signed_money(s.opening_balance, s.asset, s.scale),
            closing_balance=signed_money(s.closing_balance, s.asset, s.scale),
            total_debits=money(s.total_debits, s.asset, s.scale),
            total_credits=money(s.total_credits, s.asset, s.scale),
            entries=[entry_model(e, account.scale) for e in s.entries], has_more=s.has_more)
        if s.next_cursor:
            result.next_cursor = s.next_cursor
        return result

    async def list_ledger_holds(self, ctx: RequestContext, *, account_id: str, limit: int, cursor: str | None,
                                status: models.LedgerHoldStatus | None) -> models.LedgerHoldPage:
        await self._readable(ctx, account_id)
        page = await self.ledger.holds_of(ctx, account_id, limit=limit, cursor=cursor,
                                          status=status.value if status else None)
        result = models.LedgerHoldPage(has_more=page.has_more, data=[hold_model(h) for h in page.items])
        if page.next_cursor:
            result.next_cursor = page.next_cursor
        return result

    async def get_ledger_hold(self, ctx: RequestContext, *, hold_id: str) -> models.LedgerHold:
        try:
            hold = await self.ledger.get_hold(ctx, hold_id)
            for side in (hold.account_id, hold.destination_id):
                try:
                    await self._readable(ctx, side)
                    return hold_model(hold)
                except ProblemError:
                    continue
        except ProblemError:
            pass
        raise hold_not_found(hold_id)

    async def create_sandbox_top_up(self, ctx: RequestContext, *, body: models.SandboxTopUpCreate) -> Reply:
        account = await self._readable(ctx, body.account_id.root)
        await self.ledger.scale_of(body.amount.asset.root)  # an unknown asset is ASSET_NOT_FOUND
        if body.amount.asset.root != account.asset:
            raise asset_mismatch(account.id, body.amount.asset.root)
        amount = await self.ledger.parse(body.amount.amount.root, account.asset, field="body.amount.amount")
        await self.access.authorize_movement(ctx, account, "CREDIT", amount)  # 403 for a viewer
        # The generated metadata values are a plain `str` alias (TypeAliasType), not a RootModel: no `.root`.
        metadata = dict(body.metadata) if isinstance(body.metadata, dict) else None
        txn = await self.ledger.top_up(ctx, new_id("top"), account.id, amount, metadata=metadata,
                                       field="body.amount.amount")
        return Reply(transaction_model(txn, account.scale))


    # --- wallets (ledger accounts of type CUSTOMER_WALLET, opened through core/wallets) -------------
    async def list_wallets(self, ctx: RequestContext, *, limit: int, cursor: str | None) -> models.LedgerAccountPage:
        return account_page(await wallets.my_wallets(ctx, self.wallet_book, limit=limit, cursor=cursor))

    async def open_wallet(self, ctx: RequestContext, *, body: models.WalletOpening) -> Reply:
        account = await wallets.open_my_wallet(ctx, self.wallet_book, body.asset.root)
        return Reply(account_model(account), headers={"Location": f"/v1/ledger/accounts/{account.id}"})

    async def list_company_wallets(self, ctx: RequestContext, *, company_id: str, limit: int,
                                   cursor: str | None) -> models.LedgerAccountPage:
        await authorize_company(ctx, self.companies, company_id, "company.read")
        return account_page(await wallets.company_wallets(ctx, self.wallet_book, company_id, limit=limit, cursor=cursor))

    async def open_company_wallet(self, ctx: RequestContext, *, company_id: str, body: models.WalletOpening) -> Reply:
        # asked before anything is written: the decision is logged in a transaction of its own
        await authorize_company(ctx, self.companies, company_id, "wallet.open")
        account = await wallets.open_company_wallet(ctx, self.wallet_book, company_id, body.asset.root)
        return Reply(account_model(account), headers={"Location": f"/v1/ledger/accounts/{account.id}"})


def transaction_model(t: Transaction, scale: int) -> models.LedgerTransaction:
    extra: dict[str, object] = {}
    if t.external_reference:
        extra["external_reference"] = t.external_reference
    if t.reverses_id:
        extra["reverses_transaction_id"] = t.reverses_id
    if t.metadata:
        extra["metadata"] = t.metadata
    return models.LedgerTransaction(id=t.id, type=t.type, posted_at=t.posted_at,
                                    entries=[entry_model(e, scale) for e in t.entries], **extra)
