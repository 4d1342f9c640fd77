"""The contracts teach by example: every request body and every success response with content in the
OpenAPI document, and every message in the AsyncAPI document, carries at least one example, and every
example is valid against its own schema (jsonschema on the bundled documents, $refs resolved inside them).

- OpenAPI 3.1 schemas are JSON Schema Draft 2020-12; an example is validated against the schema of its
  media type, formats checked. Where the schema is a discriminated `oneOf`, the examples show every branch.
- An AsyncAPI message example is the whole CloudEvents envelope as the outbox publishes it: valid against
  the message payload (the helpers of test_asyncapi_payloads), of the type its channel carries, with the
  `source`, `dataschema` and `dataversion` the platform stamps on that type.
- Every Money in an example has exactly its asset's scale (the asset registry), as the API writes it.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest
import yaml
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from app.runtime import ROOT, load_spec
from core.platform.outbox import SOURCE
from generated.asyncapi.publishers import EVENT_TYPES
from tests.contract.test_asyncapi_payloads import ASYNCAPI, violations

OPENAPI = load_spec("openapi.json")
OPENAPI_URI = "urn:darca:openapi"  # the bundled document, so "#/components/..." refs resolve inside it
OPENAPI_REGISTRY = Registry().with_resource(OPENAPI_URI, Resource.from_contents(OPENAPI, default_specification=DRAFT202012))
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
SCALES = {a["code"]: a["scale"] for a in yaml.safe_load((ROOT / "core" / "assets" / "registry.yaml").read_text())["assets"]}


def _pointer(*tokens: str) -> str:
    return "#/" + "/".join(t.replace("~", "~0").replace("/", "~1") for t in tokens)


def _resolve(doc: dict[str, Any], node: dict[str, Any]) -> tuple[dict[str, Any], tuple[str, ...] | None]:
    """Follow a local $ref (a response kept in components); the node and its tokens if it moved."""
    ref = node.get("$ref")
    if not isinstance(ref, str):
        return node, None
    tokens = tuple(t.replace("~1", "/").replace("~0", "~") for t in ref.removeprefix("#/").split("/"))
    target: Any = doc
    for token in tokens:
        target = target[token]
    return target, tokens


def media_types(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(label, pointer to the media type object, media type object) of every request body and every
    2xx response with content."""
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            name = operation["operationId"]
            if "requestBody" in operation:
                body, moved = _resolve(doc, operation["requestBody"])
                base = moved or ("paths", path, method, "requestBody")
                for media, content in body.get("content", {}).items():
                    yield f"{name} request {media}", _pointer(*base, "content", media), content
            for status, response in operation.get("responses", {}).items():
                if not str(status).startswith("2"):
                    continue
                response, moved = _resolve(doc, response)
                base = moved or ("paths", path, method, "responses", str(status))
                for media, content in response.get("content", {}).items():
                    yield f"{name} {status} {media}", _pointer(*base, "content", media), content


def missing_openapi_examples(doc: dict[str, Any]) -> list[str]:
    """Media types without a named example that has a summary and a value."""
    missing = []
    for label, _, content in media_types(doc):
        examples = content.get("examples") or {}
        if not examples or any(not {"summary", "value"} <= set(e) for e in examples.values()):
            missing.append(label)
    return missing


def openapi_example_violations(location: str, value: Any) -> list[str]:
    """What is wrong with `value` as an instance of the schema of the media type at `location`."""
    validator = jsonschema.Draft202012Validator(
        {"$ref": f"{OPENAPI_URI}{location}/schema"}, registry=OPENAPI_REGISTRY,
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )
    return [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in validator.iter_errors(value)]


def openapi_examples(doc: dict[str, Any]) -> Iterator[tuple[str, str, Any]]:
    for label, location, content in media_types(doc):
        for name, example in (content.get("examples") or {}).items():
            yield f"{label} {name}", location, example.get("value")


def uncovered_variants(doc: dict[str, Any]) -> list[str]:
    """Discriminated oneOf bodies whose examples leave out a branch: each branch is shown once at least."""
    uncovered = []
    for label, _, content in media_types(doc):
        schema, _ = _resolve(OPENAPI, content.get("schema", {}))
        while "$ref" in schema:
            schema, _ = _resolve(OPENAPI, schema)
        discriminator = schema.get("discriminator")
        if "oneOf" not in schema or not discriminator:
            continue
        shown = {e.get("value", {}).get(discriminator["propertyName"]) for e in (content.get("examples") or {}).values()}
        for branch in sorted(set(discriminator["mapping"]) - shown):
            uncovered.append(f"{label}: no example of {discriminator['propertyName']}={branch}")
    return uncovered


def off_scale_amounts(value: Any, where: str = "") -> list[str]:
    """Money objects whose amount is not written at exactly its asset's scale."""
    found = []
    if isinstance(value, dict):
        if set(value) == {"amount", "asset"} and isinstance(value["amount"], str):
            scale = SCALES.get(value["asset"])
            decimals = len(value["amount"].partition(".")[2])
            if scale is None or decimals != scale:
                found.append(f"{where}: {value['amount']} {value['asset']} (scale {scale})")
        for key, item in value.items():
            found += off_scale_amounts(item, f"{where}/{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += off_scale_amounts(item, f"{where}/{index}")
    return found


def message_examples(doc: dict[str, Any]) -> Iterator[tuple[str, str | None, dict[str, Any]]]:
    """(message name, the address of the channel that carries it, example) of every message example."""
    addresses = {
        message["$ref"].rsplit("/", 1)[1]: channel["address"]
        for channel in doc["channels"].values()
        for message in channel["messages"].values()
    }
    for name, message in doc["components"]["messages"].items():
        for example in message.get("examples") or []:
            yield name, addresses.get(name), example


def missing_message_examples(doc: dict[str, Any]) -> list[str]:
    missing = []
    for name, message in doc["components"]["messages"].items():
        examples = message.get("examples") or []
        if not examples or any(not {"name", "summary", "payload"} <= set(e) for e in examples):
            missing.append(name)
    return missing


def message_example_violations(address: str | None, payload: dict[str, Any]) -> list[str]:
    """What is wrong with `payload` as an envelope the platform publishes on `address`."""
    problems = violations(payload)
    event_type = payload.get("type")
    if event_type != address:
        problems.append(f"type {event_type!r} is not {address!r}, the address of the message's channel")
    published = EVENT_TYPES.get(str(event_type))
    if published is not None:
        for attribute, expected in (("source", SOURCE), ("dataschema", published.dataschema),
                                    ("dataversion", published.dataversion)):
            if payload.get(attribute) != expected:
                problems.append(f"{attribute}: {payload.get(attribute)!r}, the platform publishes {expected!r}")
    return problems


# --- the documents ------------------------------------------------------------------------------


def test_every_request_body_and_success_response_has_an_example() -> None:
    labels = [label for label, _, _ in media_types(OPENAPI)]
    assert any(" request " in label for label in labels) and any(" 201 " in label for label in labels)
    assert missing_openapi_examples(OPENAPI) == []


@pytest.mark.parametrize(("location", "value"), [pytest.param(loc, value, id=label)
                                                 for label, loc, value in openapi_examples(OPENAPI)])
def test_openapi_example_is_valid(location: str, value: Any) -> None:
    assert openapi_example_violations(location, value) == []
    assert off_scale_amounts(value) == []


def test_every_branch_of_a_discriminated_body_has_an_example() -> None:
    assert uncovered_variants(OPENAPI) == []


def test_every_message_has_an_example() -> None:
    assert missing_message_examples(ASYNCAPI) == []


@pytest.mark.parametrize(("address", "payload"), [pytest.param(address, example["payload"], id=f"{name} {example['name']}")
                                                  for name, address, example in message_examples(ASYNCAPI)])
def test_message_example_is_a_published_envelope(address: str, payload: dict[str, Any]) -> None:
    assert message_example_violations(address, payload) == []
    assert off_scale_amounts(payload) == []


# --- the checks catch what they are for -------------------------------------------------------------


def _example(doc: dict[str, Any], operation_id: str, part: str) -> tuple[str, dict[str, Any]]:
    """(pointer, media type object) of an operation's request body (`part` "request") or response."""
    return next((location, content) for label, location, content in media_types(doc)
                if label.startswith(f"{operation_id} {part} "))


@pytest.mark.parametrize(
    ("operation", "part", "tamper", "expected"),
    [
        ("createSandboxTopUp", "request", lambda v: v["amount"].update(amount=250), "amount/amount"),
        ("createSandboxTopUp", "request", lambda v: v["amount"].update(amount="-1.00"), "amount/amount"),
        ("registerUser", "201", lambda v: v.pop("id"), "'id' is a required property"),
        ("registerUser", "201", lambda v: v.update(created_at="yesterday"), "created_at"),
        ("registerUser", "request", lambda v: v.update(nickname="Ada"), "nickname"),
        ("getLedgerBalance", "200", lambda v: v["posted"].update(currency="EUR"), "posted"),
        ("verifyStepUp", "request", lambda v: v.update(method="TOTP", credential={}), "(root)"),
        ("createInvitation", "request", lambda v: v.update(invitee_type="FAX"), "(root)"),
    ],
)
def test_an_invalid_openapi_example_is_caught(operation: str, part: str, tamper: Any, expected: str) -> None:
    location, content = _example(OPENAPI, operation, part)
    value = copy.deepcopy(next(iter(content["examples"].values()))["value"])
    assert openapi_example_violations(location, value) == []
    tamper(value)
    problems = openapi_example_violations(location, value)
    assert any(expected in problem for problem in problems), problems


def test_an_amount_off_its_scale_is_caught() -> None:
    assert off_scale_amounts({"fee": {"amount": "1.00", "asset": "EUR"}, "btc": {"amount": "0.00000001", "asset": "BTC"}}) == []
    assert off_scale_amounts({"fee": {"amount": "1.0", "asset": "EUR"}}) == ["/fee: 1.0 EUR (scale 2)"]
    assert off_scale_amounts([{"amount": "5", "asset": "JPY"}, {"amount": "5.00", "asset": "JPY"}]) == [
        "/1: 5.00 JPY (scale 0)"]
    assert off_scale_amounts({"amount": "1.00", "asset": "XYZ"}) == [": 1.00 XYZ (scale None)"]


def test_a_missing_openapi_example_is_caught() -> None:
    doc = copy.deepcopy(OPENAPI)
    _, content = _example(doc, "openWallet", "request")
    del content["examples"]
    _, content = _example(doc, "getMyProfile", "200")
    next(iter(content["examples"].values())).pop("summary")
    assert missing_openapi_examples(doc) == ["getMyProfile 200 application/json", "openWallet request application/json"]


def test_a_missing_branch_example_is_caught() -> None:
    doc = copy.deepcopy(OPENAPI)
    _, content = _example(doc, "verifyStepUp", "request")
    content["examples"] = {k: v for k, v in content["examples"].items() if v["value"]["method"] != "PASSKEY"}
    assert uncovered_variants(doc) == ["verifyStepUp request application/json: no example of method=PASSKEY"]


def test_a_missing_message_example_is_caught() -> None:
    doc = copy.deepcopy(ASYNCAPI)
    doc["components"]["messages"]["UserActivated"]["examples"] = []
    doc["components"]["messages"]["WalletOpened"]["examples"][0].pop("payload")
    assert missing_message_examples(doc) == ["UserActivated", "WalletOpened"]


@pytest.mark.parametrize(
    ("tamper", "expected"),
    [
        (lambda e: e["data"].update(owner_type="HOUSEHOLD"), "data/owner_type"),
        (lambda e: e["data"].pop("reason"), "data"),
        (lambda e: e.pop("dataversion"), "'dataversion' is a required property"),
        (lambda e: e.update(dataversion="0.0.9"), "dataversion: '0.0.9'"),
        (lambda e: e.update(dataschema="/asyncapi.json#/components/schemas/UserActivatedData"), "dataschema"),
        (lambda e: e.update(source="/darca/wallets"), "source"),
        (lambda e: e.update(id="evt_01"), "id"),
        (lambda e: e.update(type="darca.identity.user_activated.v1"), "not 'darca.wallets.wallet_opened.v1'"),
    ],
)
def test_an_invalid_message_example_is_caught(tamper: Any, expected: str) -> None:
    _, address, example = next(m for m in message_examples(ASYNCAPI) if m[0] == "WalletOpened")
    payload = copy.deepcopy(example["payload"])
    assert message_example_violations(address, payload) == []
    tamper(payload)
    problems = message_example_violations(address, payload)
    assert any(expected in problem for problem in problems), problems
