"""All queries of sessions: sessions, their refresh tokens, and the token signing keys."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from core.identity.sessions.tables import RefreshTokenRow, SessionRow, SigningKeyRow


class SessionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def refresh_token(self, token_hash: str) -> RefreshTokenRow | None:
        query = select(RefreshTokenRow).where(RefreshTokenRow.token_hash == token_hash).with_for_update()
        return (await self.session.execute(query)).scalars().first()

    async def get(self, session_id: str, *, for_update: bool = False) -> SessionRow | None:
        return await self.session.get(SessionRow, session_id, with_for_update=for_update)

    async def live_page(self, user_id: str, *, idle_since: datetime, started_since: datetime,
                        before_id: str | None, limit: int) -> list[SessionRow]:
        query = select(SessionRow).where(SessionRow.user_id == user_id, SessionRow.revoked_at.is_(None),
                                         SessionRow.last_used_at > idle_since, SessionRow.created_at > started_since)
        if before_id is not None:
            query = query.where(SessionRow.id < before_id)
        return list((await self.session.execute(query.order_by(SessionRow.id.desc()).limit(limit))).scalars().all())

    async def unrevoked(self, user_id: str) -> list[SessionRow]:
        query = select(SessionRow).where(SessionRow.user_id == user_id, SessionRow.revoked_at.is_(None))
        return list((await self.session.execute(query)).scalars().all())

    async def any_of_user(self, user_id: str) -> bool:
        return bool(await self.session.scalar(select(exists().where(SessionRow.user_id == user_id))))

    async def revoke_on_device(self, device_id: str, now: datetime) -> int:
        result = await self.session.execute(
            update(SessionRow).where(SessionRow.device_id == device_id, SessionRow.revoked_at.is_(None))
            .values(revoked_at=now, revoked_reason="DEVICE_REVOKED").execution_options(synchronize_session="fetch"))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def newest_signing_key(self) -> SigningKeyRow | None:
        query = select(SigningKeyRow).where(SigningKeyRow.retired_at.is_(None)).order_by(SigningKeyRow.kid.desc())
        return (await self.session.execute(query)).scalars().first()

    async def unretired_signing_keys(self) -> list[SigningKeyRow]:
        query = select(SigningKeyRow).where(SigningKeyRow.retired_at.is_(None))
        return list((await self.session.execute(query)).scalars().all())

    async def signing_keys(self) -> list[SigningKeyRow]:
        return list((await self.session.execute(select(SigningKeyRow).order_by(SigningKeyRow.kid))).scalars().all())

    async def signing_key(self, kid: str) -> SigningKeyRow | None:
        return await self.session.get(SigningKeyRow, kid)

    async def add(self, row: object, *, flush: bool = False) -> None:
        self.session.add(row)
        if flush:
            await self.session.flush()
