"""gRPC server (grpc.aio) for core services and modules; shares the runtime with the HTTP API."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol

import grpc
from grpc_reflection.v1alpha import reflection, reflection_pb2

from core.ledger.api import Ledger
from core.platform.db import Database
from core.platform.settings import Settings
from handlers.assets.grpc import add_assets_servicer
from handlers.ledger.grpc import add_ledger_servicer
from handlers.platform.grpc import SERVICE_NAME as HEALTH_SERVICE
from handlers.platform.grpc import add_health_servicer, follow_readiness

from .grpc_auth import CallerAuthInterceptor, credentials_for, darca_services, required_scopes
from .grpc_outages import OutageInterceptor
from .grpc_tls import server_credentials

LEDGER_SERVICE = "darca.ledger.v1.LedgerService"  # served only where the ledger runs
REFLECTION_V1 = "grpc.reflection.v1.ServerReflection"


class ServingRuntime(Protocol):
    """What the gRPC server needs of the platform process (app/runtime.py: `Runtime`)."""

    settings: Settings
    db: Database
    ledger: Ledger | None

    def readiness_checks(self) -> dict[str, Callable[[], Awaitable[None]]]: ...


async def start_grpc_server(runtime: ServingRuntime, port: int, host: str | None = None) -> grpc.aio.Server:
    """Serves the core services to authenticated callers only (app/grpc_auth.py), over TLS when
    configured (app/grpc_tls.py); in PRODUCTION without configured credentials it raises
    GrpcAuthNotConfigured, without TLS (and without the plaintext opt-in)
    GrpcTransportNotConfigured, instead of starting. Health checking (following readiness,
    handlers/platform/grpc.py) and reflection are served to anyone."""
    services = [s for s in darca_services() if runtime.ledger is not None or s.full_name != LEDGER_SERVICE]
    scopes = required_scopes(services)
    interceptor = CallerAuthInterceptor(credentials_for(runtime.settings, scopes.values()), scopes)
    transport = server_credentials(runtime.settings)
    # Ledger batches of several thousand transactions exceed gRPC's default 4 MB messages.
    limits = [("grpc.max_receive_message_length", 64 * 1024 * 1024), ("grpc.max_send_message_length", 64 * 1024 * 1024)]
    # Every worker process (DARCA_WORKERS) binds the gRPC port; SO_REUSEPORT lets the kernel share
    # the connections among them. gRPC's default on Linux, stated because several processes rely on it.
    options = [*limits, ("grpc.so_reuseport", 1)]
    server = grpc.aio.server(options=options, interceptors=[interceptor, OutageInterceptor()])
    add_assets_servicer(server, runtime.db)
    if runtime.ledger is not None:
        add_ledger_servicer(server, runtime.ledger)
    served = [s.full_name for s in services]
    health = add_health_servicer(server, runtime.readiness_checks(), served)
    add_reflection(server, [*served, HEALTH_SERVICE])
    address = f"{host or runtime.settings.http_host}:{port}"
    bound = server.add_insecure_port(address) if transport is None else server.add_secure_port(address, transport)
    await server.start()
    server.bound_port = bound  # type: ignore[attr-defined]
    follow_readiness(server, health)
    return server


def add_reflection(server: grpc.aio.Server, services: list[str]) -> None:
    """Server reflection (what grpcurl, grpcui and Postman use to list and call services without the
    .proto files), under both names clients ask for: grpc.reflection.v1 and v1alpha. grpcio-reflection
    serves v1alpha; v1 has the same messages on the wire, so the same servicer answers it."""
    names = [*services, reflection.SERVICE_NAME]  # v1 is not listed: its descriptors are not in the pool
    reflection.enable_server_reflection(names, server)
    servicer = reflection.aio.ReflectionServicer(names)
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(REFLECTION_V1, {
        "ServerReflectionInfo": grpc.stream_stream_rpc_method_handler(
            servicer.ServerReflectionInfo,
            request_deserializer=reflection_pb2.ServerReflectionRequest.FromString,
            response_serializer=reflection_pb2.ServerReflectionResponse.SerializeToString),
    }),))
