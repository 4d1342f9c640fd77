"""Rendering of every error as RFC 9457 `application/problem+json`, and the framework's errors mapped to it."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from typing import Any
from urllib.parse import quote

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute, Match

from core.platform.observability import current_trace_id
from core.platform.outages import outage_problem
from core.platform.problems import FieldProblem, ProblemError, validation_failed
from generated.problems import DOCS_PATH

PROBLEM_JSON = "application/problem+json"
log = structlog.get_logger("darca.http")

# Characters RFC 3986 allows unescaped in a path; anything else in `instance` is percent-encoded,
# so it stays a valid URI reference whatever the client sent.
_PATH_SAFE = "/:@!$&'()*+,;=-._~"


def instance_uri(path: str) -> str:
    return quote(path, safe=_PATH_SAFE)


# Where clients reach this API (Settings.api_base_url), set by PlatformMiddleware for each request, so
# every renderer (handlers, middleware, idempotency replays) links the same catalogue. Outside a request
# the link is relative to the API.
API_BASE_URL: ContextVar[str] = ContextVar("darca_api_base_url", default="")


def problem_type(code: str) -> str:
    """The problem's `type`: a link to the code's entry in the error catalogue served at /docs/errors."""
    return f"{API_BASE_URL.get()}{DOCS_PATH}#{code}"


def problem_body(problem: ProblemError, *, instance: str | None, request_id: str | None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": problem_type(problem.code),
        "title": problem.title,
        "status": problem.status,
        "code": problem.code,
    }
    if problem.detail:
        body["detail"] = problem.detail
    if instance:
        body["instance"] = instance_uri(instance)
    trace_id = current_trace_id()
    if trace_id:
        body["trace_id"] = trace_id
    if request_id:
        body["request_id"] = request_id
    if problem.errors:
        body["errors"] = [{"field": e.field, "code": e.code, "message": e.message} for e in problem.errors]
    body.update(problem.extensions)
    return body


def problem_response(problem: ProblemError, request: Request | None = None, *, path: str | None = None,
                     request_id: str | None = None) -> JSONResponse:
    if request is not None:
        path = request.url.path
        request_id = getattr(request.state, "request_id", None)
    return JSONResponse(
        problem_body(problem, instance=path, request_id=request_id),
        status_code=problem.status,
        media_type=PROBLEM_JSON,
        headers=problem.headers,
    )


def problem_bytes(problem: ProblemError, *, path: str, request_id: str | None) -> bytes:
    return json.dumps(problem_body(problem, instance=path, request_id=request_id)).encode()


def field_problems(errors: list[Any]) -> list[FieldProblem]:
    """pydantic's error list, as `errors[]` with a dotted field path and an upper-case code."""
    problems = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        problems.append(
            FieldProblem(
                field=".".join(loc) or "body",
                code=str(error.get("type", "invalid")).upper().replace(".", "_"),
                message=str(error.get("msg", "Invalid value.")),
            )
        )
    return problems


INTERNAL = ProblemError(500, "INTERNAL_ERROR", "Internal error",
                        "Something went wrong on our side; nothing was changed. Quote the trace_id to support.")


def _routes(routes: Iterable[BaseRoute]) -> Iterator[BaseRoute]:
    for route in routes:
        included = getattr(route, "original_router", None)  # FastAPI >= 0.16x wraps included routers
        if included is not None:
            yield from _routes(included.routes)  # our routers are included without a prefix
        else:
            yield route


def allowed_methods(request: Request) -> str:
    """Every method some route serves at this path. Starlette's own `Allow` names only the first
    route that matched the path, while each operation of a path is a route of its own."""
    methods: set[str] = set()
    for route in _routes(request.app.router.routes):
        match, _ = route.matches(request.scope)
        if match is not Match.NONE:
            methods |= set(getattr(route, "methods", None) or ())
    return ", ".join(sorted(methods))


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ProblemError)
    async def _problem(request: Request, exc: ProblemError) -> JSONResponse:
        return problem_response(exc, request)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        return problem_response(validation_failed(field_problems(list(exc.errors()))), request)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 404:
            problem = ProblemError(404, "ROUTE_NOT_FOUND", "Not found", f"No operation at {request.url.path}.")
        elif exc.status_code == 405:
            problem = ProblemError(405, "METHOD_NOT_ALLOWED", "Method not allowed",
                                   f"{request.method} is not allowed on {request.url.path}.",
                                   headers={**(exc.headers or {}), "Allow": allowed_methods(request)})
        else:  # a refusal of the framework itself, before any operation ran
            problem = ProblemError(exc.status_code, "HTTP_ERROR", "HTTP error", str(exc.detail),
                                   headers=dict(exc.headers or {}))
        return problem_response(problem, request)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        return problem_response(unexpected_problem(exc), request)


def unexpected_problem(exc: BaseException) -> ProblemError:
    """The one place an error no handler expected becomes an answer: an outage of the database or
    the broker is a 503 with Retry-After and one warning line; anything else is a bug (500, traceback)."""
    outage = outage_problem(exc)
    if outage is not None:
        log.warning("http.dependency_unavailable", code=outage.code, error=repr(exc)[:300])
        return outage
    log.error("http.unhandled_error", error=repr(exc), exc_info=exc)
    return INTERNAL
