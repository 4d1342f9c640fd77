"""gRPC darca.platform.v1.AssetRegistryService, beside the HTTP handler of the asset registry."""

from __future__ import annotations

import grpc

from core.assets.api import Asset, get_asset, list_assets
from core.platform.api import Database, ProblemError, RequestContext, publishers_for
from generated.proto.darca.platform.v1 import assets_pb2, assets_pb2_grpc
from handlers.common import abort, grpc_caller

KINDS = {"FIAT": assets_pb2.ASSET_KIND_FIAT, "CRYPTO": assets_pb2.ASSET_KIND_CRYPTO}
STATUSES = {"ACTIVE": assets_pb2.ASSET_STATUS_ACTIVE, "DISABLED": assets_pb2.ASSET_STATUS_DISABLED}
KIND_NAMES = {v: k for k, v in KINDS.items()}


def to_message(row: Asset) -> assets_pb2.Asset:
    return assets_pb2.Asset(code=row.code, name=row.name, kind=KINDS[row.kind], scale=row.scale,
                            status=STATUSES[row.status], version=row.version)


class AssetRegistryServicer(assets_pb2_grpc.AssetRegistryServiceServicer):
    def __init__(self, db: Database) -> None:
        self.db = db

    def _context(self, session) -> RequestContext:  # type: ignore[no-untyped-def]
        return RequestContext(session=session, principal=grpc_caller(), request_id="grpc", trace_id=None,
                              events=publishers_for(session))

    async def ListAssets(self, request, context):  # type: ignore[no-untyped-def]
        limit = request.limit or 20
        if limit > 100:
            await abort(context, ProblemError(400, "VALIDATION_FAILED", "Validation failed", "limit must be 1 to 100"))
        try:
            async with self.db.unit_of_work() as session:
                page = await list_assets(self._context(session), limit=limit, cursor=request.cursor or None,
                                         kind=KIND_NAMES.get(request.kind))
        except ProblemError as problem:
            await abort(context, problem)
        return assets_pb2.ListAssetsResponse(
            assets=[to_message(r) for r in page.items], has_more=page.has_more, next_cursor=page.next_cursor or ""
        )

    async def GetAsset(self, request, context):  # type: ignore[no-untyped-def]
        try:
            async with self.db.unit_of_work() as session:
                row = await get_asset(self._context(session), request.code)
        except ProblemError as problem:
            await abort(context, problem)
        return assets_pb2.GetAssetResponse(asset=to_message(row))


def add_assets_servicer(server: grpc.aio.Server, db: Database) -> None:
    assets_pb2_grpc.add_AssetRegistryServiceServicer_to_server(AssetRegistryServicer(db), server)
