"""All queries of passkeys and their WebAuthn challenges."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.identity.passkeys.tables import PasskeyRow, WebAuthnChallengeRow


class PasskeyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def of_user(self, user_id: str) -> list[PasskeyRow]:
        query = select(PasskeyRow).where(PasskeyRow.user_id == user_id).order_by(PasskeyRow.id.desc())
        return list((await self.session.execute(query)).scalars().all())

    async def has_any(self, user_id: str) -> bool:
        count = await self.session.execute(
            select(func.count()).select_from(PasskeyRow).where(PasskeyRow.user_id == user_id))
        return bool(count.scalar_one())

    async def get(self, passkey_id: str) -> PasskeyRow | None:
        return await self.session.get(PasskeyRow, passkey_id)

    async def by_credential_id(self, credential_id: str, *, for_update: bool = False) -> PasskeyRow | None:
        query = select(PasskeyRow).where(PasskeyRow.credential_id == credential_id)
        return (await self.session.execute(query.with_for_update() if for_update else query)).scalars().first()

    async def challenge(self, challenge_id: str) -> WebAuthnChallengeRow | None:
        query = select(WebAuthnChallengeRow).where(WebAuthnChallengeRow.id == challenge_id).with_for_update()
        return (await self.session.execute(query)).scalars().first()

    async def challenge_by_hash(self, hashed: str, *, user_id: str,
                                step_up_id: str | None = None) -> WebAuthnChallengeRow | None:
        """The challenge with this hash issued to the user (for this step-up, when one is given)."""
        query = select(WebAuthnChallengeRow).where(WebAuthnChallengeRow.challenge_hash == hashed,
                                                   WebAuthnChallengeRow.user_id == user_id)
        if step_up_id is not None:
            query = query.where(WebAuthnChallengeRow.step_up_id == step_up_id)
        return (await self.session.execute(query.with_for_update())).scalars().first()

    async def add(self, row: object) -> None:
        self.session.add(row)
        await self.session.flush()

    async def save(self, row: object) -> None:
        self.session.add(row)

    async def delete(self, row: object) -> None:
        await self.session.delete(row)
