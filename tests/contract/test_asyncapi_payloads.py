"""Every event the platform writes to the outbox, and every event the bus delivers, is a valid
message of the AsyncAPI contract: jsonschema against the bundled document, $refs resolved.

The AsyncAPI document itself is also read by a second, independent parser (asyncapi-python, on
the multi-file source): it must find no structural errors and the same channels our bundle has.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
import yaml
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7
from sqlalchemy import select

from app.main import create_app
from app.runtime import ROOT, build_runtime, load_spec
from core.platform.outbox import envelope_of
from core.platform.tables import OutboxEvent
from tests.conftest import OPERATOR_KEY, make_settings

ASYNCAPI = load_spec("asyncapi.json")
DOCUMENT_URI = "urn:darca:asyncapi"  # the bundled document, so "#/components/..." refs resolve inside it
# AsyncAPI 3's default schema format is a superset of JSON Schema draft 07.
REGISTRY = Registry().with_resource(DOCUMENT_URI, Resource.from_contents(ASYNCAPI, default_specification=DRAFT7))


def message_validators() -> dict[str, jsonschema.Draft7Validator]:
    """Event type (the channel address) -> validator of its message payload."""
    validators = {}
    for channel in ASYNCAPI["channels"].values():
        for message in channel["messages"].values():
            pointer = message.get("$ref")
            payload = ({"$ref": f"{DOCUMENT_URI}{pointer}/payload"} if pointer else message["payload"])
            validators[channel["address"]] = jsonschema.Draft7Validator(
                payload, registry=REGISTRY, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
            )
    return validators


VALIDATORS = message_validators()


def violations(envelope: dict[str, Any]) -> list[str]:
    validator = VALIDATORS.get(envelope.get("type", ""))
    if validator is None:
        return [f"event type {envelope.get('type')!r} has no channel in the AsyncAPI contract"]
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(envelope)]


@pytest.fixture
async def scenario(database_url: str) -> AsyncIterator[tuple[list[dict], list[dict]]]:
    """Runs a scenario on a fresh platform; yields (outbox envelopes, envelopes the bus delivered)."""
    settings = make_settings(database_url)
    runtime = build_runtime(settings)
    delivered: list[dict] = []

    async def collect(envelope: dict[str, Any]) -> None:
        delivered.append(envelope)

    runtime.bus.subscribe("contract-test", ["*"], collect)
    app = create_app(settings, runtime=runtime)
    fastapi_app = app.app
    async with fastapi_app.router.lifespan_context(fastapi_app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://darca.test") as client:
            for code, kind, scale in (("SOL", "CRYPTO", 9), ("ADA", "CRYPTO", 6)):
                response = await client.post(
                    "/v1/assets", json={"code": code, "name": code.title(), "kind": kind, "scale": scale},
                    headers={"X-API-Key": OPERATOR_KEY, "Idempotency-Key": f"evt-{code}",
                             "traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"},
                )
                assert response.status_code == 201, response.text
            for _ in range(200):  # the relay publishes after commit; wait for it to drain
                if await runtime.relay.pending() == 0:
                    break
                await asyncio.sleep(0.02)
        async with runtime.db.unit_of_work() as session:
            rows = (await session.execute(select(OutboxEvent).order_by(OutboxEvent.sequence))).scalars().all()
            yield [envelope_of(row) for row in rows], delivered


@pytest.mark.backends("sqlite", "postgresql")  # smoke: events as written to the outbox
async def test_every_outbox_event_is_a_contract_message(scenario: tuple[list[dict], list[dict]]) -> None:
    outbox, _ = scenario
    types = [envelope["type"] for envelope in outbox]
    # migrate seeds the default registry (one event per asset), then the scenario registered two more.
    defaults = yaml.safe_load((ROOT / "core" / "assets" / "registry.yaml").read_text())["assets"]
    assert types.count("darca.platform.asset_registry_changed.v1") == len(defaults) + 2
    assets = {e["data"]["asset"]["code"] for e in outbox if e["type"] == "darca.platform.asset_registry_changed.v1"}
    assert assets == {a["code"] for a in defaults} | {"SOL", "ADA"}
    problems = {e["id"]: violations(e) for e in outbox}
    assert not {k: v for k, v in problems.items() if v}


async def test_every_delivered_event_is_a_contract_message(scenario: tuple[list[dict], list[dict]]) -> None:
    outbox, delivered = scenario
    assert {e["id"] for e in delivered} == {e["id"] for e in outbox}
    assert all("sequence" in e for e in delivered)  # the relay stamps the outbox position
    problems = {e["id"]: violations(e) for e in delivered}
    assert not {k: v for k, v in problems.items() if v}


@pytest.mark.parametrize(
    ("tamper", "expected"),
    [
        (lambda e: e["data"]["asset"].update(scale=19), "data/asset/scale"),
        (lambda e: e["data"].pop("change"), "data"),
        (lambda e: e.update(time="yesterday"), "time"),
        (lambda e: e.update(id="evt_1"), "id"),
        (lambda e: e.update(type="darca.platform.unknown.v1"), "no channel"),
    ],
)
async def test_a_payload_that_breaks_the_contract_is_caught(
    scenario: tuple[list[dict], list[dict]], tamper: Any, expected: str
) -> None:
    envelope = next(e for e in scenario[0] if e["type"] == "darca.platform.asset_registry_changed.v1")
    assert violations(envelope) == []
    tamper(envelope)
    assert any(expected in problem for problem in violations(envelope)), violations(envelope)


def test_a_second_parser_reads_the_source_document_alike() -> None:
    """asyncapi-python parses the multi-file source (resolving its cross-file $refs itself) and runs
    its structural rules: no errors, and exactly the channels the bundled document has."""
    from asyncapi_python_codegen.parser import extract_all_operations
    from asyncapi_python_codegen.validation import Severity, validate_spec

    source = ROOT / "specs" / "asyncapi" / "darca.yaml"
    operations = extract_all_operations(Path(source))
    issues = validate_spec(yaml.safe_load(source.read_text()), operations, source, fail_on_error=False)
    assert [i for i in issues if i.severity == Severity.ERROR] == []

    parsed = {op.channel.address: {m.name for m in op.channel.messages.values()} for op in operations.values()}
    bundled = {
        c["address"]: {ASYNCAPI["components"]["messages"][m["$ref"].rsplit("/", 1)[1]]["name"]
                       for m in c["messages"].values()}
        for c in ASYNCAPI["channels"].values()
    }
    assert parsed == bundled
    assert {op.action for op in operations.values()} == {"send"}  # the platform only publishes, so far
