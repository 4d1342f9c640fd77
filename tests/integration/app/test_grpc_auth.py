"""gRPC callers authenticate with service credentials; scopes come from the contract (real server, real connections)."""

from __future__ import annotations

import socket
import stat
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import grpc
import pytest
import structlog
from grpc_health.v1 import health_pb2
from grpc_reflection.v1alpha import reflection_pb2

import handlers.assets.grpc
from app.grpc_auth import GrpcAuthNotConfigured, grpc_caller
from app.grpc_server import start_grpc_server
from app.runtime import Runtime, build_runtime
from core.platform.security import Principal
from generated.proto.darca.ledger.v1 import ledger_pb2 as pb
from generated.proto.darca.ledger.v1 import ledger_pb2_grpc
from generated.proto.darca.platform.v1 import assets_pb2, assets_pb2_grpc
from tests.conftest import Platform, make_settings
from tests.running import free_port
from tests.support.grpc_callers import PAYMENTS_TOKEN, REPORTS_TOKEN, problem_code, service_channel


@asynccontextmanager
async def serving(runtime: Runtime) -> AsyncIterator[int]:
    server = await start_grpc_server(runtime, 0, host="127.0.0.1")
    try:
        yield server.bound_port
    finally:
        await server.stop(None)


async def refusal(call: Any) -> grpc.aio.AioRpcError:
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await call
    return refused.value


def open_account(client_id: str = "open-1") -> pb.OpenAccountRequest:
    return pb.OpenAccountRequest(client_id=client_id, owner_type=pb.OWNER_TYPE_PERSON, owner_id="usr_1", asset="EUR")


async def test_a_call_without_a_credential_is_unauthenticated(platform: Platform) -> None:
    async with serving(platform.runtime) as port, service_channel(port, token=None) as channel:
        for call in (ledger_pb2_grpc.LedgerServiceStub(channel).OpenAccount(open_account()),
                     assets_pb2_grpc.AssetRegistryServiceStub(channel).GetAsset(assets_pb2.GetAssetRequest(code="EUR"))):
            refused = await refusal(call)
            assert refused.code() == grpc.StatusCode.UNAUTHENTICATED
            # the message is the detail alone (a client printing "UNAUTHENTICATED: <message>" says it once),
            # the stable code comes in google.rpc.ErrorInfo
            assert refused.details() == "This call needs a service credential: metadata authorization: Bearer <token>."
            assert problem_code(refused) == "UNAUTHENTICATED"
        # nothing was opened: the owner's first EUR wallet is still to be opened (else ALREADY_EXISTS)
        async with service_channel(port) as authenticated:
            stub = ledger_pb2_grpc.LedgerServiceStub(authenticated)
            assert (await stub.OpenAccount(open_account("open-2"))).account.owner_id == "usr_1"


async def test_a_wrong_or_malformed_credential_is_unauthenticated(platform: Platform) -> None:
    async with serving(platform.runtime) as port, service_channel(port, token=None) as channel:
        stub = ledger_pb2_grpc.LedgerServiceStub(channel)
        request = pb.GetAccountRequest(account_id="acc_x")
        for metadata, detail in [
            ((("authorization", "Bearer dsvc_not-a-configured-token"),), "The service credential is not valid."),
            ((("authorization", f"Bearer {PAYMENTS_TOKEN}x"),), "The service credential is not valid."),
            ((("authorization", f"Basic {PAYMENTS_TOKEN}"),), "The authorization metadata must be 'Bearer <token>'."),
            ((("authorization", "Bearer"),), "The authorization metadata must be 'Bearer <token>'."),
            ((("authorization", f"Bearer {PAYMENTS_TOKEN}"), ("authorization", f"Bearer {PAYMENTS_TOKEN}")),
             "Send one authorization metadata entry."),
        ]:
            refused = await refusal(stub.GetAccount(request, metadata=metadata))
            assert (refused.code(), refused.details(), problem_code(refused)) == (
                grpc.StatusCode.UNAUTHENTICATED, detail, "UNAUTHENTICATED")
        # the scheme is case-insensitive, as in HTTP
        missing = await refusal(stub.GetAccount(request, metadata=(("authorization", f"bearer {PAYMENTS_TOKEN}"),)))
        assert missing.code() == grpc.StatusCode.NOT_FOUND


async def test_a_caller_without_the_methods_scope_is_permission_denied(platform: Platform) -> None:
    async with serving(platform.runtime) as port:
        async with service_channel(port) as channel:
            payments = ledger_pb2_grpc.LedgerServiceStub(channel)
            account = (await payments.OpenAccount(open_account())).account
        async with service_channel(port, token=REPORTS_TOKEN) as channel:
            reports = ledger_pb2_grpc.LedgerServiceStub(channel)
            assert (await reports.GetBalance(pb.GetBalanceRequest(account_id=account.id))).balance.posted.asset == "EUR"
            refused = await refusal(reports.CreateTransactions(pb.CreateTransactionsRequest(transactions=[
                pb.TransactionRequest(client_id="t-1", postings=[
                    pb.Posting(account_id=account.id, direction=pb.DIRECTION_DEBIT,
                               amount=pb.Money(amount="1.00", asset="EUR"))])])))
            assert refused.code() == grpc.StatusCode.PERMISSION_DENIED
            assert refused.details() == ("The caller 'reports' lacks the scope ledger:write for "
                                         "darca.ledger.v1.LedgerService/CreateTransactions.")
            assert problem_code(refused) == "FORBIDDEN"
            assets = assets_pb2_grpc.AssetRegistryServiceStub(channel)
            refused = await refusal(assets.ListAssets(assets_pb2.ListAssetsRequest()))
            assert refused.code() == grpc.StatusCode.PERMISSION_DENIED and "assets:read" in (refused.details() or "")


async def test_the_callers_name_reaches_the_services(platform: Platform, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Any] = []
    real_get_asset = handlers.assets.grpc.get_asset

    async def get_asset(context: Any, code: str) -> Any:
        seen.append(context.principal)
        return await real_get_asset(context, code)

    monkeypatch.setattr(handlers.assets.grpc, "get_asset", get_asset)
    ledger = platform.runtime.ledger
    assert ledger is not None
    real_get = ledger.get_account

    async def get_account(ctx: Any, account_id: str) -> Any:
        seen.append((grpc_caller(), structlog.contextvars.get_contextvars().get("grpc_caller")))
        return await real_get(ctx, account_id)

    monkeypatch.setattr(ledger, "get_account", get_account)
    async with serving(platform.runtime) as port:
        async with service_channel(port) as channel:
            await assets_pb2_grpc.AssetRegistryServiceStub(channel).GetAsset(assets_pb2.GetAssetRequest(code="EUR"))
            stub = ledger_pb2_grpc.LedgerServiceStub(channel)
            account = (await stub.OpenAccount(open_account())).account
        async with service_channel(port, token=REPORTS_TOKEN) as channel:
            await ledger_pb2_grpc.LedgerServiceStub(channel).GetAccount(pb.GetAccountRequest(account_id=account.id))
    payments = Principal("payments", "SERVICE", frozenset({"ledger:read", "ledger:write", "assets:read"}))
    reports = Principal("reports", "SERVICE", frozenset({"ledger:read"}))
    assert seen[0] == payments  # the asset registry's RequestContext
    assert seen[-1] == (reports, "reports")  # the ledger call, and the logs' context
    with pytest.raises(LookupError):  # outside a gRPC call there is no caller: nothing defaults to one
        grpc_caller()


async def test_health_and_reflection_stay_open(platform: Platform) -> None:
    """Answered to an uncredentialed probe (test_grpc_health_reflection.py has the rest); darca's own methods are not."""
    async with serving(platform.runtime) as port, service_channel(port, token=None) as channel:
        check = channel.unary_unary("/grpc.health.v1.Health/Check", request_serializer=lambda b: b,
                                    response_deserializer=health_pb2.HealthCheckResponse.FromString)
        assert (await check(b"")).status == health_pb2.HealthCheckResponse.SERVING
        for version in ("v1", "v1alpha"):
            reflect = channel.stream_stream(f"/grpc.reflection.{version}.ServerReflection/ServerReflectionInfo",
                                            request_serializer=reflection_pb2.ServerReflectionRequest.SerializeToString,
                                            response_deserializer=reflection_pb2.ServerReflectionResponse.FromString)
            replies = [r async for r in reflect(iter([reflection_pb2.ServerReflectionRequest(list_services="")]))]
            assert replies and replies[0].list_services_response.service
        unknown = channel.unary_unary("/darca.ledger.v1.LedgerService/Nope", request_serializer=lambda b: b,
                                      response_deserializer=lambda b: b)
        assert (await refusal(unknown(b""))).code() == grpc.StatusCode.UNAUTHENTICATED


async def test_production_without_credentials_never_serves(database_url: str) -> None:
    port = free_port()
    runtime = build_runtime(make_settings(database_url, environment="PRODUCTION", grpc_callers=[], grpc_port=port,
                                          relay_enabled=False, ledger_expiry_poll_ms=0, kyc_poll_ms=0))
    try:
        with pytest.raises(GrpcAuthNotConfigured, match="DARCA_GRPC_CALLERS"):
            await runtime.start()
        assert runtime.grpc_server is None
        with socket.socket() as probe:  # nothing listens: no call reaches the ledger, credential or not
            assert probe.connect_ex(("127.0.0.1", port)) != 0
    finally:
        await runtime.stop()


async def test_production_serves_configured_callers_only(database_url: str) -> None:
    runtime = build_runtime(make_settings(database_url, environment="PRODUCTION", grpc_plaintext=True, relay_enabled=False))
    try:
        async with serving(runtime) as port:
            async with service_channel(port) as channel:
                eur = await assets_pb2_grpc.AssetRegistryServiceStub(channel).GetAsset(assets_pb2.GetAssetRequest(code="EUR"))
                assert eur.asset.scale == 2
            async with service_channel(port, token=None) as channel:
                refused = await refusal(assets_pb2_grpc.AssetRegistryServiceStub(channel).GetAsset(
                    assets_pb2.GetAssetRequest(code="EUR")))
                assert refused.code() == grpc.StatusCode.UNAUTHENTICATED
    finally:
        await runtime.db.dispose()


async def test_sandbox_without_callers_serves_a_generated_development_credential(
        database_url: str, tmp_path: Path) -> None:
    token_file = tmp_path / "var" / "grpc-sandbox-token"
    runtime = build_runtime(make_settings(database_url, grpc_callers=[], grpc_sandbox_token_file=str(token_file)))
    try:
        async with serving(runtime) as port:
            token = token_file.read_text().strip()
            assert token.startswith("dsvc_") and len(token) > 40
            assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
            async with service_channel(port, token=token) as channel:
                stub = ledger_pb2_grpc.LedgerServiceStub(channel)
                assert (await stub.OpenAccount(open_account())).account.asset == "EUR"
            for wrong in (None, PAYMENTS_TOKEN):  # configured callers are not in play in this mode
                async with service_channel(port, token=wrong) as channel:
                    refused = await refusal(ledger_pb2_grpc.LedgerServiceStub(channel).OpenAccount(open_account("x")))
                    assert refused.code() == grpc.StatusCode.UNAUTHENTICATED
        async with serving(runtime):  # a restart keeps the credential
            assert token_file.read_text().strip() == token
    finally:
        await runtime.db.dispose()
