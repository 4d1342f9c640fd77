"""Broker-backed event buses (RabbitMQ, NATS JetStream, Kafka) on FastStream.

Each bus keeps the `EventBus` contract the outbox relay relies on:
- `publish` returns only once the broker has accepted the event (publisher confirm, JetStream
  PubAck, Kafka acks=all) and raises otherwise, within `publish_timeout` seconds;
- a subscriber acknowledges only after its handler succeeded, and gets one event at a time, so
  the order the relay published in is the order the handler sees;
- a broker that is down at start does not stop the platform: the bus keeps connecting in the
  background, `ping` and `publish` raise until it is up, and the relay retries.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

import structlog

from .bus import EventBus, EventHandler, InProcessBus, Subscription
from .redaction import redacted

log = structlog.get_logger("darca.bus")

CONTENT_TYPE = "application/cloudevents+json"
SUPPORTED_SCHEMES = ("memory://", "amqp://", "amqps://", "nats://", "kafka://")
DEFAULT_PORTS = {"amqp": 5672, "amqps": 5671, "nats": 4222, "kafka": 9092}


class BrokerUnavailable(ConnectionError):
    """The broker cannot take events right now (not connected yet, or connection lost)."""


def _matches(sub: Subscription, event_type: str) -> bool:
    return "*" in sub.event_types or event_type in sub.event_types


def _encode(envelope: dict[str, Any]) -> bytes:
    return json.dumps(envelope, separators=(",", ":"), ensure_ascii=False).encode()


class _BrokerBus:
    """Connection supervision shared by the brokers; subclasses wire FastStream."""

    name = "broker"

    def __init__(self, url: str, *, publish_timeout: float = 5.0, connect_timeout: float = 3.0,
                 retry_delay: float = 1.0) -> None:
        self.url = url
        self.publish_timeout = publish_timeout
        self.connect_timeout = connect_timeout
        self.retry_delay = retry_delay  # pause before a failed delivery goes back to the broker
        self.subscriptions: list[Subscription] = []
        self._started = False
        self._connector: asyncio.Task[None] | None = None
        self._attempted = asyncio.Event()

    # --- what subclasses provide -------------------------------------------------------
    async def _connect(self) -> None:
        raise NotImplementedError

    async def _disconnect(self) -> None:
        raise NotImplementedError

    def _connected(self) -> bool:
        raise NotImplementedError

    async def _send(self, envelope: dict[str, Any]) -> None:
        raise NotImplementedError

    async def _round_trip(self) -> None:
        raise NotImplementedError

    # --- the EventBus contract ---------------------------------------------------------
    def subscribe(self, consumer: str, event_types: Sequence[str], handler: EventHandler) -> None:
        if self._started:
            raise RuntimeError("subscribe before the bus starts")
        self.subscriptions.append(Subscription(consumer, tuple(event_types), handler))

    async def start(self) -> None:
        """Connect in the background; wait a moment for it, but never fail or hang on a down broker."""
        self._started = True
        self._attempted = asyncio.Event()
        self._connector = asyncio.create_task(self._keep_connecting(), name=f"{self.name}-connect")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._attempted.wait(), timeout=self.connect_timeout)

    async def _keep_connecting(self) -> None:
        delay = 0.5
        while True:
            try:
                await self._probe()
                await asyncio.wait_for(self._connect(), timeout=self.connect_timeout * 2)
            except Exception as exc:  # noqa: BLE001 - any failure means: try again later
                log.warning("bus.connect_failed", bus=self.name, error=f"{type(exc).__name__}: {exc}")
                with contextlib.suppress(Exception):
                    await self._disconnect()
                self._attempted.set()
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
                continue
            log.info("bus.connected", bus=self.name)
            self._attempted.set()
            return

    async def _probe(self) -> None:
        """A plain TCP connect first: a refused port fails in milliseconds and leaves no half-built
        client behind (aio-pika closes failed connections from `__del__`, on whatever loop runs then)."""
        parsed = urlsplit(self.url.split(",")[0])
        host, port = parsed.hostname or "127.0.0.1", parsed.port or DEFAULT_PORTS.get(parsed.scheme, 0)
        _, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout=self.connect_timeout)
        writer.close()
        with contextlib.suppress(Exception):
            await writer.wait_closed()

    async def stop(self) -> None:
        if self._connector is not None:
            self._connector.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._connector
            self._connector = None
        with contextlib.suppress(Exception):
            await self._disconnect()
        self._started = False

    async def publish(self, envelope: dict[str, Any]) -> None:
        if not self._connected():
            raise BrokerUnavailable(f"{self.name} is not connected")
        try:
            await asyncio.wait_for(self._send(envelope), timeout=self.publish_timeout)
        except TimeoutError as exc:
            raise BrokerUnavailable(f"{self.name} did not confirm within {self.publish_timeout}s") from exc
        except BrokerUnavailable:
            raise
        except Exception as exc:  # connection dropped mid-publish, nack, channel closed...
            raise BrokerUnavailable(f"{self.name} refused the event: {type(exc).__name__}: {exc}") from exc

    async def ping(self) -> None:
        if not self._connected():
            raise BrokerUnavailable(f"{self.name} is not connected")
        try:
            await asyncio.wait_for(self._round_trip(), timeout=min(self.publish_timeout, 2.0))
        except BrokerUnavailable:
            raise
        except Exception as exc:
            raise BrokerUnavailable(f"{self.name} did not answer: {type(exc).__name__}: {exc}") from exc

    async def _deliver(self, sub: Subscription, envelope: dict[str, Any]) -> bool:
        """Run the handler; False when it failed (the caller hands the event back to the broker)."""
        if not _matches(sub, envelope.get("type", "")):
            return True
        try:
            await sub.handler(envelope)
        except Exception as exc:  # noqa: BLE001 - the broker redelivers whatever went wrong
            log.warning("bus.handler_failed", bus=self.name, consumer=sub.consumer,
                        event_id=envelope.get("id"), error=f"{type(exc).__name__}: {exc}")
            await asyncio.sleep(self.retry_delay)  # no hot redelivery loop while a dependency is down
            return False
        return True


class RabbitBus(_BrokerBus):
    """Durable topic exchange, routing key = event type, one durable queue per consumer."""

    name = "rabbitmq"

    def __init__(self, url: str, *, exchange: str = "darca.events", queue_prefix: str = "darca.",
                 **kwargs: Any) -> None:
        super().__init__(url, **kwargs)
        self.exchange_name = exchange
        self.queue_prefix = queue_prefix
        self._broker: Any = None

    def queue_name(self, consumer: str) -> str:
        return f"{self.queue_prefix}{consumer}"

    def _build(self) -> Any:
        from faststream.middlewares import AckPolicy
        from faststream.rabbit import Channel, ExchangeType, RabbitBroker, RabbitExchange, RabbitQueue

        broker = RabbitBroker(
            self.url, timeout=self.connect_timeout, reconnect_interval=1.0, fail_fast=True,
            apply_types=False, logger=None, graceful_timeout=self.publish_timeout,
        )
        self._exchange = RabbitExchange(self.exchange_name, type=ExchangeType.TOPIC, durable=True)
        for sub in self.subscriptions:
            keys = ["#"] if "*" in sub.event_types else list(sub.event_types)
            queue = RabbitQueue(
                self.queue_name(sub.consumer), durable=True, routing_key=keys[0],
                # Several processes may run the same consumer: only one receives at a time, in order.
                arguments={"x-single-active-consumer": True},
            )
            # prefetch 1: the next event is only sent once this one is acked, so order holds.
            channel = Channel(prefetch_count=1)
            broker.subscriber(queue, self._exchange, channel=channel,
                              ack_policy=AckPolicy.NACK_ON_ERROR, no_reply=True)(self._on_message(sub))
            self._extra_bindings.append((queue, channel, keys[1:]))
        return broker

    def _on_message(self, sub: Subscription) -> Any:
        async def on_message(body: Any) -> None:
            envelope = json.loads(body) if isinstance(body, bytes | str) else body
            if not await self._deliver(sub, envelope):
                raise RuntimeError("handler failed; requeued")  # NACK_ON_ERROR puts it back

        return on_message

    async def _connect(self) -> None:
        self._extra_bindings: list[tuple[Any, Any, list[str]]] = []
        self._broker = self._build()
        await self._broker.connect()
        exchange = await self._broker.declare_exchange(self._exchange)
        # Bind every event type before consuming starts; the robust queue restores them after a reconnect.
        for queue, channel, keys in self._extra_bindings:
            # Same channel as the subscriber: FastStream caches the queue object, and the consumer
            # must sit on the prefetch-1 channel.
            declared = await self._broker.config.declarer.declare_queue(queue, channel=channel)
            for key in keys:
                await declared.bind(exchange, routing_key=key)
        await self._broker.start()

    async def _disconnect(self) -> None:
        broker, self._broker = self._broker, None
        if broker is not None:
            await broker.stop()

    def _connected(self) -> bool:
        connection = getattr(self._broker, "_connection", None) if self._broker is not None else None
        return bool(connection is not None and connection.connected.is_set() and self._broker.running)

    async def _send(self, envelope: dict[str, Any]) -> None:
        confirmation = await self._broker.publish(
            _encode(envelope), exchange=self._exchange, routing_key=envelope["type"],
            persist=True, mandatory=False, message_id=envelope["id"], content_type=CONTENT_TYPE,
            message_type=envelope["type"], timestamp=None, timeout=self.publish_timeout,
            correlation_id=envelope["id"],
        )
        # With publisher confirms aio-pika returns the Basic.Ack frame; a Nack raises.
        if confirmation is None:
            raise BrokerUnavailable("RabbitMQ returned no publisher confirm")

    async def _round_trip(self) -> None:
        """A round trip that also proves a publish would land: the exchange exists. On a channel of its
        own: the publishing channel remembers what it declared, and a refused passive declare closes
        the channel it ran on."""
        from aio_pika.exceptions import ChannelNotFoundEntity

        channel = await self._broker._connection.channel(publisher_confirms=False)
        try:
            await channel.declare_exchange(self.exchange_name, passive=True, timeout=2.0)
        except ChannelNotFoundEntity as exc:
            raise BrokerUnavailable(f"RabbitMQ exchange {self.exchange_name} does not exist") from exc
        finally:
            if not channel.is_closed:
                await channel.close()


class NatsBus(_BrokerBus):
    """JetStream stream `DARCA_EVENTS` over `darca.>` (declared on connect), one durable consumer per subscriber."""

    name = "nats"

    def __init__(self, url: str, *, stream: str = "DARCA_EVENTS", subject_root: str = "darca",
                 **kwargs: Any) -> None:
        super().__init__(url, **kwargs)
        self.stream_name = stream
        self.subject_root = subject_root
        self._broker: Any = None

    def subject(self, event_type: str) -> str:
        # Types already start with "darca."; the stream's root replaces that namespace.
        return f"{self.subject_root}.{event_type.removeprefix('darca.')}"

    @property
    def stream_subjects(self) -> str:
        return f"{self.subject_root}.>"

    def _build(self) -> Any:
        from faststream.middlewares import AckPolicy
        from faststream.nats import ConsumerConfig, JStream, NatsBroker, PullSub
        from nats.js.api import AckPolicy as JsAckPolicy
        from nats.js.api import DeliverPolicy

        broker = NatsBroker(
            self.url, connect_timeout=self.connect_timeout, max_reconnect_attempts=-1,
            reconnect_time_wait=1, allow_reconnect=True, apply_types=False, logger=None,
            graceful_timeout=self.publish_timeout,
        )
        # Declared by `_declare_stream` whether or not this process subscribes: a publisher alone
        # must find the stream there, or every publish fails with "no stream".
        self._stream = JStream(self.stream_name, subjects=[self.stream_subjects], declare=False)
        for sub in self.subscriptions:
            # NATS 2.9 filters one subject per consumer: one type filters at the server,
            # several types take the whole stream and skip the rest here (acked, in order).
            subject = self.subject(sub.event_types[0]) if len(sub.event_types) == 1 and "*" not in sub.event_types \
                else f"{self.subject_root}.>"
            broker.subscriber(
                subject, stream=self._stream, durable=sub.consumer,
                pull_sub=PullSub(batch_size=1, timeout=1.0),
                config=ConsumerConfig(ack_policy=JsAckPolicy.EXPLICIT, max_ack_pending=1,
                                      deliver_policy=DeliverPolicy.ALL, ack_wait=30),
                ack_policy=AckPolicy.NACK_ON_ERROR, no_reply=True,
            )(self._on_message(sub))
        return broker

    def _on_message(self, sub: Subscription) -> Any:
        async def on_message(body: Any) -> None:
            envelope = json.loads(body) if isinstance(body, bytes | str) else body
            if not await self._deliver(sub, envelope):
                raise RuntimeError("handler failed; redelivered")

        return on_message

    async def _connect(self) -> None:
        self._broker = self._build()
        await self._broker.connect()
        await self._declare_stream()
        await self._broker.start()

    async def _declare_stream(self) -> None:
        """Create the stream, or add our subjects to an existing one (its other settings are the operator's)."""
        from nats.js.errors import NotFoundError

        js = self._broker.config.connection_state.stream
        try:
            info = await js.stream_info(self.stream_name)
        except NotFoundError:
            # Two processes racing here both succeed: adding an identical stream is a no-op.
            await js.add_stream(config=self._stream.config, subjects=[self.stream_subjects])
            log.info("bus.stream_declared", bus=self.name, stream=self.stream_name, subjects=self.stream_subjects)
            return
        subjects = list(info.config.subjects or ())
        if self.stream_subjects not in subjects:
            info.config.subjects = [*subjects, self.stream_subjects]
            await js.update_stream(config=info.config)
            log.warning("bus.stream_subjects_added", bus=self.name, stream=self.stream_name,
                        subjects=info.config.subjects)

    async def _disconnect(self) -> None:
        broker, self._broker = self._broker, None
        if broker is not None:
            await broker.stop()

    def _connected(self) -> bool:
        connection = getattr(self._broker, "_connection", None) if self._broker is not None else None
        return bool(connection is not None and connection.is_connected and self._broker.running)

    async def _send(self, envelope: dict[str, Any]) -> None:
        from nats.js.errors import NoStreamResponseError

        # Going through the stream waits for the JetStream PubAck; Nats-Msg-Id lets the
        # server drop a duplicate the relay sends again after a lost ack.
        try:
            await self._broker.publish(
                _encode(envelope), self.subject(envelope["type"]), stream=self.stream_name,
                headers={"Nats-Msg-Id": envelope["id"], "content-type": CONTENT_TYPE},
                correlation_id=envelope["id"], timeout=self.publish_timeout,
            )
        except NoStreamResponseError:
            # The stream went away (deleted, or a server restarted without its JetStream store):
            # declare it again so the relay's next attempt lands, as RabbitMQ's robust channel
            # declares the exchange again when a publish found it missing.
            await self._declare_stream()
            raise

    async def _round_trip(self) -> None:
        """A round trip that also proves a publish would land: the stream exists and takes our subjects."""
        from nats.js.errors import NotFoundError

        try:
            info = await self._broker.config.connection_state.stream.stream_info(self.stream_name)
        except NotFoundError as exc:
            raise BrokerUnavailable(f"JetStream stream {self.stream_name} does not exist") from exc
        if self.stream_subjects not in (info.config.subjects or ()):
            raise BrokerUnavailable(f"JetStream stream {self.stream_name} does not take {self.stream_subjects}")


class KafkaBus(_BrokerBus):
    """One topic keyed by partition key (order per aggregate), a consumer group per subscriber.

    Untested here: no Kafka server in this environment.
    """

    name = "kafka"

    def __init__(self, url: str, *, topic: str = "darca.events", **kwargs: Any) -> None:
        super().__init__(url, **kwargs)
        self.topic = topic
        self._broker: Any = None
        self._up = False

    def _build(self) -> Any:
        from faststream.kafka import KafkaBroker
        from faststream.middlewares import AckPolicy

        bootstrap = self.url.removeprefix("kafka://").rstrip("/")
        broker = KafkaBroker(bootstrap, acks="all", enable_idempotence=True, apply_types=False,
                             logger=None, graceful_timeout=self.publish_timeout,
                             request_timeout_ms=int(self.publish_timeout * 1000))
        for sub in self.subscriptions:
            broker.subscriber(self.topic, group_id=sub.consumer, auto_offset_reset="earliest",
                              ack_policy=AckPolicy.NACK_ON_ERROR,
                              no_reply=True)(self._on_message(sub))
        return broker

    def _on_message(self, sub: Subscription) -> Any:
        async def on_message(body: Any) -> None:
            envelope = json.loads(body) if isinstance(body, bytes | str) else body
            if not await self._deliver(sub, envelope):
                raise RuntimeError("handler failed; offset not committed")

        return on_message

    async def _connect(self) -> None:
        self._broker = self._build()
        await self._broker.start()
        self._up = True

    async def _disconnect(self) -> None:
        self._up = False
        broker, self._broker = self._broker, None
        if broker is not None:
            await broker.stop()

    def _connected(self) -> bool:
        return self._up and self._broker is not None

    async def _send(self, envelope: dict[str, Any]) -> None:
        await self._broker.publish(
            _encode(envelope), self.topic, key=envelope.get("partitionkey", envelope["id"]).encode(),
            headers={"content-type": CONTENT_TYPE, "ce_id": envelope["id"], "ce_type": envelope["type"]},
            correlation_id=envelope["id"],
        )

    async def _round_trip(self) -> None:
        if not await self._broker.ping(timeout=2.0):
            raise BrokerUnavailable("Kafka did not answer")


def create_broker_bus(url: str, **options: Any) -> _BrokerBus:
    """The bus for a broker URL; `options` (exchange/stream/topic names, timeouts) are for tests and tuning."""
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme in ("amqp", "amqps"):
        return RabbitBus(url, **options)
    if scheme == "nats":
        return NatsBus(url, **options)
    if scheme == "kafka":
        return KafkaBus(url, **options)
    raise ValueError(f"Unsupported DARCA_BROKER_URL scheme {scheme or redacted(url)!r}; use one of {', '.join(SUPPORTED_SCHEMES)}")


def create_bus(url: str) -> EventBus:
    """The bus a broker URL names: `memory://` in-process, else a FastStream-backed broker."""
    if url.startswith("memory://"):
        return InProcessBus()
    return create_broker_bus(url)
