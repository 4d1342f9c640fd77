"""A request context for code a test calls directly, outside any HTTP request."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from core.platform.context import RequestContext
from core.platform.security import Principal

SYSTEM = Principal("system", "SYSTEM")


def system_context(session: AsyncSession, principal: Principal = SYSTEM) -> RequestContext:
    return RequestContext.of_work(session, principal, request_id="test")
