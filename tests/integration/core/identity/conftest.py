"""A running platform whose mail spool is a per-test folder, so tests read the codes they were sent."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from app.main import create_app
from app.runtime import Runtime, build_runtime
from core.notifications.mailer import read_spool
from tests.conftest import Platform, make_settings


@dataclass
class IdentityPlatform(Platform):
    spool: Path

    def last_code(self, to: str) -> str:
        mail = [m for m in read_spool(self.spool) if m["To"] == to]
        assert mail, f"no mail to {to}"
        return next(w.rstrip(".") for w in mail[-1].get_content().split() if w.rstrip(".").isdigit()
                    and len(w.rstrip(".")) == 6)


def delivered(runtime: Runtime):  # type: ignore[no-untyped-def]
    """A response hook: mail leaves after commit, in the background, so wait (up to 5 s) until the
    notification dispatcher has caught up; `last_code` then reads the mail right after a request."""
    async def hook(_: httpx.Response) -> None:
        assert runtime.notifications is not None
        await runtime.notifications.settle(timeout=5.0)
    return hook


@pytest.fixture
async def idp(database_url: str, tmp_path: Path) -> AsyncIterator[IdentityPlatform]:
    spool = tmp_path / "mail"
    settings = make_settings(database_url, mail_spool_dir=str(spool))
    runtime = build_runtime(settings)
    app = create_app(settings, runtime=runtime)
    fastapi_app = app.app
    async with fastapi_app.router.lifespan_context(fastapi_app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://darca.test",
                                     event_hooks={"response": [delivered(runtime)]}) as client:
            yield IdentityPlatform(runtime=runtime, client=client, app=app, settings=settings, spool=spool)
