"""All queries of the second factor: TOTP factors and step-up challenges."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from core.identity.mfa.tables import StepUpRow, TotpFactorRow


class MfaRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def factor(self, user_id: str, *, lock: bool = False) -> TotpFactorRow | None:
        query = select(TotpFactorRow).where(TotpFactorRow.user_id == user_id)
        return (await self.session.execute(query.with_for_update() if lock else query)).scalars().first()

    async def step_up(self, step_up_id: str, *, for_update: bool = False) -> StepUpRow | None:
        return await self.session.get(StepUpRow, step_up_id, with_for_update=for_update)

    async def move_step_up(self, row: StepUpRow, from_status: str, **values: Any) -> bool:
        """Conditional on the status: of two concurrent movers only one changes the row (then reloaded)."""
        result = await self.session.execute(
            update(StepUpRow).where(StepUpRow.id == row.id, StepUpRow.status == from_status).values(**values)
            .execution_options(synchronize_session=False))
        if result.rowcount != 1:  # type: ignore[attr-defined]
            return False
        await self.session.refresh(row)
        return True

    async def add(self, row: object) -> None:
        self.session.add(row)
        await self.session.flush()

    async def delete(self, row: object) -> None:
        await self.session.delete(row)
