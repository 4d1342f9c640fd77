"""gRPC darca.ledger.v1.LedgerService over the running platform."""

from __future__ import annotations

from datetime import timedelta

import grpc
import pytest
from google.protobuf.timestamp_pb2 import Timestamp

from app.grpc_server import start_grpc_server
from core.platform.clock import utcnow
from generated.proto.darca.ledger.v1 import ledger_pb2 as pb
from generated.proto.darca.ledger.v1 import ledger_pb2_grpc
from tests.conftest import Platform
from tests.support.grpc_callers import problem_code, service_channel


def eur(amount: str) -> pb.Money:
    return pb.Money(amount=amount, asset="EUR")


def transfer(client_id: str, source: str, target: str, amount: str) -> pb.TransactionRequest:
    return pb.TransactionRequest(client_id=client_id, postings=[
        pb.Posting(account_id=source, direction=pb.DIRECTION_DEBIT, amount=eur(amount)),
        pb.Posting(account_id=target, direction=pb.DIRECTION_CREDIT, amount=eur(amount))])


@pytest.mark.backends("sqlite", "postgresql")  # smoke: ledger over gRPC
async def test_ledger_over_grpc(platform: Platform) -> None:
    server = await start_grpc_server(platform.runtime, 0, host="127.0.0.1")
    try:
        async with service_channel(server.bound_port) as channel:
            stub = ledger_pb2_grpc.LedgerServiceStub(channel)
            opened = [(await stub.OpenAccount(pb.OpenAccountRequest(
                client_id=f"open-{i}", owner_type=pb.OWNER_TYPE_PERSON, owner_id=f"usr_{i}", asset="EUR"))).account
                for i in range(3)]
            a, b, c = (x.id for x in opened)
            assert (opened[0].asset, opened[0].balance.posted) == ("EUR", eur("0.00"))
            assert (opened[0].owner_type, opened[0].type, opened[0].status) == \
                (pb.OWNER_TYPE_PERSON, pb.ACCOUNT_TYPE_CUSTOMER_WALLET, pb.ACCOUNT_STATUS_OPEN)
            with pytest.raises(grpc.aio.AioRpcError) as ownerless:  # unspecified is no owner type
                await stub.OpenAccount(pb.OpenAccountRequest(client_id="open-x", owner_id="usr_x", asset="EUR"))
            assert problem_code(ownerless.value) == "VALIDATION_FAILED"
            assert not opened[0].HasField("credit_limit")  # unset: the account may not go below zero
            limited = (await stub.OpenAccount(pb.OpenAccountRequest(
                client_id="open-limited", owner_type=pb.OWNER_TYPE_PERSON, owner_id="usr_limited", asset="EUR",
                credit_limit=eur("50.00"), max_balance=eur("0.00")))).account
            assert (limited.credit_limit, limited.max_balance) == (eur("50.00"), eur("0.00"))
            with pytest.raises(grpc.aio.AioRpcError) as other_asset:  # a limit is a Money of the account's asset
                await stub.OpenAccount(pb.OpenAccountRequest(client_id="open-jpy-limit", owner_type=pb.OWNER_TYPE_PERSON,
                                                             owner_id="usr_jpy", asset="EUR",
                                                             credit_limit=pb.Money(amount="5", asset="JPY")))
            assert problem_code(other_asset.value) == "VALIDATION_FAILED"
            world = (await stub.GetSystemAccount(pb.GetSystemAccountRequest(type=pb.ACCOUNT_TYPE_EXTERNAL_WORLD, asset="EUR"))).account
            funded = await stub.CreateTransactions(pb.CreateTransactionsRequest(
                transactions=[transfer("fund", world.id, a, "100.00")], linked=True))
            assert funded.results[0].transaction.entries[1].balance_after == pb.Money(amount="100.00", asset="EUR")

            batch = [transfer(f"t-{i}", a, b if i % 2 else c, "1.50") for i in range(60)]
            batch.append(transfer("too-much", a, b, "1000.00"))
            result = await stub.CreateTransactions(pb.CreateTransactionsRequest(transactions=batch))
            kinds = [r.WhichOneof("outcome") for r in result.results]
            assert kinds.count("transaction") == 60 and result.results[-1].problem.code == "INSUFFICIENT_FUNDS"
            balance = (await stub.GetBalance(pb.GetBalanceRequest(account_id=a))).balance
            assert (balance.posted.amount, balance.available.amount, balance.available.asset) == ("10.00", "10.00", "EUR")

            with pytest.raises(grpc.aio.AioRpcError) as linked:
                await stub.CreateTransactions(pb.CreateTransactionsRequest(
                    transactions=[transfer("l-1", a, b, "5.00"), transfer("l-2", a, b, "5.01")], linked=True))
            assert linked.value.code() == grpc.StatusCode.FAILED_PRECONDITION
            assert problem_code(linked.value) == "INSUFFICIENT_FUNDS"

            with pytest.raises(grpc.aio.AioRpcError) as precise:
                await stub.CreateTransactions(pb.CreateTransactionsRequest(transactions=[transfer("p", a, b, "1.005")]))
            assert problem_code(precise.value) == "AMOUNT_TOO_PRECISE"

            expires = Timestamp()
            expires.FromDatetime(utcnow() + timedelta(minutes=5))
            holds = await stub.CreateHolds(pb.CreateHoldsRequest(holds=[pb.HoldRequest(
                client_id="h-1", account_id=a, destination_account_id=b, amount=eur("4.00"), expires_at=expires)]))
            hold = holds.results[0].hold
            assert hold.status == pb.HOLD_STATUS_PENDING
            assert (await stub.GetBalance(pb.GetBalanceRequest(account_id=a))).balance.available.amount == "6.00"
            posted = (await stub.PostHold(pb.PostHoldRequest(client_id="h-2", hold_id=hold.id, amount=eur("3.00")))).hold
            assert (posted.status, posted.posted_amount.amount) == (pb.HOLD_STATUS_POSTED, "3.00")
            with pytest.raises(grpc.aio.AioRpcError) as resolved:
                await stub.VoidHold(pb.VoidHoldRequest(client_id="h-3", hold_id=hold.id))
            assert resolved.value.code() == grpc.StatusCode.ALREADY_EXISTS

            entries = await stub.ListEntries(pb.ListEntriesRequest(account_id=a, limit=5))
            assert entries.has_more and entries.entries[0].type == "HOLD_POST"
            reversed_ = await stub.ReverseTransaction(pb.ReverseTransactionRequest(
                client_id="rev", transaction_id=posted.transaction_id))
            assert reversed_.transaction.reverses_transaction_id == posted.transaction_id
            frozen = await stub.FreezeAccount(pb.FreezeAccountRequest(client_id="fz", account_id=c, mode=pb.FREEZE_MODE_BOTH))
            assert frozen.account.freeze == pb.FREEZE_MODE_BOTH
            with pytest.raises(grpc.aio.AioRpcError) as missing:
                await stub.GetAccount(pb.GetAccountRequest(account_id="acc_missing"))
            assert missing.value.code() == grpc.StatusCode.NOT_FOUND
    finally:
        await server.stop(None)


async def test_batch_views_full_and_basic(platform: Platform) -> None:
    """TRANSACTION_VIEW_BASIC answers each item with the transaction minus metadata and entries;
    the work is the same (a replay in the full view shows what was posted), refusals come back
    the same way, and a view the contract lacks is refused before anything is posted."""
    server = await start_grpc_server(platform.runtime, 0, host="127.0.0.1")
    try:
        async with service_channel(server.bound_port) as channel:
            stub = ledger_pb2_grpc.LedgerServiceStub(channel)
            a, b = [(await stub.OpenAccount(pb.OpenAccountRequest(
                client_id=f"view-open-{i}", owner_type=pb.OWNER_TYPE_PERSON, owner_id=f"usr_v{i}", asset="EUR"))).account.id
                for i in range(2)]
            world = (await stub.GetSystemAccount(pb.GetSystemAccountRequest(type=pb.ACCOUNT_TYPE_EXTERNAL_WORLD, asset="EUR"))).account
            await stub.CreateTransactions(pb.CreateTransactionsRequest(transactions=[transfer("view-fund", world.id, a, "10.00")]))

            batch = [transfer("view-1", a, b, "2.50"), transfer("view-2", a, b, "99.00")]
            batch[0].metadata["payroll"] = "2026-12"
            batch[0].external_reference = "run-7"
            basic = await stub.CreateTransactions(pb.CreateTransactionsRequest(
                transactions=batch, view=pb.TRANSACTION_VIEW_BASIC))
            posted, refused = basic.results
            assert refused.problem.code == "INSUFFICIENT_FUNDS"
            txn = posted.transaction
            assert txn.id.startswith("txn_") and (txn.client_id, txn.type, txn.external_reference) == \
                ("view-1", "TRANSFER", "run-7")
            assert txn.HasField("posted_at") and not txn.entries and not txn.metadata

            full = await stub.CreateTransactions(pb.CreateTransactionsRequest(
                transactions=batch[:1], view=pb.TRANSACTION_VIEW_FULL))  # the same id and content: a replay
            replayed = full.results[0].transaction
            assert (replayed.id, replayed.posted_at) == (txn.id, txn.posted_at)
            assert dict(replayed.metadata) == {"payroll": "2026-12"}
            assert [(e.account_id, e.amount.amount, e.balance_after.amount) for e in replayed.entries] == \
                [(a, "2.50", "7.50"), (b, "2.50", "2.50")]

            with pytest.raises(grpc.aio.AioRpcError) as unknown:
                await stub.CreateTransactions(pb.CreateTransactionsRequest(
                    transactions=[transfer("view-3", a, b, "1.00")], view=7))  # type: ignore[arg-type]
            assert unknown.value.code() == grpc.StatusCode.INVALID_ARGUMENT and "view" in (unknown.value.details() or "")
            assert (await stub.GetBalance(pb.GetBalanceRequest(account_id=a))).balance.posted.amount == "7.50"
    finally:
        await server.stop(None)
