"""All queries of the throttle."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.identity.throttle.tables import ThrottleRow


class ThrottleRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, key: str) -> ThrottleRow | None:
        """The row of `key`, locked: two requests never both count from the same value."""
        query = select(ThrottleRow).where(ThrottleRow.key == key).with_for_update()
        return (await self.session.execute(query)).scalars().first()

    async def save(self, *rows: ThrottleRow) -> None:
        self.session.add_all(rows)
        await self.session.flush()

    async def delete(self, row: ThrottleRow) -> None:
        await self.session.delete(row)
