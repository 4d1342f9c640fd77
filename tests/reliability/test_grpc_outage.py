"""The database goes away under the gRPC server: calls end with UNAVAILABLE and a stable code (not
INTERNAL), `retry-after` comes in the trailing metadata, gRPC health answers NOT_SERVING, and calls succeed
again once it is back.

The database keeps running for everyone else: a local TCP forwarder between this platform and
PostgreSQL is cut and resumed (as in test_background_jobs_outage.py)."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from app.grpc_server import start_grpc_server
from app.runtime import build_runtime
from generated.proto.darca.ledger.v1 import ledger_pb2 as ledger_pb
from generated.proto.darca.ledger.v1 import ledger_pb2_grpc
from generated.proto.darca.platform.v1 import assets_pb2, assets_pb2_grpc
from tests.bus_helpers import TcpForwarder
from tests.conftest import make_settings
from tests.support.grpc_callers import problem_code, service_channel
from tests.support.waiting import eventually

SERVING, NOT_SERVING = health_pb2.HealthCheckResponse.SERVING, health_pb2.HealthCheckResponse.NOT_SERVING
pytestmark = pytest.mark.backends("postgresql")  # about losing a database server's connections


def through(forwarder: TcpForwarder, database_url: str) -> str:
    parts = urlsplit(database_url)
    user = f"{parts.username}@" if parts.username else ""
    return urlunsplit(parts._replace(netloc=f"{user}127.0.0.1:{forwarder.port}"))


async def test_grpc_calls_are_unavailable_during_an_outage_and_recover(database_url: str) -> None:
    forwarder = TcpForwarder(urlsplit(database_url).port or 5432)
    await forwarder.resume()
    runtime = build_runtime(make_settings(through(forwarder, database_url), database_pool_timeout_seconds=1,
                                          database_connect_timeout_seconds=1))
    server = await start_grpc_server(runtime, 0, host="127.0.0.1")
    try:
        async with service_channel(server.bound_port) as channel:
            assets = assets_pb2_grpc.AssetRegistryServiceStub(channel)
            ledger = ledger_pb2_grpc.LedgerServiceStub(channel)
            assert (await assets.GetAsset(assets_pb2.GetAssetRequest(code="EUR"))).asset.code == "EUR"

            await forwarder.cut()
            for call in (assets.GetAsset(assets_pb2.GetAssetRequest(code="EUR")),
                         ledger.OpenAccount(ledger_pb.OpenAccountRequest(
                             client_id="open-outage", owner_type=ledger_pb.OWNER_TYPE_PERSON, owner_id="usr_outage", asset="EUR"))):
                with pytest.raises(grpc.aio.AioRpcError) as refused:
                    await call
                assert refused.value.code() == grpc.StatusCode.UNAVAILABLE
                assert problem_code(refused.value) == "DATABASE_UNAVAILABLE"
                assert ("retry-after", "2") in tuple(refused.value.trailing_metadata() or ())
            health = health_pb2_grpc.HealthStub(channel)
            assert (await health.Check(health_pb2.HealthCheckRequest())).status == NOT_SERVING  # as readiness

            await forwarder.resume()

            async def served_again() -> bool:
                try:
                    await assets.GetAsset(assets_pb2.GetAssetRequest(code="EUR"))
                except grpc.aio.AioRpcError as error:
                    assert error.code() == grpc.StatusCode.UNAVAILABLE
                    return False
                return True

            await eventually(served_again, timeout=15)
            assert (await health.Check(health_pb2.HealthCheckRequest())).status == SERVING
            opened = await ledger.OpenAccount(ledger_pb.OpenAccountRequest(
                client_id="open-after", owner_type=ledger_pb.OWNER_TYPE_PERSON, owner_id="usr_after", asset="EUR"))
            assert opened.account.owner_id == "usr_after" and opened.account.scale == 2
    finally:
        await server.stop(grace=1)
        await forwarder.cut()
        await runtime.db.dispose()
