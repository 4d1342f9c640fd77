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
from tests.support.grpc_callers import service_channel


def eur(amount: str) -> pb.Money:
    return pb.Money(amount=amount, asset="EUR")


def transfer(client_id: str, source: str, target: str, amount: str) -> pb.TransactionRequest:
    return pb.TransactionRequest(client_id=client_id, postings=[
        pb.Posting(account_id=source, direction=pb.DIRECTION_DEBIT, amount=eur(amount)),
        pb.Posting(account_id=target, direction=pb.DIRECTION_CREDIT, amount=eur(amount))])


async def test_ledger_over_grpc(platform: Platform) -> None:
    server = await start_grpc_server(platform.runtime, 0, host="127.0.0.1")
    try:
        async with service_channel(server.bound_port) as channel:
            stub = ledger_pb2_grpc.LedgerServiceStub(channel)
            opened = [(await stub.OpenAccount(pb.OpenAccountRequest(
                client_id=f"open-{i}", owner_type="PERSON", owner_id=f"usr_{i}", asset="EUR"))).account
                for i in range(3)]
            a, b, c = (x.id for x in opened)
            world = (await stub.GetSystemAccount(pb.GetSystemAccountRequest(type="EXTERNAL_WORLD", asset="EUR"))).account
            funded = await stub.CreateTransactions(pb.CreateTransactionsRequest(
                transactions=[transfer("fund", world.id, a, "100.00")], linked=True))
            assert funded.results[0].transaction.entries[1].balance_after == "100.00"

            batch = [transfer(f"t-{i}", a, b if i % 2 else c, "1.50") for i in range(60)]
            batch.append(transfer("too-much", a, b, "1000.00"))
            result = await stub.CreateTransactions(pb.CreateTransactionsRequest(transactions=batch))
            kinds = [r.WhichOneof("outcome") for r in result.results]
            assert kinds.count("transaction") == 60 and result.results[-1].problem.code == "INSUFFICIENT_FUNDS"
            balance = (await stub.GetBalance(pb.GetBalanceRequest(account_id=a))).balance
            assert (balance.posted, balance.available) == ("10.00", "10.00")

            with pytest.raises(grpc.aio.AioRpcError) as linked:
                await stub.CreateTransactions(pb.CreateTransactionsRequest(
                    transactions=[transfer("l-1", a, b, "5.00"), transfer("l-2", a, b, "5.01")], linked=True))
            assert linked.value.code() == grpc.StatusCode.FAILED_PRECONDITION
            assert "INSUFFICIENT_FUNDS" in (linked.value.details() or "")

            with pytest.raises(grpc.aio.AioRpcError) as precise:
                await stub.CreateTransactions(pb.CreateTransactionsRequest(transactions=[transfer("p", a, b, "1.005")]))
            assert "AMOUNT_TOO_PRECISE" in (precise.value.details() or "")

            expires = Timestamp()
            expires.FromDatetime(utcnow() + timedelta(minutes=5))
            holds = await stub.CreateHolds(pb.CreateHoldsRequest(holds=[pb.HoldRequest(
                client_id="h-1", account_id=a, destination_account_id=b, amount=eur("4.00"), expires_at=expires)]))
            hold = holds.results[0].hold
            assert hold.status == pb.HOLD_STATUS_PENDING
            assert (await stub.GetBalance(pb.GetBalanceRequest(account_id=a))).balance.available == "6.00"
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
