"""The asset registry's facade for handlers, other core domains and modules: typed look-ups,
registration, the start-up sync of the defaults, and each asset's sandbox top-up ceiling."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from core.platform.context import RequestContext
from core.platform.pagination import PageSlice

from .repository import AssetRepository
from .service import SANDBOX_TOP_UP_DEFAULT_UNITS, AssetService, NewAsset, default_codes, sandbox_top_up_max
from .tables import AssetRow

__all__ = ["SANDBOX_TOP_UP_DEFAULT_UNITS", "Asset", "NewAsset", "asset_scales", "default_asset_codes", "get_asset",
           "list_assets", "register_asset", "sandbox_top_up_max", "scale_of", "sync_default_assets"]


@dataclass(frozen=True)
class Asset:
    code: str
    name: str
    kind: str  # FIAT or CRYPTO
    scale: int  # digits after the decimal point of the asset's minor unit
    status: str  # ACTIVE or DISABLED
    created_at: datetime
    updated_at: datetime
    version: int


def _asset(row: AssetRow) -> Asset:
    return Asset(code=row.code, name=row.name, kind=row.kind, scale=row.scale, status=row.status,
                 created_at=row.created_at, updated_at=row.updated_at, version=row.version)


async def get_asset(ctx: RequestContext, code: str) -> Asset:
    """The asset, or 404 ASSET_NOT_FOUND."""
    return _asset(await AssetService(ctx).get(code))


async def scale_of(ctx: RequestContext, code: str) -> int:
    return (await get_asset(ctx, code)).scale


async def asset_scales(session: AsyncSession) -> dict[str, int]:
    """Every registered asset's scale, read in the caller's unit of work (the ledger's reference data)."""
    return await AssetRepository(session).scales()


async def list_assets(ctx: RequestContext, *, limit: int, cursor: str | None, kind: str | None) -> PageSlice[Asset]:
    page = await AssetService(ctx).page(limit=limit, cursor=cursor, kind=kind)
    return PageSlice([_asset(row) for row in page.items], page.has_more, page.next_cursor)


async def register_asset(ctx: RequestContext, new: NewAsset) -> Asset:
    """Registers the asset and publishes `darca.asset.registry_changed.v1`; 409 ASSET_ALREADY_EXISTS."""
    return _asset(await AssetService(ctx).register(new))


async def sync_default_assets(ctx: RequestContext) -> list[str]:
    """Registers the default assets (core/assets/registry.yaml) that are missing; the codes added."""
    return await AssetService(ctx).sync_defaults()


def default_asset_codes() -> list[str]:
    """The codes of the assets every deployment starts with (core/assets/registry.yaml), in its order."""
    return default_codes()
