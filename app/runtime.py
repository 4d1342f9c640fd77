"""Everything a running platform process holds: database, bus, relay, services, gRPC server."""

from __future__ import annotations

import asyncio
import contextlib
import json
from dataclasses import dataclass, field
from datetime import timedelta
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import structlog

from core.identity.tokens import BearerResolver
from core.ledger.api import Ledger
from core.ledger.scheduler import HoldExpiryScheduler
from core.modules.registry import ModuleManifest, load_manifests
from core.platform.bus import EventBus, create_bus
from core.platform.db import Database
from core.platform.idempotency import IdempotencyService
from core.platform.outbox import OutboxRelay
from core.platform.security import Authenticator
from core.platform.settings import Settings

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
    grpc_server: Any = None
    ledger: Ledger | None = None
    hold_expiry: HoldExpiryScheduler | None = None
    _maintenance: asyncio.Task[None] | None = field(default=None, repr=False)

    async def start(self, *, grpc: bool = True) -> None:
        await self.bus.start()
        if self.settings.relay_enabled:
            self.relay.start()
        if grpc and self.settings.grpc_port:
            from .grpc_server import start_grpc_server

            self.grpc_server = await start_grpc_server(self, self.settings.grpc_port)
        self._maintenance = asyncio.create_task(self._maintain(), name="maintenance")
        if self.ledger is not None and self.settings.ledger_expiry_poll_ms:
            self.hold_expiry = HoldExpiryScheduler(self.ledger, poll_ms=self.settings.ledger_expiry_poll_ms,
                                                   on_commit=self.relay.notify)
            self.hold_expiry.start()

    async def _maintain(self) -> None:
        """Housekeeping that no request should pay for: expired idempotency keys."""
        while True:
            with contextlib.suppress(Exception):
                purged = await self.idempotency.purge_expired()
                if purged:
                    log.info("idempotency.purged", count=purged)
            await asyncio.sleep(600)

    async def stop(self) -> None:
        if self.hold_expiry is not None:
            await self.hold_expiry.stop()
        if self._maintenance is not None:
            self._maintenance.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._maintenance
        if self.grpc_server is not None:
            await self.grpc_server.stop(grace=2)
        await self.relay.stop()
        await self.bus.stop()
        await self.db.dispose()


def build_runtime(settings: Settings) -> Runtime:
    db = Database(settings.database_url)
    bus = create_bus(settings.broker_url)
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
            bearer=BearerResolver(db),
        ),
        modules=load_manifests(ROOT / settings.modules_dir, disabled),
        ledger=Ledger(db, sandbox=settings.sandbox),
    )
