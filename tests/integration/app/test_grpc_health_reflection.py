"""gRPC health checking and server reflection are served, to callers without credentials, on a real channel."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import grpc
import pytest
from google.protobuf import descriptor_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from app.grpc_server import start_grpc_server
from tests.conftest import Platform
from tests.support.grpc_callers import service_channel

DARCA_SERVICES = {"darca.ledger.v1.LedgerService", "darca.platform.v1.AssetRegistryService"}


@asynccontextmanager
async def anonymous_channel(platform: Platform) -> AsyncIterator[grpc.aio.Channel]:
    server = await start_grpc_server(platform.runtime, 0, host="127.0.0.1")
    try:
        async with service_channel(server.bound_port, token=None) as channel:
            yield channel
    finally:
        await server.stop(None)


async def test_health_check_answers_serving_for_the_server_and_each_service(platform: Platform) -> None:
    async with anonymous_channel(platform) as channel:
        health = health_pb2_grpc.HealthStub(channel)
        for service in ("", *DARCA_SERVICES):
            reply = await health.Check(health_pb2.HealthCheckRequest(service=service), timeout=5)
            assert reply.status == health_pb2.HealthCheckResponse.SERVING, service
        with pytest.raises(grpc.aio.AioRpcError) as unknown:
            await health.Check(health_pb2.HealthCheckRequest(service="darca.nothing.v1.Nope"), timeout=5)
        assert unknown.value.code() == grpc.StatusCode.NOT_FOUND

        watch = health.Watch(health_pb2.HealthCheckRequest(service=""), timeout=5)
        assert (await watch.read()).status == health_pb2.HealthCheckResponse.SERVING
        watch.cancel()


async def reflect(channel: grpc.aio.Channel, method: str,
                  *requests: reflection_pb2.ServerReflectionRequest) -> list[reflection_pb2.ServerReflectionResponse]:
    call = channel.stream_stream(method, request_serializer=reflection_pb2.ServerReflectionRequest.SerializeToString,
                                 response_deserializer=reflection_pb2.ServerReflectionResponse.FromString)
    return [reply async for reply in call(iter(requests), timeout=5)]


@pytest.mark.parametrize("version", ["v1alpha", "v1"])  # grpcurl asks v1 first, older tools v1alpha
async def test_reflection_lists_and_describes_the_darca_services(platform: Platform, version: str) -> None:
    method = f"/grpc.reflection.{version}.ServerReflection/ServerReflectionInfo"
    async with anonymous_channel(platform) as channel:
        listed, described = await reflect(
            channel, method, reflection_pb2.ServerReflectionRequest(list_services=""),
            reflection_pb2.ServerReflectionRequest(file_containing_symbol="darca.ledger.v1.LedgerService"))
    names = {s.name for s in listed.list_services_response.service}
    assert names >= {*DARCA_SERVICES, "grpc.health.v1.Health"}
    files = [descriptor_pb2.FileDescriptorProto.FromString(raw)
             for raw in described.file_descriptor_response.file_descriptor_proto]
    ledger = next(f for f in files if f.name == "darca/ledger/v1/ledger.proto")
    assert "OpenAccount" in {m.name for s in ledger.service for m in s.method}
    # what a client needs to build the messages comes along: the imports
    assert {"darca/auth/v1/options.proto", "google/protobuf/timestamp.proto"} <= {f.name for f in files}


async def test_reflection_is_the_generated_stub_too(platform: Platform) -> None:
    async with anonymous_channel(platform) as channel:
        stub = reflection_pb2_grpc.ServerReflectionStub(channel)
        replies = [r async for r in stub.ServerReflectionInfo(
            iter([reflection_pb2.ServerReflectionRequest(list_services="")]), timeout=5)]
    assert DARCA_SERVICES <= {s.name for s in replies[0].list_services_response.service}
