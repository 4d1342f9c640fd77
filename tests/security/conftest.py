"""The identity platform of the integration tests, and a clock the throttles read that tests can move."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

import core.identity.sessions.service
import core.identity.throttle.service
import core.identity.users.service
from tests.integration.core.identity.conftest import idp  # noqa: F401  (the fixture)


class Clock:
    """Real time plus an offset the test moves forward: waits are passed, never slept through."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, delta: timedelta) -> None:
        self.offset += delta


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    moved = Clock()
    for module in (core.identity.users.service, core.identity.throttle.service, core.identity.sessions.service):
        monkeypatch.setattr(module, "utcnow", moved.now)
    yield moved
