from __future__ import annotations

from core.identity import api as identity
from core.platform.api import RequestContext
from generated.openapi import models
from generated.openapi.routes import DevicesHandlers
from handlers.common import user_id


def to_model(ctx: RequestContext, row: identity.Device) -> models.Device:
    device = models.Device(id=models.DeviceId(row.id), trusted=row.trusted, requires_step_up=row.requires_step_up,
                           current=row.id == ctx.principal.device_id, first_seen_at=row.first_seen_at,
                           last_seen_at=row.last_seen_at)
    if row.name:
        device.name = row.name
    if row.user_agent:
        device.user_agent = row.user_agent
    if row.last_client_address:
        device.last_client_address = row.last_client_address
    if row.trusted and row.trusted_until is not None:
        device.trusted_until = row.trusted_until
    return device


class DevicesHandler(DevicesHandlers):
    async def list_devices(self, ctx: RequestContext, *, limit: int, cursor: str | None) -> models.DevicePage:
        page = await identity.list_devices(ctx, user_id(ctx), limit=limit, cursor=cursor)
        result = models.DevicePage(has_more=page.has_more, data=[to_model(ctx, r) for r in page.items])
        if page.next_cursor:
            result.next_cursor = page.next_cursor
        return result

    async def get_device(self, ctx: RequestContext, *, device_id: str) -> models.Device:
        return to_model(ctx, await identity.get_device(ctx, user_id(ctx), device_id))

    async def trust_device(self, ctx: RequestContext, *, device_id: str, x_step_up_id: str | None) -> models.Device:
        return to_model(ctx, await identity.trust_device(ctx, user_id(ctx), device_id, x_step_up_id))

    async def untrust_device(self, ctx: RequestContext, *, device_id: str) -> models.Device:
        return to_model(ctx, await identity.untrust_device(ctx, user_id(ctx), device_id))

    async def revoke_device(self, ctx: RequestContext, *, device_id: str) -> None:
        await identity.revoke_device(ctx, user_id(ctx), device_id)
