from __future__ import annotations

from core.identity.device_tables import DeviceRow
from core.identity.devices import (
    DeviceService,
    is_trusted,
    require_step_up,
    requires_step_up,
)
from core.notifications.mailer import Mailer
from core.platform.clock import utcnow
from core.platform.context import RequestContext
from generated.openapi import models
from generated.openapi.routes import DevicesHandlers
from handlers.identity.handler import user_id

TRUST_ACTION = "identity.device.trust"


def to_model(ctx: RequestContext, row: DeviceRow) -> models.Device:
    now = utcnow()
    trusted = is_trusted(row, now)
    device = models.Device(id=models.DeviceId(row.id), trusted=trusted, requires_step_up=requires_step_up(row, now),
                           current=row.id == ctx.principal.device_id, first_seen_at=row.first_seen_at,
                           last_seen_at=row.last_seen_at)
    if row.name:
        device.name = row.name
    if row.user_agent:
        device.user_agent = row.user_agent
    if row.last_client_address:
        device.last_client_address = row.last_client_address
    if trusted and row.trusted_until is not None:
        device.trusted_until = row.trusted_until
    return device


class DevicesHandler(DevicesHandlers):
    def __init__(self, mailer: Mailer) -> None:
        self.mailer = mailer

    async def list_devices(self, ctx: RequestContext, *, limit: int, cursor: str | None) -> models.DevicePage:
        page = await DeviceService(ctx, self.mailer).list(user_id(ctx), limit=limit, cursor=cursor)
        result = models.DevicePage(has_more=page.has_more, data=[to_model(ctx, r) for r in page.items])
        if page.next_cursor:
            result.next_cursor = page.next_cursor
        return result

    async def get_device(self, ctx: RequestContext, *, device_id: str) -> models.Device:
        return to_model(ctx, await DeviceService(ctx, self.mailer).get(user_id(ctx), device_id))

    async def trust_device(self, ctx: RequestContext, *, device_id: str, x_step_up_id: str | None) -> models.Device:
        owner = user_id(ctx)
        service = DeviceService(ctx, self.mailer)
        await service.get(owner, device_id)  # 404 before any step-up talk
        await require_step_up(ctx.session, ctx.principal, TRUST_ACTION, x_step_up_id)
        return to_model(ctx, await service.trust(owner, device_id))

    async def untrust_device(self, ctx: RequestContext, *, device_id: str) -> models.Device:
        return to_model(ctx, await DeviceService(ctx, self.mailer).untrust(user_id(ctx), device_id))

    async def revoke_device(self, ctx: RequestContext, *, device_id: str) -> None:
        await DeviceService(ctx, self.mailer).revoke(user_id(ctx), device_id)
