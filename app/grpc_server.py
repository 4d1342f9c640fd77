"""gRPC server (grpc.aio) for core services and modules; shares the runtime with the HTTP API."""

from __future__ import annotations

from typing import Protocol

import grpc

from core.ledger.api import Ledger
from core.platform.db import Database
from core.platform.settings import Settings
from handlers.assets.grpc import add_assets_servicer
from handlers.ledger.grpc import add_ledger_servicer

from .grpc_auth import CallerAuthInterceptor, credentials_for, darca_services, required_scopes
from .grpc_outages import OutageInterceptor
from .grpc_tls import server_credentials

LEDGER_SERVICE = "darca.ledger.v1.LedgerService"  # served only where the ledger runs


class ServingRuntime(Protocol):
    """What the gRPC server needs of the platform process (app/runtime.py: `Runtime`)."""

    settings: Settings
    db: Database
    ledger: Ledger | None


async def start_grpc_server(runtime: ServingRuntime, port: int, host: str | None = None) -> grpc.aio.Server:
    """Serves the core services to authenticated callers only (app/grpc_auth.py), over TLS when
    configured (app/grpc_tls.py); in PRODUCTION without configured credentials it raises
    GrpcAuthNotConfigured, without TLS (and without the plaintext opt-in)
    GrpcTransportNotConfigured, instead of starting."""
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
    address = f"{host or runtime.settings.http_host}:{port}"
    bound = server.add_insecure_port(address) if transport is None else server.add_secure_port(address, transport)
    await server.start()
    server.bound_port = bound  # type: ignore[attr-defined]
    return server
