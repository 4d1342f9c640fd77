"""The event bus the outbox relay publishes to and consumers subscribe on.

`memory://` is the embedded default: delivery inside the process, still at least once
because the relay only marks an event published when every subscriber took it. Broker URLs
(`amqp://`, `nats://`) select a FastStream-backed bus; `core.platform.brokers.create_bus` picks one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

EventHandler = Callable[[dict[str, Any]], Awaitable[None]]


@dataclass(frozen=True)
class Subscription:
    consumer: str
    event_types: tuple[str, ...]
    handler: EventHandler


class EventBus(Protocol):
    name: str

    def subscribe(self, consumer: str, event_types: Sequence[str], handler: EventHandler) -> None:
        """Register a consumer (before `start`). Each consumer gets every matching event."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def publish(self, envelope: dict[str, Any]) -> None:
        """Return only once the event is safely handed over; raise otherwise."""

    async def ping(self) -> None:
        """Raise when the bus cannot take events."""


class InProcessBus:
    """Delivers each event to the matching subscribers of this process, in publish order."""

    name = "in-process"

    def __init__(self) -> None:
        self.subscriptions: list[Subscription] = []

    def subscribe(self, consumer: str, event_types: Sequence[str], handler: EventHandler) -> None:
        self.subscriptions.append(Subscription(consumer, tuple(event_types), handler))

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def publish(self, envelope: dict[str, Any]) -> None:
        # A failing subscriber fails the publish: the relay retries, and the inbox of the
        # subscribers that already applied it makes the repeat harmless.
        for sub in self.subscriptions:
            if envelope["type"] in sub.event_types or "*" in sub.event_types:
                await sub.handler(envelope)

    async def ping(self) -> None:
        return None
