"""What a handler gets for one request: the unit of work, the caller, and the event publishers."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from generated.asyncapi.publishers import Publishers

from .security import Principal


@dataclass
class RequestContext:
    session: AsyncSession
    principal: Principal
    request_id: str
    trace_id: str | None
    events: Publishers
    client_address: str | None = None  # for per-address throttling (DARCA ID)
