"""Events evolve by adding fields within a type's `.vN`: an envelope says which release of the schema its `data`
follows (`dataversion`), and a consumer built against an older release still reads a newer payload, ignoring
what it does not know. The platform itself, as the producer, publishes exactly the fields of its contract."""

from __future__ import annotations

import copy
import importlib
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import pydantic
import pytest

from app.runtime import load_spec
from core.platform.outbox import envelope_of
from generated.asyncapi.publishers import EVENT_TYPES
from tests.contract.test_asyncapi_payloads import violations

ROOT = Path(__file__).resolve().parents[2]
ASSET_CHANGED = "darca.platform.asset_registry_changed.v1"


@pytest.fixture
def sdk_events() -> Iterator[ModuleType]:
    """The Python SDK's event models, as a consumer installs them."""
    sys.path.insert(0, str(ROOT / "sdks" / "python"))
    try:
        yield importlib.import_module("darca_sdk.events")
    finally:
        sys.path.remove(str(ROOT / "sdks" / "python"))


def published() -> dict[str, Any]:
    """An envelope exactly as the relay publishes it today."""
    return envelope_of({
        "event_id": "evt_01jdz3yq5n0000000000000000", "event_type": ASSET_CHANGED, "subject": "asset/EUR",
        "partition_key": "asset:EUR", "created_at": datetime(2026, 12, 6, 9, 0, tzinfo=UTC), "traceparent": None,
        "data": {"change": "CREATED", "asset": {"code": "EUR", "name": "Euro", "kind": "FIAT", "scale": 2,
                                                 "status": "ACTIVE", "version": 1}},
    })


def newer(envelope: dict[str, Any]) -> dict[str, Any]:
    """The same event from a later minor release: a higher `dataversion`, new fields in `data` and in a nested
    object, and a new envelope extension attribute."""
    major, minor, _ = envelope["dataversion"].split(".")
    later = copy.deepcopy(envelope)
    later["dataversion"] = f"{major}.{int(minor) + 1}.0"
    later["data"]["reason"] = "listed for SEPA transfers"
    later["data"]["asset"]["symbol"] = "€"
    later["tenantid"] = "darca-eu"
    return later


def test_every_envelope_carries_the_release_of_its_schema() -> None:
    envelope = published()
    assert envelope["dataversion"] == load_spec("asyncapi.json")["info"]["version"]
    assert {event.dataversion for event in EVENT_TYPES.values()} == {envelope["dataversion"]}
    assert violations(envelope) == []


def test_an_older_sdk_consumer_reads_a_newer_payload(sdk_events: ModuleType) -> None:
    later = newer(published())
    event = sdk_events.AssetRegistryChangedEvent.model_validate(later)
    assert event.dataversion == later["dataversion"]
    assert event.data.asset.code == "EUR" and event.data.asset.scale == 2 and event.data.change == "CREATED"
    assert "reason" not in event.data.model_dump() and "tenantid" not in event.model_dump()  # ignored, not kept


def test_the_contract_a_consumer_validates_against_accepts_a_newer_payload() -> None:
    assert violations(newer(published())) == []


def test_a_newer_payload_missing_a_required_field_is_still_refused(sdk_events: ModuleType) -> None:
    broken = newer(published())
    del broken["data"]["asset"]["scale"]  # not an addition: a removal, which no minor release makes
    with pytest.raises(pydantic.ValidationError):
        sdk_events.AssetRegistryChangedEvent.model_validate(broken)
    assert violations(broken)


def test_the_platform_publishes_only_the_fields_of_its_contract() -> None:
    model = EVENT_TYPES[ASSET_CHANGED].envelope_model
    model.model_validate(published())
    with pytest.raises(pydantic.ValidationError, match="reason"):
        model.model_validate(newer(published()))


def test_schema_validation_of_the_envelope_needs_its_dataversion() -> None:
    unversioned = published()
    del unversioned["dataversion"]
    assert any("dataversion" in problem for problem in violations(unversioned))
