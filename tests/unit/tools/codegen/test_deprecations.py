"""The deprecation markup check that `make generate` and `make check` run: each rule refuses a planted violation."""

from __future__ import annotations

import copy
import json
from datetime import date
from typing import Any

import pytest

from tools.codegen import openapi_routes
from tools.codegen.__main__ import _yaml_scalar
from tools.codegen.deprecations import DeprecationMarkupError, check

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "t", "version": "1.0.0"},
    "paths": {
        "/v1/things/{thing_id}": {
            "parameters": [{"name": "thing_id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "get": {
                "operationId": "getThing", "tags": ["things"],
                "parameters": [{"name": "view", "in": "query", "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Thing"}}}}},
            },
            "put": {
                "operationId": "putThing", "tags": ["things"],
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
                "responses": {"204": {"description": "done"}},
            },
        }
    },
    "components": {"schemas": {"Thing": {"type": "object", "properties": {
        "name": {"type": "string"},
        "size": {"type": "object", "properties": {"width": {"type": "integer"}}},
    }}}},
}
GOOD = {"deprecated": True, "x-deprecated-at": "2026-06-01", "x-sunset": "2027-06-30"}


def planted(**where: dict[str, Any]) -> dict[str, Any]:
    doc = copy.deepcopy(SPEC)
    nodes = {
        "operation": doc["paths"]["/v1/things/{thing_id}"]["get"],
        "query": doc["paths"]["/v1/things/{thing_id}"]["get"]["parameters"][0],
        "path": doc["paths"]["/v1/things/{thing_id}"]["parameters"][0],
        "field": doc["components"]["schemas"]["Thing"]["properties"]["name"],
        "nested": doc["components"]["schemas"]["Thing"]["properties"]["size"]["properties"]["width"],
    }
    for name, markup in where.items():
        nodes[name].update(markup)
    return doc


def problems(doc: dict[str, Any]) -> list[str]:
    with pytest.raises(DeprecationMarkupError) as refused:
        check(doc)
    return refused.value.problems


def test_complete_markup_passes_and_reaches_the_route_table() -> None:
    doc = planted(operation=GOOD, query=GOOD, field=dict(GOOD, **{"x-deprecation-link": "https://x.example/c"}),
                  nested=GOOD)
    check(doc)
    routes = openapi_routes.render(doc, "test")
    assert "element='operation'" in routes and "element='query.view'" in routes and "element='body.name'" in routes
    assert "('Deprecation', '@1780272000')" in routes and "('Sunset', 'Wed, 30 Jun 2027 00:00:00 GMT')" in routes
    assert "('Link', '<https://x.example/c>; rel=\"deprecation\"')" in routes


def test_no_markup_leaves_the_route_table_as_it_was() -> None:
    check(SPEC)
    assert "deprecations=" not in openapi_routes.render(SPEC, "test")


@pytest.mark.parametrize(("markup", "expected"), [
    ({"deprecated": True}, "getThing: deprecated without x-deprecated-at"),
    ({"deprecated": True, "x-deprecated-at": "2026-06-01"}, "getThing: deprecated without x-sunset"),
    ({**GOOD, "x-sunset": "30/06/2027"}, "getThing: x-sunset must be a date (YYYY-MM-DD) or an RFC 3339 date-time"),
    ({**GOOD, "x-sunset": "2027-02-30"}, "getThing: x-sunset '2027-02-30' is not a calendar date"),
    ({**GOOD, "x-sunset": "2026-05-01"}, "getThing: x-sunset 2026-05-01 is less than 180 days after"),
    ({**GOOD, "x-sunset": "2026-10-01"}, "getThing: x-sunset 2026-10-01 is less than 180 days after"),
    ({"x-sunset": "2027-06-30"}, "getThing: x-sunset without `deprecated: true`"),
    ({**GOOD, "x-deprecation-link": "not a link"}, "getThing: x-deprecation-link must be a URI reference"),
])
def test_operation_markup_is_refused(markup: dict[str, Any], expected: str) -> None:
    assert any(p.startswith(expected) for p in problems(planted(operation=markup))), problems(planted(operation=markup))


def test_inputs_and_schema_properties_are_checked_too() -> None:
    assert any(p.startswith("getThing: parameter view: deprecated without x-sunset")
               for p in problems(planted(query={"deprecated": True, "x-deprecated-at": "2026-06-01"})))
    assert any("path parameter cannot be deprecated alone" in p for p in problems(planted(path=GOOD)))
    assert any(p.startswith("putThing: body field name: deprecated without x-sunset")
               for p in problems(planted(field={"deprecated": True, "x-deprecated-at": "2026-06-01"})))
    assert any(p.startswith("schema Thing.size.width: deprecated without x-deprecated-at")
               for p in problems(planted(nested={"deprecated": True})))


def test_generation_refuses_wrong_markup() -> None:
    with pytest.raises(DeprecationMarkupError):
        openapi_routes.render(planted(operation={"deprecated": True}), "test")


def test_an_unquoted_yaml_date_is_bundled_as_the_date_it_was() -> None:
    assert json.dumps({"x-sunset": date(2027, 6, 30)}, default=_yaml_scalar) == '{"x-sunset": "2027-06-30"}'
    check(planted(operation={**GOOD, "x-deprecated-at": date(2026, 6, 1), "x-sunset": date(2027, 6, 30)}))
