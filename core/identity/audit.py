"""DARCA ID's security-relevant actions into the audit chain, in the request's unit of work."""

from __future__ import annotations

from typing import Any

from core.audit.api import AuditEntry, record
from core.platform.context import RequestContext


async def audit(ctx: RequestContext, action: str, result: str, *, target: str | None = None,
                reason: str | None = None, actor_id: str | None = None, **details: Any) -> None:
    """Who (the caller, or `actor_id` when the caller is not yet authenticated), what, on which
    object, with what result and why, from which device and address."""
    principal = ctx.principal
    await record(ctx.session, AuditEntry(
        actor_id=actor_id or principal.id, actor_kind="USER" if actor_id else principal.kind, action=action,
        result=result, target=target, reason=reason, device_id=principal.device_id,
        client_ip=ctx.client_address, details=details))
