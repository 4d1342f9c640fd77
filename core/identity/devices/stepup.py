"""The device rule for sensitive actions: from a new, untrusted device they take a fresh step-up.

Built on the step-up of mfa (below devices): consuming a challenge and the methods a user can pass one
with (passkeys among them, handed in by the caller). Services above (passkeys, companies) and the facade
call `require_step_up`."""

from __future__ import annotations

from core.identity.devices.repository import DeviceRepository
from core.identity.devices.service import requires_step_up
from core.identity.mfa.stepup import PasskeyFactor, available_methods, consume_step_up, step_up_required
from core.platform.context import RequestContext


async def device_requires_step_up(ctx: RequestContext) -> bool:
    """Whether a sensitive action by the caller must be stepped up because of its device. Only user
    sessions have devices; a session bound to no device (opened before devices existed) counts as new."""
    principal = ctx.principal
    if principal.kind != "USER":
        return False
    row = await DeviceRepository(ctx.session).get(principal.device_id) if principal.device_id else None
    if row is not None and row.user_id != principal.id:
        row = None
    return requires_step_up(row)


async def require_step_up(ctx: RequestContext, action: str, step_up_id: str | None, passkeys: PasskeyFactor) -> None:
    """Pass when the caller's device needs no step-up, or when `step_up_id` is a verified step-up for
    `action` (it is consumed); otherwise 403 `STEP_UP_REQUIRED`."""
    if not await device_requires_step_up(ctx):
        return
    principal = ctx.principal
    if await consume_step_up(ctx, user_id=principal.id, step_up_id=step_up_id, action=action):
        return
    raise step_up_required(action, methods=await available_methods(ctx, principal.id, passkeys),
                           detail=f"This device is new and not trusted: create a step-up for `{action}` at "
                                  "/v1/step-ups, verify it, and send its id as X-Step-Up-Id.")
