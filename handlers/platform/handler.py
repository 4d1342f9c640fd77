from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from core.modules.api import ModuleManifest
from core.platform.api import ProblemError
from generated.openapi import models
from generated.openapi.routes import PlatformHandlers

Check = Callable[[], Awaitable[None]]


@dataclass(frozen=True)
class PlatformInfo:
    platform_version: str
    api_version: str
    environment: str
    modules: list[ModuleManifest]


async def _run_check(name: str, check: Check) -> models.HealthCheck:
    started = time.perf_counter()
    try:
        await check()
    except Exception as exc:  # any failure of a dependency makes it FAIL, with why
        return models.HealthCheck(
            name=name, status=models.CheckStatus.FAIL, detail=f"{type(exc).__name__}: {exc}"[:300],
            latency_ms=int((time.perf_counter() - started) * 1000),
        )
    return models.HealthCheck(
        name=name, status=models.CheckStatus.PASS, latency_ms=int((time.perf_counter() - started) * 1000)
    )


class PlatformHandler(PlatformHandlers):
    def __init__(self, info: PlatformInfo, checks: dict[str, Check]) -> None:
        self.info = info
        self.checks = checks

    async def get_liveness(self, ctx: object) -> models.HealthReport:
        return models.HealthReport(status=models.CheckStatus.PASS, checks=[])

    async def get_readiness(self, ctx: object) -> models.HealthReport:
        results = [await _run_check(name, check) for name, check in self.checks.items()]
        if any(r.status == models.CheckStatus.FAIL for r in results):
            failed = ", ".join(r.name for r in results if r.status == models.CheckStatus.FAIL)
            raise ProblemError(
                503, "SERVICE_UNAVAILABLE", "Service unavailable", f"Dependencies down: {failed}.",
                headers={"Retry-After": "5"},
                extensions={"checks": [r.model_dump(mode="json") for r in results]},
            )
        return models.HealthReport(status=models.CheckStatus.PASS, checks=results)

    async def get_platform_meta(self, ctx: object) -> models.PlatformMeta:
        return models.PlatformMeta(
            platform_version=self.info.platform_version,
            api_version=self.info.api_version,
            environment=models.Environment(self.info.environment),
            modules=[
                models.ModuleInfo(id=m.id, version=m.version, status=models.ModuleStatus.ENABLED)
                for m in self.info.modules
                if m.enabled
            ],
        )
