"""The AsyncAPI bindings say what the brokers really do: every channel and operation carries them, and
the exchange, routing key, stream and subject they state are those of core/platform/brokers.py."""

from __future__ import annotations

from typing import Any

from app.runtime import load_spec
from core.platform.brokers import NatsBus, RabbitBus

ASYNCAPI = load_spec("asyncapi.json")
COMPONENTS = ASYNCAPI["components"]


def resolved(node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if ref is None:
        return node
    target: Any = ASYNCAPI
    for token in ref.removeprefix("#/").split("/"):
        target = target[token]
    return target


def test_every_channel_and_operation_has_the_bindings() -> None:
    missing = [f"channel {name}" for name, c in ASYNCAPI["channels"].items() if "amqp" not in resolved(c.get("bindings", {}))]
    missing += [f"operation {name}" for name, o in ASYNCAPI["operations"].items()
                if not {"amqp", "nats"} <= resolved(o.get("bindings", {})).keys()]
    assert missing == [], "refer to specs/asyncapi/common/bindings.yaml"


def test_amqp_bindings_are_what_the_rabbitmq_bus_declares_and_publishes() -> None:
    bus = RabbitBus("amqp://guest:guest@127.0.0.1:5672/")
    bus._build()  # builds the FastStream objects; connects to nothing
    for name, channel in ASYNCAPI["channels"].items():
        amqp = resolved(channel["bindings"])["amqp"]
        assert amqp["is"] == "routingKey"  # the address is the routing key: the relay publishes with the event type
        exchange = amqp["exchange"]
        assert (exchange["name"], exchange["type"], exchange["durable"], exchange["autoDelete"]) == (
            bus.exchange_name, bus._exchange.type.value, bus._exchange.durable, bus._exchange.auto_delete), name
    for operation in ASYNCAPI["operations"].values():
        assert resolved(operation["bindings"])["amqp"]["deliveryMode"] == 2  # publish(persist=True)


def test_nats_bindings_name_the_stream_and_subjects_of_the_nats_bus() -> None:
    bus = NatsBus("nats://127.0.0.1:4222")
    for name, operation in ASYNCAPI["operations"].items():
        nats = resolved(operation["bindings"])["nats"]
        assert (nats["x-stream"], nats["x-stream-subjects"]) == (bus.stream_name, [bus.stream_subjects]), name
        address = resolved(operation["channel"])["address"]
        assert bus.subject(address) == address  # the subject is the channel address, the event type
