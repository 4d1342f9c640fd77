"""What browsers and hosts see of the contract: the served `servers` entry and CORS.

The bundled OpenAPI names the local `make run` address; a deployment behind a proxy publishes another
(`DARCA_PUBLIC_URL`), so the served spec and docs carry that one. CORS is allowed only for the
configured origins (`DARCA_CORS_ORIGINS`); the headers a browser may send and read come from the
contract itself, so a header added to the spec is usable cross-origin without a second list to keep.
"""

from __future__ import annotations

from typing import Any

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp

from core.platform.settings import Settings

# Sent by every client, not declared as parameters in the contract.
ALWAYS_ALLOWED = ("Authorization", "Content-Type", "traceparent", "tracestate")
# Read by clients of deprecated operations (RFC 9745, RFC 8594).
ALWAYS_EXPOSED = ("Deprecation", "Sunset", "Link")
PREFLIGHT_CACHE_SECONDS = 600


def served_openapi(openapi: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """The contract as this deployment serves it: its own address in `servers`."""
    if settings.public_url is None and settings.api_base_url == openapi["servers"][0]["url"]:
        return openapi
    server = {"url": settings.api_base_url, "description": f"DARCA {settings.environment.lower()}"}
    return {**openapi, "servers": [server]}


def request_headers(openapi: dict[str, Any]) -> list[str]:
    """Header parameters the contract declares, plus the ones every client sends."""
    declared = {p["name"] for p in _parameters(openapi) if p.get("in") == "header"}
    return sorted(declared | set(ALWAYS_ALLOWED), key=str.lower)


def response_headers(openapi: dict[str, Any]) -> list[str]:
    """Response headers the contract declares, plus the deprecation headers."""
    names: set[str] = set(ALWAYS_EXPOSED)
    shared = openapi.get("components", {}).get("responses", {})
    for operation in _operations(openapi):
        for response in operation.get("responses", {}).values():
            if "$ref" in response:
                response = shared[response["$ref"].rsplit("/", 1)[-1]]
            names |= set(response.get("headers", {}))
    return sorted(names, key=str.lower)


def with_cors(app: ASGIApp, openapi: dict[str, Any], settings: Settings) -> ASGIApp:
    """`app` behind CORS for the configured origins; unchanged (no per-request cost) when there are none.
    CORS sits outside the platform middleware so its own refusals (413, 503, …) reach the page too."""
    origins = settings.cors_origin_list
    if not origins:
        return app
    return CORSMiddleware(app, allow_origins=origins, allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
                          allow_headers=request_headers(openapi), expose_headers=response_headers(openapi),
                          allow_credentials=False, max_age=PREFLIGHT_CACHE_SECONDS)


def _operations(openapi: dict[str, Any]) -> list[dict[str, Any]]:
    return [operation for item in openapi.get("paths", {}).values() for method, operation in item.items()
            if method in {"get", "put", "post", "patch", "delete"}]


def _parameters(openapi: dict[str, Any]) -> list[dict[str, Any]]:
    shared = openapi.get("components", {}).get("parameters", {})
    found = []
    for operation in _operations(openapi):
        for parameter in operation.get("parameters", []):
            found.append(shared[parameter["$ref"].rsplit("/", 1)[-1]] if "$ref" in parameter else parameter)
    return found
