"""Outermost ASGI layer: request id, W3C trace context, structured log context, body size limit and
read deadline, the client address behind trusted proxies, per-operation metrics, and a problem+json
answer even for errors no handler caught.
"""

from __future__ import annotations

import asyncio
import re
import time
from typing import Any

import structlog
from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from core.platform.ids import new_id
from core.platform.observability import HTTP_LATENCY, HTTP_REQUESTS, current_trace_id, tracer
from core.platform.problems import ProblemError

from .problems import API_BASE_URL, PROBLEM_JSON, problem_bytes, unexpected_problem

REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
PROPAGATOR = TraceContextTextMapPropagator()
NO_PARENT = Context()  # what the propagator gives without a traceparent: the span is a root
log = structlog.get_logger("darca.http")


def too_large(limit: int) -> ProblemError:
    return ProblemError(413, "PAYLOAD_TOO_LARGE", "Payload too large", f"The request body exceeds {limit} bytes.")


def body_timeout(seconds: float) -> ProblemError:
    return ProblemError(408, "REQUEST_BODY_TIMEOUT", "Request body timeout",
                        f"The request body did not arrive in full within {seconds:g} seconds; send it again.",
                        headers={"Connection": "close"})


def _wanted_headers(raw: list[tuple[bytes, bytes]]) -> tuple[str | None, str | None, dict[str, str]]:
    """X-Request-Id, Content-Length and the trace context headers, in one pass over the raw list
    (ASGI servers give names in lower case)."""
    request_id = length = None
    carrier: dict[str, str] = {}
    for name, value in raw:
        if name == b"x-request-id" and request_id is None:
            request_id = value.decode("latin-1")
        elif name == b"content-length" and length is None:
            length = value.decode("latin-1")
        elif name == b"traceparent" or name == b"tracestate":
            carrier[name.decode()] = value.decode("latin-1")
    return request_id, length, carrier


class PlatformMiddleware:
    def __init__(self, app: ASGIApp, *, max_body_bytes: int, body_read_timeout: float = 10.0,
                 trusted_proxies: list[str] | None = None, api_base_url: str = "") -> None:
        self.app = app
        self.api_base_url = api_base_url  # problem `type` links point into this deployment's catalogue
        self.max_body_bytes = max_body_bytes
        self.body_read_timeout = body_read_timeout
        # X-Forwarded-For counts only from configured proxies (uvicorn's well-kept parser applies it).
        self._inner: ASGIApp = ProxyHeadersMiddleware(app, trusted_hosts=trusted_proxies) if trusted_proxies else app  # type: ignore[arg-type]
        # Resolved once: the tracer, the logger, and each (operation, method, status) metric child.
        self._tracer = tracer()
        self._log = log.bind()
        self._counted: dict[tuple[str, str, str], Any] = {}
        self._timed: dict[tuple[str, str], Any] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        supplied, declared, carrier = _wanted_headers(scope["headers"])
        request_id = supplied if supplied and REQUEST_ID.match(supplied) else new_id("req")
        scope.setdefault("state", {})["request_id"] = request_id
        base_url = API_BASE_URL.set(self.api_base_url)
        parent = PROPAGATOR.extract(carrier) if carrier else NO_PARENT
        method, path = scope["method"], scope["path"]
        started = time.perf_counter()
        state: dict[str, Any] = {"status": 500, "started": False}

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                state["started"] = True
                state["status"] = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        received = 0
        body_complete = False
        body_deadline = asyncio.get_running_loop().time() + self.body_read_timeout

        async def receive_wrapper() -> Message:
            nonlocal received, body_complete
            if body_complete:
                return await receive()
            # A body that stops short of its Content-Length must not hold the connection for ever.
            try:
                async with asyncio.timeout_at(body_deadline):
                    message = await receive()
            except TimeoutError:
                raise body_timeout(self.body_read_timeout) from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                body_complete = not message.get("more_body", False)
                if received > self.max_body_bytes:
                    # A ProblemError, so the app's own handler answers 413 when it reads the body
                    # (a bare exception would reach its catch-all and become a 500).
                    raise too_large(self.max_body_bytes)
            return message

        with self._tracer.start_as_current_span(f"{method} {path}", context=parent, kind=trace.SpanKind.SERVER) as span:
            structlog.contextvars.bind_contextvars(request_id=request_id, trace_id=current_trace_id())
            try:
                if declared and declared.isdigit() and int(declared) > self.max_body_bytes:
                    await self._problem(send_wrapper, too_large(self.max_body_bytes), path, request_id)
                else:
                    await self._inner(scope, receive_wrapper, send_wrapper)
            except ProblemError as problem:  # raised outside the app's handlers (e.g. the body limit)
                if not state["started"]:
                    await self._problem(send_wrapper, problem, path, request_id)
            except Exception as exc:
                if state["started"]:
                    # FastAPI's error handler already logged it and answered (500 or 503); Starlette re-raises
                    # so servers see it. Logging the traceback again would double every incident.
                    log.debug("http.error_reraised", error=repr(exc))
                else:
                    await self._problem(send_wrapper, unexpected_problem(exc), path, request_id)
            finally:
                route = scope.get("route")
                operation = getattr(route, "name", None) or "unmatched"
                elapsed = time.perf_counter() - started
                self._count(operation, method, state["status"], elapsed)
                span.set_attributes({"http.response.status_code": state["status"], "darca.operation_id": operation})
                self._log.info("http.request", method=method, path=path, operation_id=operation,
                         status=state["status"], duration_ms=round(elapsed * 1000, 2))
                structlog.contextvars.unbind_contextvars("request_id", "trace_id")
                API_BASE_URL.reset(base_url)

    def _count(self, operation: str, method: str, status: int, elapsed: float) -> None:
        counted = self._counted.get((operation, method, str(status)))
        if counted is None:  # the label set is bounded: operations x methods x statuses
            counted = self._counted[(operation, method, str(status))] = HTTP_REQUESTS.labels(operation, method, str(status))
        counted.inc()
        timed = self._timed.get((operation, method))
        if timed is None:
            timed = self._timed[(operation, method)] = HTTP_LATENCY.labels(operation, method)
        timed.observe(elapsed)

    @staticmethod
    async def _problem(send: Send, problem: ProblemError, path: str, request_id: str) -> None:
        body = problem_bytes(problem, path=path, request_id=request_id)
        headers = [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode())]
        headers += [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in problem.headers.items()]
        await send({"type": "http.response.start", "status": problem.status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
