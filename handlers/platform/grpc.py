"""gRPC grpc.health.v1.Health beside the HTTP readiness handler: standard health checking that
follows readiness. SERVING while every readiness check passes (the database, the broker; as
HTTP /v1/health/ready), NOT_SERVING otherwise.

`Check` asks the dependencies at that moment; `Watch` sees the status the server refreshes every
few seconds. The overall status ("") and each served service report the same: they share the
platform's dependencies. Open to callers without credentials (app/grpc_auth.py)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Iterable, Mapping

import grpc
import structlog
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

log = structlog.get_logger("darca.grpc")

CHECK_TIMEOUT_SECONDS = 2.0  # a dependency that does not answer by then counts as down
WATCH_REFRESH_SECONDS = 5.0
SERVICE_NAME = health.SERVICE_NAME

Check = Callable[[], Awaitable[None]]


class ReadinessHealth(health.aio.HealthServicer):  # type: ignore[misc]
    def __init__(self, checks: Mapping[str, Check], services: Iterable[str]) -> None:
        super().__init__()
        self.checks = checks
        self.services = ("", *services)

    async def _failing(self) -> list[str]:
        failing = []
        for name, check in self.checks.items():
            try:
                await asyncio.wait_for(check(), CHECK_TIMEOUT_SECONDS)
            except Exception:  # noqa: BLE001 - whatever the failure, the dependency is not there
                failing.append(name)
        return failing

    async def refresh(self) -> None:
        failing = await self._failing()
        status = health_pb2.HealthCheckResponse.NOT_SERVING if failing else health_pb2.HealthCheckResponse.SERVING
        for service in self.services:
            await self.set(service, status)

    async def Check(self, request: health_pb2.HealthCheckRequest,
                    context: grpc.aio.ServicerContext) -> health_pb2.HealthCheckResponse:
        await self.refresh()
        return await super().Check(request, context)


async def _follow(servicer: ReadinessHealth, stopped: asyncio.Event) -> None:
    while not stopped.is_set():
        try:
            await servicer.refresh()
        except Exception as exc:  # noqa: BLE001 - keep following; the next round may succeed
            log.warning("grpc.health_refresh_failed", error=f"{type(exc).__name__}: {exc}")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopped.wait(), WATCH_REFRESH_SECONDS)


def follow_readiness(server: grpc.aio.Server, servicer: ReadinessHealth) -> None:
    """Refresh the status for watchers until `server.stop()`, which ends the refreshing first (so no
    dependency check is left running on a platform that is shutting down)."""
    stopped = asyncio.Event()
    follower = asyncio.create_task(_follow(servicer, stopped), name="grpc-health")
    stop = server.stop

    async def stop_following_then_stop(grace: float | None) -> None:
        # The round under way finishes (each check is bounded) rather than being cancelled: a check
        # cancelled inside the database driver can leave its connection checked out, and the pool's
        # disposal then waits for it.
        stopped.set()
        await follower
        await stop(grace)

    server.stop = stop_following_then_stop  # type: ignore[method-assign]


def add_health_servicer(server: grpc.aio.Server, checks: Mapping[str, Check], services: Iterable[str]) -> ReadinessHealth:
    """Serve grpc.health.v1.Health on `server`."""
    servicer = ReadinessHealth(checks, services)
    health_pb2_grpc.add_HealthServicer_to_server(servicer, server)
    return servicer
