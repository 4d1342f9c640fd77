"""Announcing what the contract deprecated (docs/versioning.md): the `Deprecation` (RFC 9745), `Sunset`
(RFC 8594) and `Link: <...>; rel="deprecation"` headers on a request that used a deprecated operation,
parameter or request-body field, and a count of that use per caller.

The generated route table carries the facts (`Operation.deprecations`, from `deprecated`, `x-deprecated-at`,
`x-sunset` and `x-deprecation-link` in the spec); an operation with none costs the invoker one test.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from fastapi import Request

from core.platform.observability import DEPRECATED_REQUESTS
from core.platform.security import Principal
from generated.openapi.routes import Deprecation, Operation


def caller_label(principal: Principal) -> str:
    """The metric's `caller`, bounded: one value per company API key or configured gRPC caller (the ones a
    migration is chased with), and one for all end users, the operator, and anonymous callers."""
    match principal.kind:
        case "API_KEY":
            return f"api_key:{principal.id}"
        case "SERVICE":
            return f"service:{principal.id}"
        case "USER":
            return "user"
        case "OPERATOR":
            return "operator"
        case "ANONYMOUS":
            return "anonymous"
    return "other"


def used(op: Operation, request: Request, raw_body: Any) -> list[Deprecation]:
    """The deprecated elements of `op` this request uses: the operation itself, and each deprecated
    parameter or top-level body field it sends."""
    found: list[Deprecation] = []
    for item in op.deprecations:
        match item.location:
            case None:
                found.append(item)
            case "query" if item.name in request.query_params:
                found.append(item)
            case "header" if item.name in request.headers:
                found.append(item)
            case "cookie" if item.name in request.cookies:
                found.append(item)
            case "body" if isinstance(raw_body, Mapping) and item.name in raw_body:
                found.append(item)
    return found


def headers(items: Iterable[Deprecation]) -> dict[str, str]:
    """One set of headers for what a request used: the dates of the element that goes away first (the
    soonest the caller must have moved), and every distinct link."""
    items = sorted(items, key=lambda item: item.sunset_at)
    if not items:
        return {}
    announced = dict(items[0].headers)
    links = list(dict.fromkeys(dict(item.headers)["Link"] for item in items))
    announced["Link"] = ", ".join(links)
    return announced


def announce(op: Operation, request: Request, raw_body: Any, principal: Principal) -> dict[str, str]:
    """Count this request's use of deprecated elements of `op` and return the headers that announce them."""
    items = used(op, request, raw_body)
    if items:
        caller = caller_label(principal)
        for item in items:
            DEPRECATED_REQUESTS.labels(op.operation_id, item.element, caller).inc()
    return headers(items)


def operation_headers(op: Operation) -> dict[str, str]:
    """The headers of a deprecated operation, for answers given before the caller is known (a refusal of
    its credentials or its input)."""
    return headers(item for item in op.deprecations if item.location is None)
