"""All queries of devices."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from core.identity.devices.tables import DeviceRow


class DeviceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, device_id: str, *, for_update: bool = False) -> DeviceRow | None:
        return await self.session.get(DeviceRow, device_id, with_for_update=for_update)

    async def live_by_key(self, key: str) -> DeviceRow | None:
        query = select(DeviceRow).where(DeviceRow.key_hash == key).with_for_update()
        return (await self.session.execute(query)).scalars().first()

    async def user_had_device(self, user_id: str) -> bool:
        return bool(await self.session.scalar(select(exists().where(DeviceRow.user_id == user_id))))

    async def page(self, user_id: str, *, before_id: str | None, limit: int) -> list[DeviceRow]:
        query = select(DeviceRow).where(DeviceRow.user_id == user_id, DeviceRow.revoked_at.is_(None))
        if before_id is not None:
            query = query.where(DeviceRow.id < before_id)
        return list((await self.session.execute(query.order_by(DeviceRow.id.desc()).limit(limit))).scalars().all())

    async def seen(self, device_id: str, now: datetime) -> None:
        await self.session.execute(update(DeviceRow).where(DeviceRow.id == device_id).values(last_seen_at=now)
                                   .execution_options(synchronize_session=False))

    def add(self, row: DeviceRow) -> None:
        self.session.add(row)
