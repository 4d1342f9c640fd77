"""Decisions of the asset registry: look-ups, registration, and the start-up sync of defaults."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from sqlalchemy.exc import IntegrityError

from core.platform.clock import as_utc, utcnow
from core.platform.context import RequestContext
from core.platform.pagination import PageSlice, decode_cursor, slice_page
from generated.asyncapi import events

from . import errors
from .repository import AssetRepository
from .tables import AssetRow

DEFAULT_REGISTRY = Path(__file__).with_name("registry.yaml")
SANDBOX_TOP_UP_DEFAULT_UNITS = 1_000_000  # whole units of an asset whose registry entry names no ceiling


def _defaults(path: Path = DEFAULT_REGISTRY) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["assets"]


def default_codes() -> list[str]:
    return [e["code"] for e in _defaults()]


@cache
def _top_up_ceilings() -> dict[str, str]:
    return {e["code"]: e["sandbox_top_up_max"] for e in _defaults() if "sandbox_top_up_max" in e}


def sandbox_top_up_max(code: str, scale: int) -> int:
    """The largest single sandbox top-up of `code`, in minor units: the registry's `sandbox_top_up_max`,
    else SANDBOX_TOP_UP_DEFAULT_UNITS whole units."""
    text = _top_up_ceilings().get(code)
    if text is None:
        return SANDBOX_TOP_UP_DEFAULT_UNITS * 10**scale
    whole, _, frac = text.partition(".")
    if len(frac) != scale:
        raise ValueError(f"sandbox_top_up_max of {code} must have exactly {scale} decimals")
    return int(whole + frac)


@dataclass(frozen=True)
class NewAsset:
    code: str
    name: str
    kind: str
    scale: int


def snapshot(row: AssetRow) -> events.AssetSnapshot:
    return events.AssetSnapshot(
        code=row.code, name=row.name, kind=events.AssetKind(row.kind), scale=row.scale,
        status=events.AssetStatus(row.status), version=row.version,
    )


def normalise(row: AssetRow) -> AssetRow:
    row.created_at = as_utc(row.created_at)
    row.updated_at = as_utc(row.updated_at)
    return row


class AssetService:
    def __init__(self, ctx: RequestContext) -> None:
        self.ctx = ctx
        self.repo = AssetRepository(ctx.session)

    async def get(self, code: str) -> AssetRow:
        row = await self.repo.get(code)
        if row is None:
            raise errors.asset_not_found(code)
        return normalise(row)

    async def page(self, *, limit: int, cursor: str | None, kind: str | None) -> PageSlice[AssetRow]:
        after = decode_cursor(cursor)
        rows = await self.repo.page(after=str(after[0]) if after else None, limit=limit + 1, kind=kind)
        return slice_page([normalise(r) for r in rows], limit, lambda row: [row.code])

    async def register(self, new: NewAsset) -> AssetRow:
        if await self.repo.get(new.code) is not None:
            raise errors.asset_exists(new.code)
        now = utcnow()
        row = AssetRow(code=new.code, name=new.name, kind=new.kind, scale=new.scale, status="ACTIVE",
                       created_at=now, updated_at=now, version=1)
        self.repo.add(row)
        try:
            await self.ctx.session.flush()
        except IntegrityError:  # registered concurrently by someone else
            raise errors.asset_exists(new.code) from None
        self.ctx.events.asset_registry_changed(
            events.AssetRegistryChangedData(change=events.AssetChange.CREATED, asset=snapshot(row)),
            subject=f"asset/{row.code}",
            partition_key=f"asset:{row.code}",
        )
        return row

    async def sync_defaults(self, path: Path = DEFAULT_REGISTRY) -> list[str]:
        """Register the default assets that are missing; returns the codes added."""
        present = await self.repo.all_codes()
        added = []
        for entry in _defaults(path):
            if entry["code"] not in present:
                await self.register(NewAsset(entry["code"], entry["name"], entry["kind"], entry["scale"]))
                added.append(entry["code"])
        return added
