"""Everything a running platform process holds: database, bus, relay, services, gRPC server."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import structlog

from core.identity.api import ApiKeyResolver, BearerResolver, KycProvider, KycWorker, SandboxKycProvider
from core.ledger.api import Ledger
from core.ledger.scheduler import HoldExpiryScheduler
from core.modules.registry import ModuleManifest, load_manifests
from core.notifications.api import NotificationDispatcher, mailer_for
from core.platform.background import Outage, raise_if_stopping, stop_job, stopping
from core.platform.brokers import create_bus
from core.platform.bus import EventBus
from core.platform.db import Database
from core.platform.idempotency import IdempotencyService
from core.platform.outbox import OutboxRelay
from core.platform.process import tune_allocator, tune_garbage_collector
from core.platform.revocations import RevocationFeed
from core.platform.security import Authenticator
from core.platform.settings import Settings

from .grpc_server import start_grpc_server

ROOT = Path(__file__).resolve().parents[1]
GENERATED_SPECS = ROOT / "generated" / "specs"
log = structlog.get_logger("darca.runtime")


def platform_version() -> str:
    try:
        return version("darca")
    except PackageNotFoundError:
        import tomllib

        return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def load_spec(name: str) -> dict[str, Any]:
    return json.loads((GENERATED_SPECS / name).read_text(encoding="utf-8"))


@dataclass
class Runtime:
    settings: Settings
    db: Database
    bus: EventBus
    relay: OutboxRelay
    idempotency: IdempotencyService
    authenticator: Authenticator
    modules: list[ModuleManifest]
    revocations: RevocationFeed | None = None
    grpc_server: Any = None
    ledger: Ledger | None = None
    hold_expiry: HoldExpiryScheduler | None = None
    kyc_provider: KycProvider | None = None
    kyc_worker: KycWorker | None = None
    notifications: NotificationDispatcher | None = None
    _maintenance: asyncio.Task[None] | None = field(default=None, repr=False)

    async def start(self, *, grpc: bool = True) -> None:
        tune_garbage_collector()
        tune_allocator()
        if self.ledger is not None:  # the ledger commits its own units of work (core/ledger/unit_of_work.py)
            self.ledger.on_commit = self.committed
        await self.bus.start()
        if self.revocations is not None:
            self.revocations.start()
        if self.settings.relay_enabled:
            self.relay.start()
        if self.notifications is not None and self.settings.notification_dispatch_enabled:
            self.notifications.start()
        if grpc and self.settings.grpc_port:
            self.grpc_server = await start_grpc_server(self, self.settings.grpc_port)
        self._maintenance = asyncio.create_task(self._maintain(), name="maintenance")
        if self.ledger is not None and self.settings.ledger_expiry_poll_ms:
            self.hold_expiry = HoldExpiryScheduler(self.ledger, poll_ms=self.settings.ledger_expiry_poll_ms)
            self.hold_expiry.start()
        if self.kyc_provider is not None and self.settings.kyc_poll_ms:
            self.kyc_worker = KycWorker(self.db, self.kyc_provider,
                                        poll_ms=self.settings.kyc_poll_ms, on_commit=self.committed)
            self.kyc_worker.start()

    def readiness_checks(self) -> dict[str, Callable[[], Awaitable[None]]]:
        """What readiness depends on: HTTP /v1/health/ready and gRPC health checking."""
        return {"database": self.db.ping, "broker": self.bus.ping}

    def committed(self) -> None:
        """A unit of work committed: wake the outbox relay and the notification dispatcher."""
        self.relay.notify()
        if self.notifications is not None:
            self.notifications.notify()

    async def _maintain(self) -> None:
        """Housekeeping that no request should pay for: expired idempotency keys."""
        outage = Outage("idempotency-purge", base=600.0, cap=600.0)
        while not stopping():
            try:
                purged = await self.idempotency.purge_expired()
                outage.succeeded()
                if purged:
                    log.info("idempotency.purged", count=purged)
            except Exception as exc:
                raise_if_stopping()
                outage.failed(exc)
            await asyncio.sleep(outage.delay)

    async def stop(self) -> None:
        if self.hold_expiry is not None:
            await self.hold_expiry.stop()
        if self.kyc_worker is not None:
            await self.kyc_worker.stop()
        await stop_job(self._maintenance)
        if self.grpc_server is not None:
            await self.grpc_server.stop(grace=2)
        if self.notifications is not None:
            await self.notifications.stop()
        await self.relay.stop()
        if self.revocations is not None:
            await self.revocations.stop()
        await self.bus.stop()
        await self.db.dispose()


def build_runtime(settings: Settings) -> Runtime:
    db = Database(settings.database_url, pool_size=settings.database_pool_size,
                  pool_timeout=settings.database_pool_timeout_seconds,
                  connect_timeout=settings.database_connect_timeout_seconds)
    bus = create_bus(settings.broker_url)
    revocations = RevocationFeed(settings.database_url, stale_after=settings.auth_cache_stale_after_ms / 1000)
    disabled = {m.strip() for m in settings.disabled_modules.split(",") if m.strip()}
    return Runtime(
        settings=settings,
        db=db,
        bus=bus,
        relay=OutboxRelay(db, bus, batch_size=settings.relay_batch_size, poll_seconds=settings.relay_poll_ms / 1000),
        idempotency=IdempotencyService(
            db,
            retention=timedelta(hours=settings.idempotency_retention_hours),
            lock=timedelta(seconds=settings.idempotency_lock_seconds),
        ),
        authenticator=Authenticator(
            settings.operator_api_key.get_secret_value() if settings.operator_api_key else None,
            bearer=BearerResolver(db, revocations),
            api_key=ApiKeyResolver(db, revocations),
        ),
        revocations=revocations,
        modules=load_manifests(ROOT / settings.modules_dir, disabled),
        ledger=Ledger(db, sandbox=settings.sandbox, predict=settings.ledger_predict),
        # no vendor adapter yet: outside the sandbox, KYC checks are refused rather than decided by the sandbox
        kyc_provider=SandboxKycProvider(delay_ms=settings.kyc_sandbox_delay_ms) if settings.sandbox else None,
        notifications=NotificationDispatcher(
            db, mailer_for(settings), poll_seconds=settings.notification_poll_ms / 1000,
            max_attempts=settings.notification_max_attempts,
            retry_base=timedelta(milliseconds=settings.notification_retry_base_ms)),
    )
