"""The compatibility rules of docs/versioning.md, one small document pair per rule."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from tools.release.compat import Change, compare_asyncapi, compare_openapi

ROOT = Path(__file__).resolve().parents[4]


def api() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1.0.0"},
        "security": [{"bearerAuth": []}],
        "paths": {
            "/v1/things/{thingId}": {
                "parameters": [{"name": "thingId", "in": "path", "required": True, "schema": {"type": "string"}}],
                "get": {
                    "operationId": "getThing",
                    "parameters": [{"$ref": "#/components/parameters/Limit"}],
                    "responses": {
                        "200": {"description": "ok", "headers": {"X-Request-Id": {"schema": {"type": "string"}}},
                                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
                        "404": {"description": "no"},
                    },
                },
                "put": {
                    "operationId": "putThing",
                    "requestBody": {"required": True, "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/ThingInput"}}}},
                    "responses": {"200": {"description": "ok"}},
                },
            },
        },
        "components": {
            "parameters": {"Limit": {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 100}}},
            "schemas": {
                "Thing": {"type": "object", "required": ["id", "kind"], "properties": {
                    "id": {"type": "string", "example": "t_1"},
                    "kind": {"$ref": "#/components/schemas/Kind"},
                    "note": {"type": "string"},
                    "children": {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}},
                }},
                "Kind": {"type": "string", "enum": ["A", "B"]},
                "ThingInput": {"type": "object", "required": ["name"], "properties": {
                    "name": {"type": "string", "maxLength": 100},
                    "kind": {"$ref": "#/components/schemas/Kind"},
                    "note": {"type": "string"},
                }},
            },
        },
    }


def breaking(changes: list[Change]) -> list[str]:
    return [str(c) for c in changes if c.breaking]


def test_identical_documents_have_no_changes() -> None:
    assert compare_openapi(api(), api()) == []


def test_prose_examples_and_markup_never_count() -> None:
    new = api()
    thing = new["components"]["schemas"]["Thing"]
    thing["description"] = "A thing."
    thing["properties"]["id"]["examples"] = ["t_2"]
    thing["properties"]["id"]["example"] = "t_3"
    new["paths"]["/v1/things/{thingId}"]["get"]["summary"] = "Get it"
    new["paths"]["/v1/things/{thingId}"]["get"]["responses"]["200"]["content"]["application/json"]["examples"] = {
        "one": {"value": {"id": "t_1", "kind": "A"}}}
    new["components"]["schemas"]["Kind"]["x-enum-descriptions"] = {"A": "a"}
    assert compare_openapi(api(), new) == []


def edit(path: str, mutate) -> list[str]:  # type: ignore[no-untyped-def]
    new = api()
    mutate(new)
    return breaking(compare_openapi(api(), new))


@pytest.mark.parametrize(("name", "mutate", "expected"), [
    ("removed operation", lambda d: d["paths"]["/v1/things/{thingId}"].pop("put"),
     "PUT /v1/things/{thingId} (putThing): operation removed"),
    ("removed response field", lambda d: d["components"]["schemas"]["Thing"]["properties"].pop("note"),
     "response schema Thing.note: property removed"),
    ("response field may be absent", lambda d: d["components"]["schemas"]["Thing"]["required"].remove("kind"),
     "response schema Thing.kind: became optional (may be absent)"),
    ("response field may be null", lambda d: d["components"]["schemas"]["Thing"]["properties"]["id"].update(
        type=["string", "null"]), "response schema Thing.id: type widened from string to null|string"),
    ("new required request field", lambda d: (
        d["components"]["schemas"]["ThingInput"]["properties"].update(size={"type": "integer"}),
        d["components"]["schemas"]["ThingInput"]["required"].append("size")),
     "request schema ThingInput.size: new required property"),
    ("optional request field made required", lambda d: d["components"]["schemas"]["ThingInput"]["required"].append(
        "note"), "request schema ThingInput.note: became required"),
    ("new required parameter", lambda d: d["paths"]["/v1/things/{thingId}"]["get"]["parameters"].append(
        {"name": "kind", "in": "query", "required": True, "schema": {"type": "string"}}),
     "query parameter kind: new required parameter"),
    ("removed parameter", lambda d: d["paths"]["/v1/things/{thingId}"]["get"].pop("parameters"),
     "query parameter limit: parameter removed"),
    ("narrowed maxLength", lambda d: d["components"]["schemas"]["ThingInput"]["properties"]["name"].update(
        maxLength=50), "request schema ThingInput.name: maxLength changed from 100 to 50"),
    ("new pattern on input", lambda d: d["components"]["schemas"]["ThingInput"]["properties"]["note"].update(
        pattern="^[a-z]+$"), "request schema ThingInput.note: pattern '^[a-z]+$' added"),
    ("narrowed type", lambda d: d["components"]["schemas"]["ThingInput"]["properties"]["note"].update(
        type="integer"), "request schema ThingInput.note: type narrowed from string to integer"),
    ("narrowed parameter maximum", lambda d: d["components"]["parameters"]["Limit"]["schema"].update(maximum=50),
     "query parameter limit: maximum changed from 100 to 50"),
    ("request enum value removed", lambda d: d["components"]["schemas"]["Kind"].update(enum=["A"]),
     "request schema Kind: enum value(s) B removed"),
    ("response enum value added", lambda d: d["components"]["schemas"]["Kind"]["enum"].append("C"),
     "response schema Kind: enum value(s) C added"),
    ("removed success status", lambda d: d["paths"]["/v1/things/{thingId}"]["put"]["responses"].update(
        {"204": d["paths"]["/v1/things/{thingId}"]["put"]["responses"].pop("200")}),
     "PUT /v1/things/{thingId} (putThing) response 200: success status removed"),
    ("removed response header", lambda d: d["paths"]["/v1/things/{thingId}"]["get"]["responses"]["200"].pop(
        "headers"), "response 200 header X-Request-Id: response header removed"),
    ("new security requirement", lambda d: d["paths"]["/v1/things/{thingId}"]["get"].update(
        security=[{"apiKey": []}]), "(getThing): security alternative bearerAuth removed or changed"),
    ("response type changed", lambda d: d["components"]["schemas"]["Thing"]["properties"]["id"].update(
        type="integer"), "response schema Thing.id: type widened from string to integer"),
])
def test_breaking_change_is_reported(name: str, mutate, expected: str) -> None:  # type: ignore[no-untyped-def]
    found = edit(name, mutate)
    assert any(expected in line for line in found), (name, found)


@pytest.mark.parametrize(("name", "mutate"), [
    ("new operation", lambda d: d["paths"].update(
        {"/v1/others": {"get": {"operationId": "listOthers", "responses": {"200": {"description": "ok"}}}}})),
    ("new optional request field", lambda d: d["components"]["schemas"]["ThingInput"]["properties"].update(
        size={"type": "integer"})),
    ("new response field, even required", lambda d: (
        d["components"]["schemas"]["Thing"]["properties"].update(size={"type": "integer"}),
        d["components"]["schemas"]["Thing"]["required"].append("size"))),
    ("new optional parameter", lambda d: d["paths"]["/v1/things/{thingId}"]["get"]["parameters"].append(
        {"name": "kind", "in": "query", "schema": {"type": "string"}})),
    ("wider maxLength on input", lambda d: d["components"]["schemas"]["ThingInput"]["properties"]["name"].update(
        maxLength=200)),
    ("error status no longer sent", lambda d: d["paths"]["/v1/things/{thingId}"]["get"]["responses"].pop("404")),
    ("deprecation", lambda d: d["paths"]["/v1/things/{thingId}"]["get"].update(deprecated=True)),
    ("response format added (narrower)", lambda d: d["components"]["schemas"]["Thing"]["properties"]["id"].update(
        format="uuid")),
])
def test_compatible_change_passes(name: str, mutate) -> None:  # type: ignore[no-untyped-def]
    new = api()
    mutate(new)
    changes = compare_openapi(api(), new)
    assert changes, f"{name}: the change should still be listed for the changelog"
    assert breaking(changes) == [], name


def test_renamed_path_parameter_changes_no_request() -> None:
    new = api()
    item = new["paths"].pop("/v1/things/{thingId}")
    item["parameters"][0]["name"] = "id"
    new["paths"]["/v1/things/{id}"] = item
    assert compare_openapi(api(), new) == []
    item["parameters"][0]["schema"]["maxLength"] = 10
    assert breaking(compare_openapi(api(), new)) == [
        "GET /v1/things/{thingId} (getThing) path parameter #1: maxLength 10 added",
        "PUT /v1/things/{thingId} (putThing) path parameter #1: maxLength 10 added",
    ]


def test_request_only_enum_may_grow() -> None:
    old = api()
    old["components"]["schemas"]["ThingInput"]["properties"]["kind"] = {"type": "string", "enum": ["A"]}
    new = copy.deepcopy(old)
    new["components"]["schemas"]["ThingInput"]["properties"]["kind"]["enum"].append("B")
    changes = compare_openapi(old, new)
    assert [str(c) for c in changes] == ["request schema ThingInput.kind: enum value(s) B added"]
    assert not changes[0].breaking


def events() -> dict[str, Any]:
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "e", "version": "1.0.0"},
        "channels": {"thingCreated": {"address": "darca.things.created.v1", "messages": {
            "thingCreated": {"$ref": "#/components/messages/ThingCreated"}}}},
        "operations": {"publishThingCreated": {"action": "send", "channel": {"$ref": "#/channels/thingCreated"}}},
        "components": {
            "messages": {"ThingCreated": {"name": "ThingCreated", "contentType": "application/cloudevents+json",
                                          "payload": {"$ref": "#/components/schemas/ThingCreatedData"}}},
            "schemas": {"ThingCreatedData": {"type": "object", "required": ["id", "state"], "properties": {
                "id": {"type": "string"}, "state": {"type": "string", "enum": ["NEW"]}, "note": {"type": "string"}}}},
        },
    }


@pytest.mark.parametrize(("mutate", "expected"), [
    (lambda d: d["channels"].clear(), "channel thingCreated: channel removed"),
    (lambda d: d["channels"]["thingCreated"].update(address="darca.things.made.v1"), "address changed"),
    (lambda d: d["channels"]["thingCreated"]["messages"].clear(), "message thingCreated: message removed"),
    (lambda d: d["components"]["schemas"]["ThingCreatedData"]["properties"].pop("note"),
     "event schema ThingCreatedData.note: property removed"),
    (lambda d: d["components"]["schemas"]["ThingCreatedData"]["required"].remove("state"),
     "event schema ThingCreatedData.state: became optional (may be absent)"),
    (lambda d: d["components"]["schemas"]["ThingCreatedData"]["properties"]["id"].update(type="integer"),
     "event schema ThingCreatedData.id: type widened from string to integer"),
    (lambda d: (d["components"]["schemas"]["ThingCreatedData"]["properties"].update(size={"type": "integer"}),
                d["components"]["schemas"]["ThingCreatedData"]["required"].append("size")),
     "event schema ThingCreatedData.size: new required property"),
    (lambda d: d["components"]["schemas"]["ThingCreatedData"]["properties"]["state"]["enum"].append("OLD"),
     "event schema ThingCreatedData.state: enum value(s) OLD added"),
])
def test_breaking_event_change_is_reported(mutate, expected: str) -> None:  # type: ignore[no-untyped-def]
    new = events()
    mutate(new)
    found = breaking(compare_asyncapi(events(), new))
    assert any(expected in line for line in found), found


def test_event_additions_pass() -> None:
    new = events()
    new["components"]["schemas"]["ThingCreatedData"]["properties"]["size"] = {"type": "integer"}
    new["channels"]["thingDeleted"] = {"address": "darca.things.deleted.v1", "messages": {}}
    new["components"]["messages"]["ThingCreated"]["examples"] = [{"payload": {"id": "t", "state": "NEW"}}]
    changes = compare_asyncapi(events(), new)
    assert [str(c) for c in changes] == [
        "channel thingDeleted: channel added (darca.things.deleted.v1)",
        "event schema ThingCreatedData.size: property added",
    ]
    assert breaking(changes) == []


def test_real_contracts_compare_clean_with_themselves() -> None:
    for name, compare in (("openapi", compare_openapi), ("asyncapi", compare_asyncapi)):
        doc = json.loads((ROOT / "generated" / "specs" / f"{name}.json").read_text())
        assert compare(doc, copy.deepcopy(doc)) == []
