"""What the SDK generator derives from the specs itself: the problem-code union and the event-type map."""

from __future__ import annotations

from tools.codegen.sdks import _event_map_ts, problem_codes


def spec(description: str, **schemas: dict) -> dict:
    return {"info": {"version": "1.2.3", "description": "Bodies too large are 413 `PAYLOAD_TOO_LARGE`."},
            "paths": {"/v1/things": {"post": {"description": description, "responses": {}}}},
            "components": {"schemas": {"Problem": {"properties": {"code": {"type": "string"}}}, **schemas}}}


def test_codes_are_read_from_the_prose_when_the_spec_declares_none() -> None:
    doc = spec("A duplicate is 409 `THING_EXISTS`; a stranger's is 403 `FORBIDDEN`; a retired one gives "
               "`THING_RETIRED`. The new thing is `ACTIVE` (see `DARCA_THING_LIMIT`), at `AAL2`.",
               ThingStatus={"enum": ["ACTIVE", "RETIRED_FOR_GOOD"]},
               Check={"properties": {"reason": {"type": "string", "description": "Why: `DOCUMENT_EXPIRED`."}}})
    codes, origin = problem_codes(doc)
    assert codes == ["FORBIDDEN", "PAYLOAD_TOO_LARGE", "THING_EXISTS", "THING_RETIRED"]
    assert "declares no list" in origin


def test_a_declared_list_of_codes_wins() -> None:
    doc = spec("A duplicate is 409 `THING_EXISTS`.")
    doc["components"]["schemas"]["Problem"]["properties"]["code"]["x-problem-codes"] = ["B_CODE", "A_CODE"]
    assert problem_codes(doc) == (["A_CODE", "B_CODE"], "the codes declared on Problem.code")


def test_events_are_mapped_by_their_cloudevents_type() -> None:
    asyncapi = {"components": {
        "messages": {"ThingMade": {"payload": {"$ref": "#/components/schemas/ThingMadeEvent"}}},
        "schemas": {"ThingMadeEvent": {"allOf": [{"$ref": "#/components/schemas/CloudEvent"},
                                                 {"properties": {"type": {"const": "darca.things.made.v1"}}}]}}}}
    text = _event_map_ts(asyncapi)
    assert '  "darca.things.made.v1": ThingMadeEvent;\n' in text
    assert "export type DarcaEvent = DarcaEventTypes[keyof DarcaEventTypes];" in text
