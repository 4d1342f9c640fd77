"""Passkeys as the second factor of a step-up: what mfa's `PasskeyFactor` asks, answered in the caller's
unit of work. Handed to mfa (which sits below passkeys and never imports them)."""

from __future__ import annotations

from typing import Any

from core.identity.passkeys.ceremony import RelyingParty, verify_step_up_assertion
from core.identity.passkeys.repository import PasskeyRepository
from core.platform.context import RequestContext


class PasskeySecondFactor:
    def __init__(self, ctx: RequestContext, rp: RelyingParty | None = None) -> None:
        self.ctx = ctx
        self.rp = rp  # None: the relying party of the settings

    async def registered(self, user_id: str) -> bool:
        return await PasskeyRepository(self.ctx.session).has_any(user_id)

    async def verify_step_up(self, user_id: str, step_up_id: str, credential: dict[str, Any]) -> bool:
        return await verify_step_up_assertion(self.ctx.session, user_id=user_id, step_up_id=step_up_id,
                                              credential=credential, rp=self.rp)
