"""How the HTTP server runs the app: one place for the listener's settings."""

from __future__ import annotations

import uvicorn
from starlette.types import ASGIApp

from core.platform.settings import Settings


def trusted_proxies(settings: Settings) -> list[str]:
    """The peers whose X-Forwarded-For counts (`PlatformMiddleware` applies it). uvicorn's own
    handling is off in `server_config`: by default it trusts any loopback peer, which let anyone on
    the host pick the address the per-address throttles count."""
    return [part.strip() for part in settings.trusted_proxies.split(",") if part.strip()]


def server_config(app: ASGIApp, settings: Settings) -> uvicorn.Config:
    # uvloop and httptools (C) in place of asyncio's loop and pure-Python h11 (ADR 0017). uvicorn's
    # access log is off: `PlatformMiddleware` writes the one request log line, with the request id.
    return uvicorn.Config(app, host=settings.http_host, port=settings.http_port, log_level="warning",
                          proxy_headers=False, server_header=False, loop="uvloop", http="httptools",
                          access_log=False)
