"""The ledger's public facade for other core services, the gRPC server, REST handlers and tests.

Every method that touches the database takes the request context first (ADR 0021). Given one, it
runs on the request's unit of work (`ctx.session`): a write's rows and events commit or roll back
with the caller's transaction, which the caller's invoker commits; nothing here retries it. Given
`None` (background jobs, the gRPC service, benches, tests of the engine), a write runs in a unit of
work of the ledger's own, retried on conflict (core/ledger/unit_of_work.py), and single transactions
posted concurrently share units of work (core/ledger/group_commit.py). Either way a write carries a
client id: the same id with the same content gives back the first result.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from core.assets.api import sandbox_top_up_max
from core.platform.clock import as_utc
from core.platform.context import RequestContext
from core.platform.db import Database
from core.platform.ids import new_id
from core.platform.money import format_amount, parse_amount
from core.platform.pagination import PageSlice, decode_cursor, encode_cursor
from core.platform.problems import ProblemError, bad_request

from . import errors
from .access import LedgerAccess
from .errors import account_not_found, asset_mismatch, hold_not_found
from .group_commit import GroupCommit
from .models import (
    FREEZE_MODES,
    SYSTEM_OWNER,
    Account,
    Balance,
    Entry,
    HistoryFilter,
    Hold,
    HoldSpec,
    NewAccount,
    Posting,
    Statement,
    Transaction,
    TransactionSpec,
    content_hash,
    transfer,
)
from .prediction import AccountStates
from .service import LedgerService, check_new_account, entry_view, hold_view, transaction_view
from .unit_of_work import Item, LedgerUnits, Work

WRITE_AHEAD = 100  # a large batch sends its journal rows every this many transactions (PostgreSQL)


def _session(ctx: RequestContext | None) -> AsyncSession | None:
    return ctx.session if ctx is not None else None


class Ledger:
    """Facade over one database. `sandbox` allows top-ups; `fault` lets tests crash a unit of work."""

    def __init__(self, db: Database, *, sandbox: bool = True, concurrency: str = "row-locks",
                 group_commit: bool = True, predict: bool = True) -> None:
        """`concurrency`: "row-locks" (accounts locked in id order; the choice of ADR 0005) or
        "serializable" (SERIALIZABLE transactions retried on conflict; kept for measurement).
        `predict`: units of the transaction path may compute on the rows the previous unit of the
        process left, written only if the locked rows are those (core/ledger/prediction.py)."""
        if concurrency not in ("row-locks", "serializable"):
            raise ValueError(concurrency)
        self.db = db
        self.sandbox = sandbox
        self.group_commit = group_commit
        self.units = LedgerUnits(db, serializable=concurrency == "serializable" and db.dialect == "postgresql",
                                 predict=predict)
        self._group = GroupCommit(lambda specs: self.post_transactions(None, specs, linked=False),
                                  self.units.hold_connection)

    @property
    def fault(self) -> Callable[[str], None] | None:
        return self.units.fault

    @fault.setter
    def fault(self, fault: Callable[[str], None] | None) -> None:
        self.units.fault = fault

    @property
    def on_commit(self) -> Callable[[], None] | None:
        """Called after every unit of work of the ledger's own that committed (wakes the outbox relay)."""
        return self.units.on_commit

    @on_commit.setter
    def on_commit(self, on_commit: Callable[[], None] | None) -> None:
        self.units.on_commit = on_commit

    def states(self) -> AccountStates:
        """The account rows this facade's units of work left (core/ledger/prediction.py)."""
        return self.units.states()

    async def scales(self) -> dict[str, int]:
        return await self.units.scales()

    async def scale_of(self, asset: str) -> int:
        return await self.units.scale_of(asset)

    async def parse(self, text: str, asset: str, *, field: str = "amount") -> int:
        """A decimal string at exactly the asset's scale, as minor units (clear problems otherwise)."""
        return parse_amount(text, await self.scale_of(asset), field=field)

    async def _once(self, ctx: RequestContext | None, items: Sequence[Item], work: Work, *, linked: bool,
                    transaction_path: bool = False) -> list[Any]:
        """Run a write once per client id: inside a request, on its unit of work (no commit, no retry);
        without one, in the ledger's own units (retried; the transaction path on the driver's
        connection, computing on predicted rows where it may)."""
        if ctx is not None:
            return await self.units.once_within(ctx, items, work, linked=linked)
        return await self.units.once(items, work, linked=linked, driver=transaction_path, predict=transaction_path)

    # --- accounts -------------------------------------------------------------------------
    async def open_account(self, ctx: RequestContext | None, new: NewAccount) -> Account:
        allow_negative = check_new_account(new)
        await self.scale_of(new.asset)
        item = Item(new.client_id, "open_account", content_hash("open_account", new.content()))
        try:
            [result] = await self._once(ctx, [item], lambda service, _: service.open_account(new, allow_negative),
                                        linked=True)
        except IntegrityError:
            if ctx is None:
                raise
            # Inside a request, a concurrent opening of the same account won the unique key: the request's
            # unit rolls back and its caller hears why (its own unit of work retries and replays instead).
            raise errors.account_exists(f"{new.owner_type} {new.owner_id} already has a {new.type} account "
                                        f"in {new.asset}.") from None
        return await self.get_account(ctx, result["account_id"])

    async def system_account(self, ctx: RequestContext | None, type_: str, asset: str, rail: str = "") -> Account:
        """The system account of a type (per rail for settlement), read on the caller's unit of work and
        opened on first use in a unit of work of its own, even inside a request: it is the ledger's
        reference data, there whether or not the caller's unit commits, and that unit settles a race
        between two first uses (ADR 0021)."""
        async with self.units.reading(_session(ctx)) as repo:
            row = await repo.find_account("SYSTEM", SYSTEM_OWNER, type_, asset, rail)
        if row is not None:
            return await self._account(row)
        try:
            return await self.open_account(None, NewAccount(f"system:{type_}:{asset}:{rail}", "SYSTEM", SYSTEM_OWNER,
                                                            asset, type_, rail))
        except ProblemError as problem:
            if problem.code != "ACCOUNT_ALREADY_EXISTS":
                raise
            return await self.system_account(None, type_, asset, rail)

    async def _account(self, row: dict[str, Any]) -> Account:
        return Account(id=row["id"], owner_type=row["owner_type"], owner_id=row["owner_id"], type=row["type"],
                       rail=row["rail"], asset=row["asset"], scale=await self.scale_of(row["asset"]),
                       status=row["status"], freeze=row["freeze"], allow_negative=row["allow_negative"],
                       credit_limit=row["credit_limit"], max_balance=row["max_balance"], posted=row["posted"],
                       pending=row["pending_debits"], pending_credits=row["pending_credits"], version=row["version"],
                       label=row["label"], created_at=as_utc(row["created_at"]), updated_at=as_utc(row["updated_at"]))

    async def get_account(self, ctx: RequestContext | None, account_id: str) -> Account:
        async with self.units.reading(_session(ctx)) as repo:
            row = await repo.account(account_id)
        if row is None:
            raise errors.account_not_found(account_id)
        return await self._account(row)

    async def readable_account(self, ctx: RequestContext, account_id: str, access: LedgerAccess) -> Account:
        """The account if the request's principal may read it (`access`), else ACCOUNT_NOT_FOUND, as
        for an account that does not exist: one query on the request's unit of work."""
        async with self.units.reading(ctx.session) as repo:
            row = await repo.readable_account(account_id, ctx.principal, access.company_readable)
        if row is None:
            raise errors.account_not_found(account_id)
        return await self._account(row)

    async def accounts_of(self, ctx: RequestContext | None, owner_type: str, owner_id: str, *, limit: int = 20,
                          cursor: str | None = None, asset: str | None = None) -> PageSlice[Account]:
        after = decode_cursor(cursor)
        async with self.units.reading(_session(ctx)) as repo:
            rows = await repo.accounts_of(owner_type, owner_id, after=str(after[0]) if after else None,
                                          limit=limit + 1, asset=asset)
        items = [await self._account(r) for r in rows[:limit]]
        more = len(rows) > limit
        return PageSlice(items, more, encode_cursor([items[-1].id]) if more else None)

    async def _account_change(self, ctx: RequestContext | None, client_id: str, kind: str, account_id: str,
                              change: Callable[[LedgerService], Any], content: dict[str, Any]) -> Account:
        item = Item(client_id, kind, content_hash(kind, {"account_id": account_id, **content}))
        await self._once(ctx, [item], lambda service, _: service.change_account(account_id, change), linked=True)
        return await self.get_account(ctx, account_id)

    async def freeze(self, ctx: RequestContext | None, client_id: str, account_id: str, mode: str) -> Account:
        """Block debits, credits or both (`NONE` lifts the freeze)."""
        if mode not in FREEZE_MODES:
            raise errors.invalid("FREEZE_MODE_INVALID", f"mode must be one of {', '.join(FREEZE_MODES)}.")
        return await self._account_change(ctx, client_id, "freeze", account_id,
                                          lambda s: s.set_freeze(account_id, mode), {"mode": mode})

    async def close(self, ctx: RequestContext | None, client_id: str, account_id: str) -> Account:
        return await self._account_change(ctx, client_id, "close", account_id, lambda s: s.close(account_id), {})

    # --- transactions ---------------------------------------------------------------------
    async def post_transactions(self, ctx: RequestContext | None, specs: Sequence[TransactionSpec], *,
                                linked: bool = True) -> list[Transaction | ProblemError]:
        """Apply transactions in one unit of work. Linked: all or none (raises). Otherwise each
        stands alone and a refused one comes back as its ProblemError."""
        if len({s.client_id for s in specs}) != len(specs):
            raise errors.invalid("DUPLICATE_CLIENT_ID", "Each transaction of a batch needs its own client id.")
        items = [Item(s.client_id, "transaction", content_hash("transaction", s.content())) for s in specs]
        built: dict[int, Transaction] = {}

        async def work(service: LedgerService, fresh: list[int]) -> dict[int, Any]:
            return await service.post_batch(specs, fresh, linked=linked, built=built, write_ahead=WRITE_AHEAD)

        outcomes = await self._once(ctx, items, work, linked=linked, transaction_path=True)
        # Only what this call committed is taken from memory (an attempt may have lost a race and been replayed).
        mine = {i for i, o in enumerate(outcomes) if isinstance(o, dict) and i in built
                and built[i].id == o["transaction_id"]}
        replayed = [o["transaction_id"] for i, o in enumerate(outcomes) if isinstance(o, dict) and i not in mine]
        loaded = {t.id: t for t in await self.transactions(ctx, replayed)}
        return [built[i] if i in mine else (o if isinstance(o, ProblemError) else loaded[o["transaction_id"]])
                for i, o in enumerate(outcomes)]

    async def post_transaction(self, ctx: RequestContext | None, spec: TransactionSpec) -> Transaction:
        """One transaction, all or nothing. Without a request context and with group commit,
        transactions posted concurrently share a unit of work (each still applied or refused on its
        own): one lock statement, one write and one commit for many callers."""
        if ctx is not None or not self.group_commit:
            return await self._post_one(ctx, spec)
        return await self._group.submit(spec)

    async def _post_one(self, ctx: RequestContext | None, spec: TransactionSpec) -> Transaction:
        [result] = await self.post_transactions(ctx, [spec])
        assert isinstance(result, Transaction)
        return result

    async def transfer(self, ctx: RequestContext | None, client_id: str, source: str, destination: str, amount: int,
                       **extra: Any) -> Transaction:
        return await self.post_transaction(ctx, transfer(client_id, source, destination, amount, **extra))

    async def reverse(self, ctx: RequestContext | None, client_id: str, transaction_id: str, *,
                      metadata: dict[str, str] | None = None) -> Transaction:
        """The correction of a posted transaction: its postings negated, pointing at it."""
        return await self.post_transaction(ctx, TransactionSpec(client_id, (), "REVERSAL", metadata or {},
                                                                reverses_id=transaction_id))

    @staticmethod
    def _within_top_up_ceiling(account: Account, amount: int, field: str) -> None:
        """At most the asset's ceiling per sandbox top-up (the registry's `sandbox_top_up_max`)."""
        ceiling = sandbox_top_up_max(account.asset, account.scale)
        if amount > ceiling:
            raise errors.top_up_limit_exceeded(account.asset, format_amount(ceiling, account.scale), field)

    async def top_up(self, ctx: RequestContext | None, client_id: str, account_id: str, amount: int, *,
                     metadata: dict[str, str] | None = None, field: str = "amount") -> Transaction:
        """Sandbox only: credit a wallet from the external-world account. Inside a request (the REST
        operation) at most the asset's ceiling, `field` naming the amount in the refusal; without a
        request context (in-process funding: tests, fixtures, benches) no ceiling."""
        if not self.sandbox:
            raise errors.sandbox_only()
        account = await self.get_account(ctx, account_id)
        if ctx is not None:
            self._within_top_up_ceiling(account, amount, field)
        world = await self.system_account(ctx, "EXTERNAL_WORLD", account.asset)
        return await self.transfer(ctx, client_id, world.id, account_id, amount, type="TOP_UP",
                                   metadata=metadata or {})

    async def transactions(self, ctx: RequestContext | None, ids: Sequence[str]) -> list[Transaction]:
        if not ids:
            return []
        async with self.units.reading(_session(ctx)) as repo:
            rows = await repo.transactions(ids)
            entries = await repo.entries_of(ids)
        by_txn: dict[str, list[dict[str, Any]]] = {}
        for entry in entries:
            by_txn.setdefault(entry["transaction_id"], []).append(entry)
        return [transaction_view(r, by_txn.get(r["id"], [])) for r in rows]

    async def get_transaction(self, ctx: RequestContext | None, transaction_id: str) -> Transaction:
        found = await self.transactions(ctx, [transaction_id])
        if not found:
            raise errors.transaction_not_found(transaction_id)
        return found[0]

    # --- holds ----------------------------------------------------------------------------
    async def create_holds(self, ctx: RequestContext | None, specs: Sequence[HoldSpec], *,
                           linked: bool = False) -> list[Hold | ProblemError]:
        """Reserve funds. Linked: all or none, and they form one chain posted or voided together."""
        chain_id = new_id("hch") if linked else None
        items = [Item(s.client_id, "hold", content_hash("hold", {**s.content(), "linked": linked})) for s in specs]

        async def work(service: LedgerService, fresh: list[int]) -> dict[int, Any]:
            return await service.create_holds(specs, fresh, linked=linked, chain_id=chain_id)

        outcomes = await self._once(ctx, items, work, linked=linked)
        holds = {h.id: h for h in await self.holds(ctx, [o["hold_id"] for o in outcomes if isinstance(o, dict)])}
        return [o if isinstance(o, ProblemError) else holds[o["hold_id"]] for o in outcomes]

    async def create_hold(self, ctx: RequestContext | None, spec: HoldSpec) -> Hold:
        [result] = await self.create_holds(ctx, [spec])
        if isinstance(result, ProblemError):
            raise result
        return result

    async def _resolve_holds(self, ctx: RequestContext | None, client_id: str, kind: str, content: dict[str, Any], *,
                             ids: Sequence[str] = (), chain_id: str | None = None,
                             amounts: dict[str, int] | None = None) -> list[Hold]:
        async def work(service: LedgerService, fresh: list[int]) -> dict[int, Any]:
            return await service.resolve_holds(client_id, kind, ids=ids, chain_id=chain_id, amounts=amounts)

        [result] = await self._once(ctx, [Item(client_id, kind, content_hash(kind, content))], work, linked=True)
        return await self.holds(ctx, result["hold_ids"])

    async def post_hold(self, ctx: RequestContext | None, client_id: str, hold_id: str,
                        amount: int | None = None) -> Hold:
        """Post a hold in full, or in part (the rest of the reservation is released)."""
        [hold] = await self._resolve_holds(ctx, client_id, "post_hold", {"hold_id": hold_id, "amount": str(amount)},
                                           ids=[hold_id], amounts={hold_id: amount} if amount is not None else None)
        return hold

    async def void_hold(self, ctx: RequestContext | None, client_id: str, hold_id: str) -> Hold:
        [hold] = await self._resolve_holds(ctx, client_id, "void_hold", {"hold_id": hold_id}, ids=[hold_id])
        return hold

    async def post_chain(self, ctx: RequestContext | None, client_id: str, chain_id: str) -> list[Hold]:
        """Post every hold of a chain in full, all or none."""
        return await self._resolve_holds(ctx, client_id, "post_hold", {"chain_id": chain_id}, chain_id=chain_id)

    async def void_chain(self, ctx: RequestContext | None, client_id: str, chain_id: str) -> list[Hold]:
        return await self._resolve_holds(ctx, client_id, "void_hold", {"chain_id": chain_id}, chain_id=chain_id)

    async def expire_due(self, ctx: RequestContext | None, *, now: datetime | None = None, limit: int = 200) -> int:
        """Expire pending holds past their deadline (the scheduler's job, without a request context);
        returns how many."""
        async with (self.units.unit() if ctx is None else self.units.within(ctx)) as service:
            if now is not None:
                service.now = now
            return await service.expire_due(limit)

    async def holds(self, ctx: RequestContext | None, ids: Sequence[str]) -> list[Hold]:
        async with self.units.reading(_session(ctx)) as repo:
            rows = await repo.holds(ids)
        order = {hold_id: i for i, hold_id in enumerate(ids)}
        return sorted([hold_view(r, await self.scale_of(r["asset"])) for r in rows], key=lambda h: order[h.id])

    async def get_hold(self, ctx: RequestContext | None, hold_id: str) -> Hold:
        found = await self.holds(ctx, [hold_id])
        if not found:
            raise errors.hold_not_found(hold_id)
        return found[0]

    async def holds_of(self, ctx: RequestContext | None, account_id: str, *, limit: int = 20,
                       cursor: str | None = None, status: str | None = None) -> PageSlice[Hold]:
        after = decode_cursor(cursor)
        async with self.units.reading(_session(ctx)) as repo:
            rows = await repo.holds_of(account_id, after=str(after[0]) if after else None, limit=limit + 1,
                                       status=status)
        items = [hold_view(r, await self.scale_of(r["asset"])) for r in rows[:limit]]
        more = len(rows) > limit
        return PageSlice(items, more, encode_cursor([items[-1].id]) if more else None)

    # --- balances and history -------------------------------------------------------------
    async def balance(self, ctx: RequestContext | None, account_id: str, *, as_of: datetime | None = None) -> Balance:
        """Posted, pending and available now; at a past instant, the posted balance then."""
        return await self.balance_of(ctx, await self.get_account(ctx, account_id), as_of=as_of)

    async def balance_of(self, ctx: RequestContext | None, account: Account, *,
                         as_of: datetime | None = None) -> Balance:
        """`balance` of an account already read (`readable_account`): at a past instant, one query."""
        if as_of is None:
            return Balance(account.id, account.asset, account.scale, account.posted, account.pending,
                           account.available, account.version)
        async with self.units.reading(_session(ctx)) as repo:
            entry = await repo.last_entry_before(account.id, as_utc(as_of))
        posted = entry["balance_after"] if entry else 0
        version = entry["account_version"] if entry else 0
        return Balance(account.id, account.asset, account.scale, posted, 0, posted, version, as_utc(as_of))

    async def history(self, ctx: RequestContext | None, account_id: str, *, limit: int = 20,
                      cursor: str | None = None, filters: HistoryFilter | None = None,
                      oldest_first: bool = False) -> PageSlice[Entry]:
        """Entries of an account, newest first (or oldest first), cursor-paginated and filtered."""
        filters = filters or HistoryFilter()
        if filters.direction not in (None, "DEBIT", "CREDIT"):
            raise errors.invalid("DIRECTION_INVALID", "direction is DEBIT or CREDIT.")
        # Within a period the page is keyed by (posted_at, version): the cursor carries both.
        period = filters.start is not None or filters.end is not None
        after = decode_cursor(cursor, arity=2 if period else 1)
        before = int(after[0]) if after else None
        before_at = _cursor_instant(after[1]) if after and period else None
        async with self.units.reading(_session(ctx)) as repo:
            rows = await repo.history(
                account_id, before=before, limit=limit + 1, start=filters.start and as_utc(filters.start),
                end=filters.end and as_utc(filters.end), direction=filters.direction,
                counterparty_id=filters.counterparty_id, type_=filters.type, ascending=oldest_first,
                before_at=before_at)
        items = [entry_view(r) for r in rows[:limit]]
        more = len(rows) > limit
        if not more:
            return PageSlice(items, False, None)
        last = items[-1]
        key = [last.account_version, as_utc(last.posted_at).isoformat()] if period else [last.account_version]
        return PageSlice(items, True, encode_cursor(key))

    async def statement(self, ctx: RequestContext | None, account_id: str, start: datetime, end: datetime, *,
                        limit: int = 100, cursor: str | None = None) -> Statement:
        """Opening and closing balance of a period, its totals, and its entries oldest first."""
        return await self.statement_of(ctx, await self.get_account(ctx, account_id), start, end, limit=limit,
                                       cursor=cursor)

    async def statement_of(self, ctx: RequestContext | None, account: Account, start: datetime, end: datetime, *,
                           limit: int = 100, cursor: str | None = None) -> Statement:
        """`statement` of an account already read: two index probes for the balances, one aggregate
        over the period's index range for the totals, and a keyset page of its entries (ADR 0017)."""
        if as_utc(end) <= as_utc(start):
            raise errors.invalid("PERIOD_INVALID", "The period must end after it starts.")
        opening = (await self.balance_of(ctx, account, as_of=_just_before(start))).posted
        closing = (await self.balance_of(ctx, account, as_of=_just_before(end))).posted
        async with self.units.reading(_session(ctx)) as repo:
            debits, credits = await repo.period_totals(account.id, as_utc(start), as_utc(end))
        page = await self.history(ctx, account.id, limit=limit, cursor=cursor, oldest_first=True,
                                  filters=HistoryFilter(start=start, end=end))
        return Statement(account.id, account.asset, account.scale, as_utc(start), as_utc(end), opening, closing,
                         debits, credits, page.items, page.has_more, page.next_cursor)


def _cursor_instant(value: object) -> datetime:
    try:
        return as_utc(datetime.fromisoformat(str(value)))
    except ValueError:
        raise bad_request("INVALID_CURSOR", "The cursor is not one this API issued; start again without it.") from None


def _just_before(instant: datetime) -> datetime:
    return as_utc(instant) - timedelta(microseconds=1)


__all__ = [
    "Account",
    "Balance",
    "Entry",
    "HistoryFilter",
    "Hold",
    "HoldSpec",
    "Ledger",
    "LedgerAccess",
    "NewAccount",
    "Posting",
    "Statement",
    "Transaction",
    "TransactionSpec",
    "account_not_found",
    "asset_mismatch",
    "hold_not_found",
    "transfer",
]
