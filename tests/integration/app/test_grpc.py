"""The gRPC asset registry, served beside HTTP from the same runtime."""

from __future__ import annotations

import grpc
import pytest

from app.grpc_server import start_grpc_server
from generated.proto.darca.platform.v1 import assets_pb2, assets_pb2_grpc
from tests.conftest import Platform
from tests.support.grpc_callers import problem_code, service_channel


@pytest.mark.backends("sqlite", "postgresql")  # smoke: gRPC
async def test_list_and_get_over_grpc(platform: Platform) -> None:
    server = await start_grpc_server(platform.runtime, 0, host="127.0.0.1")
    try:
        async with service_channel(server.bound_port) as channel:
            stub = assets_pb2_grpc.AssetRegistryServiceStub(channel)
            first = await stub.ListAssets(assets_pb2.ListAssetsRequest(limit=5))
            assert [a.code for a in first.assets] == ["BTC", "CHF", "ETH", "EUR", "GBP"]
            assert first.has_more
            rest = await stub.ListAssets(assets_pb2.ListAssetsRequest(limit=5, cursor=first.next_cursor))
            assert [a.code for a in rest.assets] == ["JPY", "USD", "USDT"]
            assert not rest.has_more and rest.next_cursor == ""
            crypto = await stub.ListAssets(assets_pb2.ListAssetsRequest(kind=assets_pb2.ASSET_KIND_CRYPTO))
            assert {a.code for a in crypto.assets} == {"BTC", "ETH", "USDT"}

            eth = (await stub.GetAsset(assets_pb2.GetAssetRequest(code="ETH"))).asset
            assert (eth.scale, eth.kind, eth.status) == (18, assets_pb2.ASSET_KIND_CRYPTO, assets_pb2.ASSET_STATUS_ACTIVE)

            with pytest.raises(grpc.aio.AioRpcError) as missing:
                await stub.GetAsset(assets_pb2.GetAssetRequest(code="XYZ"))
            assert missing.value.code() == grpc.StatusCode.NOT_FOUND
            assert problem_code(missing.value) == "ASSET_NOT_FOUND"
            assert missing.value.details() == "No asset with code XYZ is registered."  # no code in front

            with pytest.raises(grpc.aio.AioRpcError) as bad_cursor:
                await stub.ListAssets(assets_pb2.ListAssetsRequest(cursor="garbage!"))
            assert bad_cursor.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    finally:
        await server.stop(None)
