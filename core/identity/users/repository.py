"""All queries of DARCA ID."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.identity.users.tables import CollidingRegistrationRow, UserRow, VerificationCodeRow


class IdentityRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def user(self, user_id: str, *, for_update: bool = False) -> UserRow | None:
        query = select(UserRow).where(UserRow.id == user_id)
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalars().first()

    async def user_by_email(self, email_normalised: str) -> UserRow | None:
        query = select(UserRow).where(UserRow.email_normalised == email_normalised)
        return (await self.session.execute(query)).scalars().first()

    async def user_by_phone(self, phone: str) -> UserRow | None:
        return (await self.session.execute(select(UserRow).where(UserRow.phone == phone))).scalars().first()

    async def colliding(self, registration_id: str) -> CollidingRegistrationRow | None:
        query = select(CollidingRegistrationRow).where(CollidingRegistrationRow.id == registration_id)
        return (await self.session.execute(query.with_for_update())).scalars().first()

    async def code(self, user_id: str, channel: str) -> VerificationCodeRow | None:
        query = select(VerificationCodeRow).where(VerificationCodeRow.user_id == user_id,
                                                  VerificationCodeRow.channel == channel).with_for_update()
        return (await self.session.execute(query)).scalars().first()

    def add(self, row: object) -> None:
        self.session.add(row)

    async def delete(self, row: object) -> None:
        await self.session.delete(row)

    async def flush(self) -> None:
        await self.session.flush()
