"""All queries of DARCA ID."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel.ext.asyncio.session import AsyncSession

from .tables import UserRow, VerificationCodeRow


class IdentityRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def user(self, user_id: str, *, for_update: bool = False) -> UserRow | None:
        query = select(UserRow).where(UserRow.id == user_id)
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalars().first()

    async def email_taken(self, email_normalised: str) -> bool:
        query = select(UserRow.id).where(UserRow.email_normalised == email_normalised)
        return (await self.session.execute(query)).first() is not None

    async def phone_taken(self, phone: str) -> bool:
        return (await self.session.execute(select(UserRow.id).where(UserRow.phone == phone))).first() is not None

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
