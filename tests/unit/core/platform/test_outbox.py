"""The relay's leader election on PostgreSQL survives a database that drops away mid-question."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from core.platform.bus import InProcessBus
from core.platform.outbox import OutboxRelay


class DroppedConnection:
    """A connection whose server went away after the connect: every statement fails, closing too."""

    async def execute(self, _statement: Any) -> Any:
        raise ConnectionResetError("connection was closed in the middle of operation")

    async def commit(self) -> None:
        raise ConnectionResetError("connection was closed")

    async def close(self) -> None:
        raise ConnectionResetError("connection was closed")


async def test_a_database_lost_while_asking_for_the_lead_is_an_outage_not_a_dead_relay() -> None:
    async def connect() -> DroppedConnection:
        return DroppedConnection()

    db = SimpleNamespace(dialect="postgresql", engine=SimpleNamespace(connect=connect))
    relay = OutboxRelay(db, InProcessBus())  # type: ignore[arg-type]
    async with relay._leadership() as leader:
        assert leader is False  # not the leader this round; the relay tries again after the back-off
    assert relay.outage.failures == 1
