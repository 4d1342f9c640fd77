"""gRPC's side of an outage: a call that fails because the database or the broker is unreachable
ends with UNAVAILABLE, a stable code (google.rpc.ErrorInfo.reason, handlers/common.py), `retry-after`
in the trailing metadata, and one warning line — as HTTP answers 503 (core/platform/outages.py decides what is an outage)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import grpc
import structlog

from core.platform.outages import RETRY_AFTER_SECONDS, outage_of
from handlers.common import abort_with

log = structlog.get_logger("darca.grpc")


def _guarded(method: str, behaviour: Callable[[Any, grpc.aio.ServicerContext], Awaitable[Any]]) -> Callable[
        [Any, grpc.aio.ServicerContext], Awaitable[Any]]:
    async def call(request: Any, context: grpc.aio.ServicerContext) -> Any:
        try:
            return await behaviour(request, context)
        except Exception as error:
            kind = outage_of(error)
            if kind is None:
                raise
            log.warning("grpc.dependency_unavailable", method=method, dependency=kind, error=repr(error))
            await abort_with(context, grpc.StatusCode.UNAVAILABLE, f"{kind}_UNAVAILABLE",
                             "A dependency of the platform is unreachable for the moment; "
                             f"retry after {RETRY_AFTER_SECONDS} seconds.",
                             metadata=(("retry-after", str(RETRY_AFTER_SECONDS)),))

    return call


class OutageInterceptor(grpc.aio.ServerInterceptor):
    """Wraps every unary method (the only kind the contracts declare) once, then reuses the wrapper."""

    def __init__(self) -> None:
        self._handlers: dict[str, tuple[grpc.RpcMethodHandler, grpc.RpcMethodHandler]] = {}

    async def intercept_service(
        self, continuation: Callable[[grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler | None]],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler | None:
        handler = await continuation(handler_call_details)
        if handler is None or handler.unary_unary is None:
            return handler
        method: str = handler_call_details.method  # type: ignore[attr-defined]
        cached = self._handlers.get(method)
        if cached is None or cached[0] is not handler:
            wrapped = grpc.unary_unary_rpc_method_handler(
                _guarded(method, handler.unary_unary), request_deserializer=handler.request_deserializer,
                response_serializer=handler.response_serializer)
            cached = self._handlers[method] = (handler, wrapped)
        return cached[1]
