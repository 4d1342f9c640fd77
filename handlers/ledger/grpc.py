"""gRPC darca.ledger.v1.LedgerService: a thin adapter over the ledger facade (core.ledger.api)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

import grpc
from google.protobuf.internal.enum_type_wrapper import EnumTypeWrapper
from google.protobuf.timestamp_pb2 import Timestamp

from core.ledger.api import Account, Entry, Hold, HoldSpec, Ledger, NewAccount, Posting, Transaction, TransactionSpec
from core.platform.api import ProblemError, format_amount, parse_amount
from generated.proto.darca.ledger.v1 import ledger_pb2 as pb
from generated.proto.darca.ledger.v1 import ledger_pb2_grpc
from handlers.common import abort

MAX_BATCH = 5_000
TRANSACTION_VIEWS = (pb.TRANSACTION_VIEW_UNSPECIFIED, pb.TRANSACTION_VIEW_FULL, pb.TRANSACTION_VIEW_BASIC)
T = TypeVar("T")


def enum_names(enum: EnumTypeWrapper) -> dict[str, int]:
    """REST value -> proto number, mechanically (ADR 0023): a proto value is its enum's name in UPPER_SNAKE_CASE,
    then `_`, then the REST value (`Direction` DIRECTION_CREDIT is REST `CREDIT`); `_UNSPECIFIED` has no REST
    value. A proto value that does not follow the rule fails here, at import."""
    prefix = "".join(f"_{c}" if c.isupper() and i else c for i, c in enumerate(enum.DESCRIPTOR.name)).upper() + "_"
    names = {}
    for name, number in enum.items():
        if not name.startswith(prefix):
            raise ValueError(f"{enum.DESCRIPTOR.name}.{name} does not start with {prefix}")
        if number != 0:
            names[name[len(prefix):]] = number
    return names


DIRECTION_PB = enum_names(pb.Direction)
FREEZE_PB = enum_names(pb.FreezeMode)
FREEZE = {v: k for k, v in FREEZE_PB.items()}
HOLD_STATUS = enum_names(pb.HoldStatus)
OWNER_TYPE_PB = enum_names(pb.OwnerType)
OWNER_TYPE = {v: k for k, v in OWNER_TYPE_PB.items()}
ACCOUNT_TYPE_PB = enum_names(pb.AccountType)
ACCOUNT_TYPE = {v: k for k, v in ACCOUNT_TYPE_PB.items()}
ACCOUNT_STATUS_PB = enum_names(pb.AccountStatus)

def stamp(value: datetime | None) -> Timestamp | None:
    if value is None:
        return None
    out = Timestamp()
    out.FromDatetime(value)
    return out

def invalid(detail: str) -> ProblemError:
    return ProblemError(400, "VALIDATION_FAILED", "Validation failed", detail)


def named(names: dict[int, str], value: int, field: str) -> str:
    """The REST value of a proto enum field; unspecified or a number this server does not know is refused."""
    try:
        return names[value]
    except KeyError:
        raise invalid(f"{field} is required") from None

def money(amount: int, asset: str, scale: int) -> pb.Money:
    return pb.Money(amount=format_amount(amount, scale), asset=asset)


def account_message(a: Account) -> pb.Account:
    limit = money(a.credit_limit, a.asset, a.scale) if a.credit_limit is not None else None
    maximum = money(a.max_balance, a.asset, a.scale) if a.max_balance is not None else None
    return pb.Account(
        id=a.id, owner_type=OWNER_TYPE_PB[a.owner_type], owner_id=a.owner_id, type=ACCOUNT_TYPE_PB[a.type],
        rail=a.rail, scale=a.scale, status=ACCOUNT_STATUS_PB[a.status], freeze=FREEZE_PB[a.freeze],
        allow_negative=a.allow_negative, asset=a.asset,
        credit_limit=limit, max_balance=maximum, created_at=stamp(a.created_at), updated_at=stamp(a.updated_at),
        balance=pb.Balance(posted=money(a.posted, a.asset, a.scale), pending=money(a.pending, a.asset, a.scale),
                           available=money(a.available, a.asset, a.scale), version=a.version))

def cached_stamp(value: datetime, stamps: dict[datetime, Timestamp]) -> Timestamp:
    """The transactions of one unit of work share their instant: one conversion for a whole reply."""
    found = stamps.get(value)
    if found is None:
        found = stamps[value] = stamp(value)  # type: ignore[assignment]
    return found

def fill_entry(out: pb.Entry, e: Entry, scale: int, stamps: dict[datetime, Timestamp]) -> pb.Entry:
    """Fields set in place (no nested message built and copied); empty strings are proto3's unset."""
    out.transaction_id = e.transaction_id
    out.account_id = e.account_id
    out.direction = DIRECTION_PB[e.direction]
    out.amount.amount = format_amount(abs(e.amount), scale)
    out.amount.asset = e.asset
    out.balance_after.amount = format_amount(e.balance_after, scale)
    out.balance_after.asset = e.asset
    out.account_version = e.account_version
    if e.counterparty_id:
        out.counterparty_account_id = e.counterparty_id
    out.type = e.type
    out.posted_at.CopyFrom(cached_stamp(e.posted_at, stamps))
    return out

def entry_message(e: Entry, scale: int) -> pb.Entry:
    return fill_entry(pb.Entry(), e, scale, {})

def fill_transaction(out: pb.Transaction, t: Transaction, scales: dict[str, int],
                     stamps: dict[datetime, Timestamp]) -> pb.Transaction:
    fill_basic_transaction(out, t, stamps)
    if t.metadata:
        out.metadata.update(t.metadata)
    for e in t.entries:
        fill_entry(out.entries.add(), e, scales[e.asset], stamps)
    return out

def fill_basic_transaction(out: pb.Transaction, t: Transaction, stamps: dict[datetime, Timestamp]) -> pb.Transaction:
    """TRANSACTION_VIEW_BASIC: the transaction without metadata and entries."""
    out.id = t.id
    out.client_id = t.client_id
    out.type = t.type
    if t.external_reference:
        out.external_reference = t.external_reference
    if t.reverses_id:
        out.reverses_transaction_id = t.reverses_id
    if t.hold_id:
        out.hold_id = t.hold_id
    out.posted_at.CopyFrom(cached_stamp(t.posted_at, stamps))
    return out

def transaction_message(t: Transaction, scales: dict[str, int]) -> pb.Transaction:
    return fill_transaction(pb.Transaction(), t, scales, {})

def add_ledger_servicer(server: grpc.aio.Server, ledger: Ledger) -> None:
    """Serve darca.ledger.v1.LedgerService from `ledger` on `server` (app/grpc_server.py wires it)."""
    ledger_pb2_grpc.add_LedgerServiceServicer_to_server(LedgerServicer(ledger), server)


class LedgerServicer(ledger_pb2_grpc.LedgerServiceServicer):
    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    async def _call(self, context: grpc.aio.ServicerContext, work: Callable[[], Awaitable[T]]) -> T:
        try:
            return await work()
        except ProblemError as problem:
            await abort(context, problem)
            raise AssertionError("unreachable") from None

    async def _money(self, money: pb.Money, field: str) -> int:
        if not money.asset:
            raise invalid(f"{field}.asset is required")
        return await self.ledger.parse(money.amount, money.asset, field=field)

    @staticmethod
    def _bound(request: pb.OpenAccountRequest, field: str, scale: int) -> int | None:
        """An account's optional limit: a Money of the account's own asset, zero allowed; unset is none."""
        if not request.HasField(field):
            return None
        value: pb.Money = getattr(request, field)
        if value.asset != request.asset:
            raise invalid(f"{field}.asset must be the account's asset {request.asset}")
        return parse_amount(value.amount, scale, field=f"{field}.amount", allow_zero=True)

    async def transaction_message(self, t: Transaction) -> pb.Transaction:
        return transaction_message(t, await self.ledger.scales())

    @staticmethod
    def hold_message(h: Hold) -> pb.Hold:
        return pb.Hold(
            id=h.id, client_id=h.client_id, account_id=h.account_id, destination_account_id=h.destination_id,
            amount=money(h.amount, h.asset, h.scale), posted_amount=money(h.posted_amount, h.asset, h.scale),
            status=HOLD_STATUS[h.status], chain_id=h.chain_id or "", transaction_id=h.transaction_id or "",
            metadata=h.metadata, expires_at=stamp(h.expires_at), created_at=stamp(h.created_at),
            resolved_at=stamp(h.resolved_at))

    @staticmethod
    def problem_message(p: ProblemError) -> pb.Problem:
        return pb.Problem(status=p.status, code=p.code, detail=p.detail or p.title)

    # --- accounts -------------------------------------------------------------------------
    async def OpenAccount(self, request, context):  # type: ignore[no-untyped-def]
        async def work() -> pb.OpenAccountResponse:
            scale = await self.ledger.scale_of(request.asset)
            limit = self._bound(request, "credit_limit", scale)
            maximum = self._bound(request, "max_balance", scale)
            kind = named(ACCOUNT_TYPE, request.type, "type") if request.type else "CUSTOMER_WALLET"
            account = await self.ledger.open_account(None, NewAccount(
                request.client_id, named(OWNER_TYPE, request.owner_type, "owner_type"), request.owner_id,
                request.asset, kind, request.rail, None, limit, maximum, request.label or None))
            return pb.OpenAccountResponse(account=account_message(account))
        return await self._call(context, work)

    async def GetAccount(self, request, context):  # type: ignore[no-untyped-def]
        async def work() -> pb.GetAccountResponse:
            account = await self.ledger.get_account(None, request.account_id)
            return pb.GetAccountResponse(account=account_message(account))
        return await self._call(context, work)

    async def GetSystemAccount(self, request, context):  # type: ignore[no-untyped-def]
        async def work() -> pb.GetSystemAccountResponse:
            account = await self.ledger.system_account(None, named(ACCOUNT_TYPE, request.type, "type"), request.asset,
                                                       request.rail)
            return pb.GetSystemAccountResponse(account=account_message(account))
        return await self._call(context, work)

    async def FreezeAccount(self, request, context):  # type: ignore[no-untyped-def]
        async def work() -> pb.FreezeAccountResponse:
            account = await self.ledger.freeze(None, request.client_id, request.account_id,
                                               named(FREEZE, request.mode, "mode"))
            return pb.FreezeAccountResponse(account=account_message(account))
        return await self._call(context, work)

    async def CloseAccount(self, request, context):  # type: ignore[no-untyped-def]
        async def work() -> pb.CloseAccountResponse:
            account = await self.ledger.close(None, request.client_id, request.account_id)
            return pb.CloseAccountResponse(account=account_message(account))
        return await self._call(context, work)

    # --- transactions ---------------------------------------------------------------------
    async def _spec(self, index: int, t: Any, scales: dict[str, int]) -> TransactionSpec:
        if not t.client_id:
            raise invalid(f"transactions[{index}].client_id is required")
        postings = []
        for j, p in enumerate(t.postings):
            direction, money = p.direction, p.amount  # each field read of a message costs: once each
            if direction not in (pb.DIRECTION_DEBIT, pb.DIRECTION_CREDIT):
                raise invalid(f"transactions[{index}].postings[{j}].direction is required")
            asset = money.asset
            scale = scales.get(asset)
            try:
                if scale is None:
                    raise LookupError
                amount = parse_amount(money.amount, scale)  # known asset: no round through the event loop
            except (LookupError, ProblemError):  # named after its place in the batch (built only when needed)
                amount = await self._money(money, f"transactions[{index}].postings[{j}].amount")
            postings.append(Posting(p.account_id, -amount if direction == pb.DIRECTION_DEBIT else amount, asset))
        metadata = t.metadata
        return TransactionSpec(t.client_id, tuple(postings), t.type or "TRANSFER", dict(metadata) if metadata else {},
                               t.external_reference or None)

    async def CreateTransactions(self, request, context):  # type: ignore[no-untyped-def]
        async def work() -> pb.CreateTransactionsResponse:
            if not 1 <= len(request.transactions) <= MAX_BATCH:
                raise invalid(f"a batch holds 1 to {MAX_BATCH} transactions")
            if request.view not in TRANSACTION_VIEWS:
                raise invalid("view must be TRANSACTION_VIEW_FULL or TRANSACTION_VIEW_BASIC")
            scales = await self.ledger.scales()
            specs = [await self._spec(i, t, scales) for i, t in enumerate(request.transactions)]
            outcomes = await self.ledger.post_transactions(None, specs, linked=request.linked)
            scales = await self.ledger.scales()
            stamps: dict[datetime, Timestamp] = {}
            basic = request.view == pb.TRANSACTION_VIEW_BASIC
            reply = pb.CreateTransactionsResponse()
            for outcome in outcomes:  # built in place: no result message built and then copied
                result = reply.results.add()
                if isinstance(outcome, ProblemError):
                    result.problem.CopyFrom(self.problem_message(outcome))
                elif basic:
                    fill_basic_transaction(result.transaction, outcome, stamps)
                else:
                    fill_transaction(result.transaction, outcome, scales, stamps)
            return reply
        return await self._call(context, work)

    async def ReverseTransaction(self, request, context):  # type: ignore[no-untyped-def]
        async def work() -> pb.ReverseTransactionResponse:
            txn = await self.ledger.reverse(None, request.client_id, request.transaction_id,
                                            metadata=dict(request.metadata))
            return pb.ReverseTransactionResponse(transaction=await self.transaction_message(txn))
        return await self._call(context, work)

    async def GetTransaction(self, request, context):  # type: ignore[no-untyped-def]
        async def work() -> pb.GetTransactionResponse:
            txn = await self.ledger.get_transaction(None, request.transaction_id)
            return pb.GetTransactionResponse(transaction=await self.transaction_message(txn))
        return await self._call(context, work)

    # --- holds ----------------------------------------------------------------------------
    async def CreateHolds(self, request, context):  # type: ignore[no-untyped-def]
        async def work() -> pb.CreateHoldsResponse:
            if not 1 <= len(request.holds) <= MAX_BATCH:
                raise invalid(f"a batch holds 1 to {MAX_BATCH} holds")
            specs = []
            for i, h in enumerate(request.holds):
                if not h.client_id or not h.HasField("expires_at"):
                    raise invalid(f"holds[{i}] needs client_id and expires_at")
                amount = await self._money(h.amount, f"holds[{i}].amount")
                specs.append(HoldSpec(h.client_id, h.account_id, h.destination_account_id, amount,
                                      h.expires_at.ToDatetime(tzinfo=UTC), dict(h.metadata)))
            outcomes = await self.ledger.create_holds(None, specs, linked=request.linked)
            return pb.CreateHoldsResponse(results=[
                pb.HoldResult(problem=self.problem_message(o)) if isinstance(o, ProblemError)
                else pb.HoldResult(hold=self.hold_message(o)) for o in outcomes])
        return await self._call(context, work)

    async def PostHold(self, request, context):  # type: ignore[no-untyped-def]
        async def work() -> pb.PostHoldResponse:
            amount = await self._money(request.amount, "amount") if request.HasField("amount") else None
            return pb.PostHoldResponse(hold=self.hold_message(
                await self.ledger.post_hold(None, request.client_id, request.hold_id, amount)))
        return await self._call(context, work)

    async def VoidHold(self, request, context):  # type: ignore[no-untyped-def]
        async def work() -> pb.VoidHoldResponse:
            hold = await self.ledger.void_hold(None, request.client_id, request.hold_id)
            return pb.VoidHoldResponse(hold=self.hold_message(hold))
        return await self._call(context, work)

    async def PostHoldChain(self, request, context):  # type: ignore[no-untyped-def]
        async def work() -> pb.PostHoldChainResponse:
            holds = await self.ledger.post_chain(None, request.client_id, request.chain_id)
            return pb.PostHoldChainResponse(holds=[self.hold_message(h) for h in holds])
        return await self._call(context, work)

    async def VoidHoldChain(self, request, context):  # type: ignore[no-untyped-def]
        async def work() -> pb.VoidHoldChainResponse:
            holds = await self.ledger.void_chain(None, request.client_id, request.chain_id)
            return pb.VoidHoldChainResponse(holds=[self.hold_message(h) for h in holds])
        return await self._call(context, work)

    async def GetHold(self, request, context):  # type: ignore[no-untyped-def]
        async def work() -> pb.GetHoldResponse:
            return pb.GetHoldResponse(hold=self.hold_message(await self.ledger.get_hold(None, request.hold_id)))
        return await self._call(context, work)

    # --- balances -------------------------------------------------------------------------
    async def GetBalance(self, request, context):  # type: ignore[no-untyped-def]
        async def work() -> pb.GetBalanceResponse:
            as_of = request.as_of.ToDatetime(tzinfo=UTC) if request.HasField("as_of") else None
            b = await self.ledger.balance(None, request.account_id, as_of=as_of)
            return pb.GetBalanceResponse(balance=pb.Balance(
                posted=money(b.posted, b.asset, b.scale), pending=money(b.pending, b.asset, b.scale),
                available=money(b.available, b.asset, b.scale), version=b.version, as_of=stamp(b.as_of)))
        return await self._call(context, work)

    async def ListEntries(self, request, context):  # type: ignore[no-untyped-def]
        async def work() -> pb.ListEntriesResponse:
            limit = request.limit or 100
            if limit > 1000:
                raise invalid("limit must be 1 to 1000")
            account = await self.ledger.get_account(None, request.account_id)
            page = await self.ledger.history(None, request.account_id, limit=limit, cursor=request.cursor or None)
            return pb.ListEntriesResponse(entries=[entry_message(e, account.scale) for e in page.items],
                                          has_more=page.has_more, next_cursor=page.next_cursor or "")
        return await self._call(context, work)
