"""The contracts speak one vocabulary (ADR 0023), checked over the bundled OpenAPI and AsyncAPI documents
and the protobuf descriptors, so a new operation, event or message cannot drift from it unnoticed.

- Money: every amount is a `Money`/`SignedMoney` object `{amount, asset}`; no bare decimal elsewhere.
- Enums: UPPER_SNAKE_CASE values, except values an external standard spells (listed below, with why);
  proto enums are `<ENUM_NAME>_<REST value>`, one to one with their REST enum.
- "Exactly one of": a `oneOf` with a discriminator whose branches each pin the property to their key.
- Headers: none a browser's scripts cannot set.
- Step-up: an operation that takes `X-Step-Up-Id` says when it needs one (`x-darca-step-up`) and
  declares the 403 `StepUpRequired` response; the action is the one the code consumes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from app.runtime import load_spec
from core.identity.api import TRUST_ACTION
from core.identity.companies.api_keys import CREATE_ACTION as API_KEY_CREATE_ACTION
from core.identity.mfa.service import DISABLE_ACTION, REGENERATE_ACTION
from core.identity.passkeys.ceremony import REGISTER_ACTION
from core.identity.sessions.credentials import CHANGE_ACTION as PASSWORD_CHANGE_ACTION
from generated.openapi import models
from generated.proto.darca.ledger.v1 import ledger_pb2 as pb
from handlers.ledger.grpc import enum_names

OPENAPI = load_spec("openapi.json")
ASYNCAPI = load_spec("asyncapi.json")
UPPER_SNAKE = re.compile(r"^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$")
DECIMAL = re.compile(r"\\\.\[0-9\]")  # a pattern that spells a decimal fraction
MONEY_SCHEMAS = {"Money", "SignedMoney", "DecimalAmount", "SignedDecimalAmount"}

# Enums whose values an external standard spells; everything else is UPPER_SNAKE_CASE.
STANDARD_ENUMS = {
    "/components/schemas/WebAuthnCredentialType/enum": "W3C WebAuthn PublicKeyCredential.type",
    "/components/schemas/WebAuthnAuthenticatorAttachment/enum": "W3C WebAuthn AuthenticatorAttachment",
    "/components/schemas/Locale/enum": "BCP 47 language tags",
    "/components/schemas/ApiKeyScope/enum": "OAuth-style scopes (`resource:verb`) shared with the security schemes",
    "/components/schemas/TokenPair/properties/token_type/enum": "RFC 6750 token type",
    "/components/headers/IdempotentReplayed/schema/enum": "a header's boolean value",
}

# Request headers a browser's scripts cannot set (Fetch "forbidden request-header names", and User-Agent,
# which browsers still refuse).
FORBIDDEN_HEADERS = {
    "accept-charset", "accept-encoding", "access-control-request-headers", "access-control-request-method",
    "connection", "content-length", "cookie", "cookie2", "date", "dnt", "expect", "host", "keep-alive", "origin",
    "referer", "set-cookie", "te", "trailer", "transfer-encoding", "upgrade", "via", "user-agent",
}

STEP_UP_ACTIONS = {
    "disableTotp": (DISABLE_ACTION, "ALWAYS"),
    "regenerateRecoveryCodes": (REGENERATE_ACTION, "ALWAYS"),
    "trustDevice": (TRUST_ACTION, "UNTRUSTED_DEVICE"),
    "createPasskeyRegistrationOptions": (REGISTER_ACTION, "UNTRUSTED_DEVICE"),
    "createApiKey": (API_KEY_CREATE_ACTION, "UNTRUSTED_DEVICE"),
    "changeMyPassword": (PASSWORD_CHANGE_ACTION, "UNTRUSTED_DEVICE"),
}


def walk(node: Any, pointer: str = "") -> Iterator[tuple[str, Any]]:
    """Every (JSON pointer, node) of a document, without following $refs."""
    yield pointer, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, f"{pointer}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from walk(value, f"{pointer}/{i}")


def operations() -> Iterator[tuple[str, dict[str, Any]]]:
    for item in OPENAPI["paths"].values():
        for op in item.values():
            if isinstance(op, dict) and "operationId" in op:
                yield op["operationId"], op


def deref(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        section, name = node["$ref"].split("/")[-2:]
        node = OPENAPI["components"][section][name]
    return node


@pytest.mark.parametrize("document", [OPENAPI, ASYNCAPI], ids=["openapi", "asyncapi"])
def test_amounts_exist_only_as_money(document: dict[str, Any]) -> None:
    stray = []
    for name, schema in document["components"]["schemas"].items():
        if name in MONEY_SCHEMAS:
            continue
        for pointer, node in walk(schema, f"/components/schemas/{name}"):
            if not isinstance(node, dict):
                continue
            ref = node.get("$ref", "")
            if ref.rsplit("/", 1)[-1] in ("DecimalAmount", "SignedDecimalAmount") or \
                    DECIMAL.search(str(node.get("pattern", ""))):
                stray.append(pointer)
            properties = node.get("properties") or {}
            if "currency" in properties:
                stray.append(f"{pointer}/properties/currency")
    assert not stray, f"a bare amount outside Money/SignedMoney (use {{amount, asset}}): {stray}"
    money = document["components"]["schemas"]["Money"]
    assert money["required"] == ["amount", "asset"] and set(money["properties"]) == {"amount", "asset"}


@pytest.mark.parametrize("document", [OPENAPI, ASYNCAPI], ids=["openapi", "asyncapi"])
def test_enum_values_are_upper_snake_case(document: dict[str, Any]) -> None:
    found, bad = set(), []
    for pointer, node in walk(document):
        if pointer.endswith("/enum") and isinstance(node, list) and pointer not in STANDARD_ENUMS:
            bad += [f"{pointer}: {value!r}" for value in node
                    if isinstance(value, str) and not UPPER_SNAKE.match(value)]
        if pointer in STANDARD_ENUMS:
            found.add(pointer)
    assert not bad, f"enum values are UPPER_SNAKE_CASE (ADR 0023): {bad}"
    if document is OPENAPI:
        assert found == set(STANDARD_ENUMS), f"stale exceptions: {set(STANDARD_ENUMS) - found}"


@pytest.mark.parametrize(("proto_enum", "rest_enum"), [
    (pb.Direction, models.LedgerDirection), (pb.FreezeMode, models.LedgerFreeze),
    (pb.HoldStatus, models.LedgerHoldStatus), (pb.OwnerType, models.LedgerOwnerType),
    (pb.AccountType, models.LedgerAccountType), (pb.AccountStatus, models.LedgerAccountStatus),
])
def test_proto_enums_map_one_to_one_onto_rest_enums(proto_enum: Any, rest_enum: Any) -> None:
    names = enum_names(proto_enum)  # CREDIT -> DIRECTION_CREDIT's number, by the prefix rule alone
    assert set(names) == {member.value for member in rest_enum}
    assert len(set(names.values())) == len(names) == len(proto_enum.keys()) - 1  # all but UNSPECIFIED
    assert proto_enum.Name(names[next(iter(names))]).endswith(next(iter(names)))


def test_every_proto_enum_has_its_rest_enum() -> None:
    """A proto enum of the ledger is the REST enum in prefixed form: none without its REST twin."""
    twins = {"Direction", "FreezeMode", "HoldStatus", "OwnerType", "AccountType", "AccountStatus",
             "TransactionView"}  # TransactionView shapes a gRPC reply only; REST has no such choice
    assert set(pb.DESCRIPTOR.enum_types_by_name) == twins


def test_enum_names_refuses_a_value_without_its_prefix() -> None:
    class Misnamed:
        class DESCRIPTOR:  # the shape of a protobuf enum descriptor
            name = "Direction"

        @staticmethod
        def items() -> list[tuple[str, int]]:
            return [("DIRECTION_UNSPECIFIED", 0), ("CREDIT", 1)]

    with pytest.raises(ValueError, match="DIRECTION_"):
        enum_names(Misnamed)  # type: ignore[arg-type]


def test_every_one_of_is_discriminated() -> None:
    schemas = OPENAPI["components"]["schemas"]
    checked = 0
    for pointer, node in walk(OPENAPI):
        if not (isinstance(node, dict) and "oneOf" in node):
            continue
        discriminator = node.get("discriminator")
        assert discriminator, f"{pointer}: a oneOf needs a discriminator (ADR 0023)"
        prop, mapping = discriminator["propertyName"], discriminator["mapping"]
        assert sorted(mapping.values()) == sorted(branch["$ref"] for branch in node["oneOf"]), pointer
        for key, ref in mapping.items():
            branch = schemas[ref.rsplit("/", 1)[-1]]
            assert prop in branch["required"] and branch["properties"][prop].get("const") == key, (pointer, key)
            assert branch.get("additionalProperties") is False, (pointer, key)
            assert UPPER_SNAKE.match(key), (pointer, key)
        checked += 1
    assert checked >= 3  # SecondFactor, StepUpVerification, InvitationCreation


def test_no_exactly_one_of_in_prose() -> None:
    prose = [pointer for pointer, node in walk(OPENAPI)
             if pointer.endswith("/description") and isinstance(node, str) and "exactly one of" in node.lower()]
    assert not prose, f"say it with oneOf and a discriminator, not in a description: {prose}"


def test_discriminated_bodies_refuse_an_empty_object() -> None:
    for model in (models.SecondFactor, models.StepUpVerification, models.InvitationCreation):
        with pytest.raises(ValueError):
            model.model_validate({})


def test_no_header_a_browser_cannot_send() -> None:
    declared = {deref(p)["name"].lower() for _, op in operations() for p in op.get("parameters", [])
                if deref(p)["in"] == "header"}
    assert not declared & FORBIDDEN_HEADERS, f"browsers cannot set {sorted(declared & FORBIDDEN_HEADERS)}"


def test_step_up_is_declared_where_it_can_be_demanded() -> None:
    declared = {}
    for op_id, op in operations():
        takes_header = any(deref(p)["name"] == "X-Step-Up-Id" for p in op.get("parameters", []))
        marked = op.get("x-darca-step-up")
        assert takes_header == (marked is not None), f"{op_id}: X-Step-Up-Id and x-darca-step-up go together"
        if marked is None:
            continue
        assert op["responses"]["403"] == {"$ref": "#/components/responses/StepUpRequired"}, op_id
        declared[op_id] = (marked["action"], marked["required"])
    assert declared == STEP_UP_ACTIONS
    problem = OPENAPI["components"]["responses"]["StepUpRequired"]["content"]["application/problem+json"]
    assert problem["schema"] == {"$ref": "#/components/schemas/StepUpRequiredProblem"}
