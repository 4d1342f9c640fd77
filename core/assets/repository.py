"""All queries of the asset registry."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel.ext.asyncio.session import AsyncSession

from .tables import AssetRow


class AssetRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, code: str) -> AssetRow | None:
        return await self.session.get(AssetRow, code)

    async def page(self, *, after: str | None, limit: int, kind: str | None) -> list[AssetRow]:
        query = select(AssetRow).order_by(AssetRow.code).limit(limit)
        if after is not None:
            query = query.where(AssetRow.code > after)
        if kind is not None:
            query = query.where(AssetRow.kind == kind)
        return list((await self.session.execute(query)).scalars().all())

    async def scales(self) -> dict[str, int]:
        rows = (await self.session.execute(select(AssetRow.code, AssetRow.scale))).all()
        return {code: scale for code, scale in rows}

    async def all_codes(self) -> set[str]:
        return set((await self.session.execute(select(AssetRow.code))).scalars().all())

    def add(self, row: AssetRow) -> None:
        self.session.add(row)
