"""Packed columns of the PostgreSQL write: one string per column, or None to fall back to arrays."""

import json
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic_core import to_json

from core.ledger.repository import PG_WRITE, PG_WRITE_PACKED, _pack, _write_params, json_text


def test_text_columns_join_with_the_unit_separator_and_mark_nulls() -> None:
    assert _pack(["a", None, "", "b"], "text") == "a\x1f\x1e\x1f\x1fb"
    assert _pack([], "text") == ""
    assert _pack(["only"], "text") == "only"


def test_numbers_and_flags_are_written_as_text() -> None:
    assert _pack([1, -20, 300], "integer") == "1\x1f-20\x1f300"
    assert _pack([True, False, None], "boolean") == "t\x1ff\x1f\x1e"
    with pytest.raises(TypeError):
        _pack([1.5], "integer")


@pytest.mark.parametrize("values", [["a\x1fb"], ["x", "\x1e"], ["a", "b\x1e", None], [""]])
def test_values_that_cannot_be_told_apart_refuse_packing(values: list[str | None]) -> None:
    assert _pack(values, "text") is None


def test_one_unpackable_value_sends_the_whole_unit_as_arrays() -> None:
    rows = [{"client_id": "ok", "kind": "k", "request_hash": "h", "succeeded": True, "result": {"a": 1},
             "created_at": None}]
    cols = (("client_id", "text"), ("kind", "text"), ("request_hash", "text"), ("succeeded", "boolean"),
            ("result", "json"), ("created_at", "now"))
    statement, params = _write_params([("r", cols, rows)])
    assert statement is PG_WRITE_PACKED
    assert params == {"r_client_id": "ok", "r_kind": "k", "r_request_hash": "h", "r_succeeded": "t",
                      "r_result": '{"a":1}'}

    statement, params = _write_params([("r", cols, [*rows, {**rows[0], "client_id": "bad\x1f"}])])
    assert statement is PG_WRITE
    assert params["r_client_id"] == ["ok", "bad\x1f"]
    assert params["r_succeeded"] == [True, True]


json_scalars = st.none() | st.booleans() | st.integers(min_value=-(10**30), max_value=10**30) | st.text()
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(), inner, max_size=4), max_leaves=20)


@given(json_values)
def test_json_columns_hold_the_document_pydantic_core_would_write(value: object) -> None:
    assert json.loads(json_text(value)) == json.loads(to_json(value))


def test_what_orjson_would_write_its_own_way_is_written_by_pydantic_core() -> None:
    for value in ({"at": datetime(2026, 11, 29, 12, tzinfo=UTC)}, {"n": 2**70}, {1: "non-string key"}):
        assert json_text(value) == to_json(value).decode()


@given(st.lists(json_values, min_size=1, max_size=5))
def test_json_text_never_holds_a_separator_so_json_columns_always_pack(values: list[object]) -> None:
    """JSON writes control characters escaped, so JSON columns skip the separator check."""
    texts = [json_text(v) for v in values]
    packed = _pack(texts, "json")
    assert packed is not None and packed.split("\x1f") == texts
