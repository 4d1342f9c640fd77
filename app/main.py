"""Builds the ASGI application: generated routes bound to handlers, platform endpoints, middleware."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.types import ASGIApp

from core.identity.api import CompanyMembership, CompanyPolicy
from core.ledger.access import LedgerAccess
from core.ledger.api import Ledger
from core.platform.observability import REGISTRY, configure_logging, configure_tracing
from core.platform.settings import Settings, get_settings
from core.policy.api import PolicyDecisionPoint
from core.wallets.api import WalletBook, default_wallet_assets
from generated.openapi.routes import build_router
from handlers.assets import AssetsHandler
from handlers.companies import CompaniesHandler
from handlers.devices import DevicesHandler
from handlers.identity import IdentityHandler
from handlers.kyc import KycHandler
from handlers.ledger import LedgerHandler
from handlers.mfa import MfaHandler
from handlers.notifications import NotificationsHandler
from handlers.passkeys import PasskeysHandler
from handlers.platform import PlatformHandler
from handlers.platform.handler import PlatformInfo

from .browsers import served_openapi, with_cors
from .docs import docs_router
from .errors_docs import errors_router
from .guides_docs import guides_router
from .invoke import Invoker
from .middleware import PlatformMiddleware
from .problems import install_error_handlers
from .protos import protos_router
from .runtime import ROOT, Runtime, build_runtime, load_spec, platform_version
from .server import trusted_proxies


def default_handlers(runtime: Runtime, api_version: str) -> dict[str, object]:
    info = PlatformInfo(
        platform_version=platform_version(),
        api_version=api_version,
        environment=runtime.settings.environment,
        modules=runtime.modules,
    )
    pdp = PolicyDecisionPoint(runtime.db)
    membership = CompanyMembership()
    ledger = runtime.ledger or Ledger(runtime.db, sandbox=runtime.settings.sandbox, predict=runtime.settings.ledger_predict)
    wallet_book = WalletBook(ledger, default_wallet_assets(runtime.settings.default_wallet_assets))
    return {
        "platform": PlatformHandler(info, runtime.readiness_checks()),
        "assets": AssetsHandler(),
        "identity": IdentityHandler(wallet_book, sandbox=runtime.settings.sandbox),
        "passkeys": PasskeysHandler(runtime.settings),
        "mfa": MfaHandler(),
        "kyc": KycHandler(runtime.kyc_provider),
        "devices": DevicesHandler(),
        "ledger": LedgerHandler(ledger, LedgerAccess(membership.is_company_member, company_subject=membership.subject,
                                                     company_readable=membership.readable, pdp=pdp),
                                wallet_book=wallet_book, companies=CompanyPolicy(pdp)),
        "companies": CompaniesHandler(runtime.db, pdp),
        "notifications": NotificationsHandler(sandbox=runtime.settings.sandbox),
    }


def create_app(
    settings: Settings | None = None,
    *,
    runtime: Runtime | None = None,
    handlers: Mapping[str, object] | None = None,
    start_runtime: bool = True,
) -> ASGIApp:
    """The platform's ASGI app. Refuses to build when an operation of the contract has no handler."""
    settings = settings or get_settings()
    configure_logging(settings)
    configure_tracing(settings)
    runtime = runtime or build_runtime(settings)
    contract = load_spec("openapi.json")
    openapi = served_openapi(contract, settings)
    asyncapi = load_spec("asyncapi.json")

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if start_runtime:
            await runtime.start()
        try:
            yield
        finally:
            if start_runtime:
                await runtime.stop()

    # FastAPI's own telemetry is off: `PlatformMiddleware` opens the request's one span (ADR 0017).
    app = FastAPI(title="DARCA", openapi_url=None, docs_url=None, redoc_url=None, lifespan=lifespan,
                  telemetry={"tracing": False, "metrics": False, "logs": False})
    app.state.runtime = runtime
    install_error_handlers(app)
    invoker = Invoker(runtime.db, runtime.idempotency, runtime.authenticator, on_commit=runtime.committed)
    app.include_router(
        build_router(handlers if handlers is not None else default_handlers(runtime, openapi["info"]["version"]),
                     invoker)
    )

    @app.get("/openapi.json", include_in_schema=False)
    async def serve_openapi() -> JSONResponse:
        return JSONResponse(openapi)

    @app.get("/asyncapi.json", include_in_schema=False)
    async def serve_asyncapi() -> JSONResponse:
        return JSONResponse(asyncapi)

    @app.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)

    app.include_router(docs_router(ROOT / Path(settings.docs_dir),
                                   servers={contract["servers"][0]["url"]: settings.api_base_url}))
    app.include_router(protos_router(ROOT / "specs" / "proto"))
    app.include_router(errors_router())
    app.include_router(guides_router(ROOT))
    platform = PlatformMiddleware(app, max_body_bytes=settings.max_body_bytes,
                                  body_read_timeout=settings.body_read_timeout_seconds,
                                  trusted_proxies=trusted_proxies(settings), api_base_url=settings.api_base_url)
    return with_cors(platform, openapi, settings)
