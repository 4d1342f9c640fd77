from __future__ import annotations

from core.assets.api import Asset, NewAsset, get_asset, list_assets, register_asset
from core.platform.api import RequestContext
from generated.openapi import models
from generated.openapi.routes import AssetsHandlers, Reply


def to_model(row: Asset) -> models.Asset:
    return models.Asset(
        code=models.AssetCode(row.code), name=row.name, kind=models.AssetKind(row.kind), scale=row.scale,
        status=models.AssetStatus(row.status), created_at=row.created_at, updated_at=row.updated_at,
        version=row.version,
    )


class AssetsHandler(AssetsHandlers):
    async def list_assets(
        self, ctx: RequestContext, *, limit: int, cursor: str | None, kind: models.AssetKind | None
    ) -> models.AssetPage:
        page = await list_assets(ctx, limit=limit, cursor=cursor, kind=kind.value if kind else None)
        result = models.AssetPage(has_more=page.has_more, data=[to_model(r) for r in page.items])
        if page.next_cursor:
            result.next_cursor = page.next_cursor
        return result

    async def create_asset(self, ctx: RequestContext, *, body: models.AssetCreate) -> Reply:
        row = await register_asset(
            ctx, NewAsset(code=body.code.root, name=body.name.root, kind=body.kind.value, scale=body.scale)
        )
        return Reply(to_model(row), headers={"Location": f"/v1/assets/{row.code}"})

    async def get_asset(self, ctx: RequestContext, *, code: str) -> models.Asset:
        return to_model(await get_asset(ctx, code))
