"""Decisions of the asset registry: look-ups, registration, and the start-up sync of defaults."""

from __future__ import annotations

from dataclasses import dataclass
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
        defaults = yaml.safe_load(path.read_text(encoding="utf-8"))["assets"]
        present = await self.repo.all_codes()
        added = []
        for entry in defaults:
            if entry["code"] not in present:
                await self.register(NewAsset(**entry))
                added.append(entry["code"])
        return added
