"""What a handler gets for one request: the unit of work, the caller, and the event publishers."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from generated.asyncapi.publishers import Publishers

from .observability import current_trace_id, current_traceparent
from .outbox import publishers_for
from .security import Principal


@dataclass
class RequestContext:
    session: AsyncSession
    principal: Principal
    request_id: str
    trace_id: str | None
    events: Publishers
    client_address: str | None = None  # for per-address throttling (DARCA ID)
    # The request's User-Agent, to help a user recognise a device; read from the request, never a contract
    # parameter (browsers do not let scripts set it)
    user_agent: str | None = None

    @classmethod
    def of_work(cls, session: AsyncSession, principal: Principal, *, request_id: str = "") -> RequestContext:
        """The context of work no HTTP request carries (a gRPC call, a background job, a CLI command, a
        test): `session` is its unit of work, and its events go to that session's outbox, traced from the
        current span."""
        return cls(session=session, principal=principal, request_id=request_id, trace_id=current_trace_id(),
                   events=publishers_for(session, current_traceparent()))
