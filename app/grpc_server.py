"""gRPC server (grpc.aio) for core services and modules; shares the runtime with the HTTP API."""

from __future__ import annotations

from typing import Protocol

import grpc

from core.assets.api import Asset, get_asset, list_assets
from core.ledger.api import Ledger
from core.platform.context import RequestContext
from core.platform.db import Database
from core.platform.outbox import publishers_for
from core.platform.problems import ProblemError
from core.platform.settings import Settings
from generated.proto.darca.platform.v1 import assets_pb2, assets_pb2_grpc
from handlers.common import abort
from handlers.ledger.grpc import add_ledger_servicer

from .grpc_auth import CallerAuthInterceptor, credentials_for, darca_services, grpc_caller, required_scopes
from .grpc_outages import OutageInterceptor
from .grpc_tls import server_credentials

LEDGER_SERVICE = "darca.ledger.v1.LedgerService"  # served only where the ledger runs


class ServingRuntime(Protocol):
    """What the gRPC server needs of the platform process (app/runtime.py: `Runtime`)."""

    settings: Settings
    db: Database
    ledger: Ledger | None


KINDS = {"FIAT": assets_pb2.ASSET_KIND_FIAT, "CRYPTO": assets_pb2.ASSET_KIND_CRYPTO}
STATUSES = {"ACTIVE": assets_pb2.ASSET_STATUS_ACTIVE, "DISABLED": assets_pb2.ASSET_STATUS_DISABLED}
KIND_NAMES = {v: k for k, v in KINDS.items()}


def to_message(row: Asset) -> assets_pb2.Asset:
    return assets_pb2.Asset(code=row.code, name=row.name, kind=KINDS[row.kind], scale=row.scale,
                            status=STATUSES[row.status], version=row.version)


class AssetRegistryServicer(assets_pb2_grpc.AssetRegistryServiceServicer):
    def __init__(self, runtime: ServingRuntime) -> None:
        self.runtime = runtime

    def _context(self, session) -> RequestContext:  # type: ignore[no-untyped-def]
        return RequestContext(session=session, principal=grpc_caller(), request_id="grpc", trace_id=None,
                              events=publishers_for(session))

    async def ListAssets(self, request, context):  # type: ignore[no-untyped-def]
        limit = request.limit or 20
        if limit > 100:
            await abort(context, ProblemError(400, "VALIDATION_FAILED", "Validation failed", "limit must be 1 to 100"))
        try:
            async with self.runtime.db.unit_of_work() as session:
                page = await list_assets(self._context(session), limit=limit, cursor=request.cursor or None,
                                         kind=KIND_NAMES.get(request.kind))
        except ProblemError as problem:
            await abort(context, problem)
        return assets_pb2.ListAssetsResponse(
            assets=[to_message(r) for r in page.items], has_more=page.has_more, next_cursor=page.next_cursor or ""
        )

    async def GetAsset(self, request, context):  # type: ignore[no-untyped-def]
        try:
            async with self.runtime.db.unit_of_work() as session:
                row = await get_asset(self._context(session), request.code)
        except ProblemError as problem:
            await abort(context, problem)
        return assets_pb2.GetAssetResponse(asset=to_message(row))


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
    server = grpc.aio.server(options=limits, interceptors=[interceptor, OutageInterceptor()])
    assets_pb2_grpc.add_AssetRegistryServiceServicer_to_server(AssetRegistryServicer(runtime), server)
    if runtime.ledger is not None:
        add_ledger_servicer(server, runtime.ledger)
    address = f"{host or runtime.settings.http_host}:{port}"
    bound = server.add_insecure_port(address) if transport is None else server.add_secure_port(address, transport)
    await server.start()
    server.bound_port = bound  # type: ignore[attr-defined]
    return server
