"""Canonical JSON must be byte for byte what `json.dumps` sealed stored hashes with."""

import json
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from core.ledger.canonical import canonical_json

scalars = st.none() | st.booleans() | st.integers(min_value=-(10**30), max_value=10**30) | st.text()
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
                      max_leaves=20)


def dumps(value: object, default: object = None) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=default).encode()  # type: ignore[arg-type]


@given(values)
def test_same_bytes_as_json_dumps(value: object) -> None:
    assert canonical_json(value) == dumps(value)


def test_text_json_would_escape_and_other_types_take_json_itself() -> None:
    for value in ({"b": "é", "a": "\x7f"}, {"n": 2**70}, {"when": datetime(2026, 11, 29, tzinfo=UTC)}, ("x", 1)):
        assert canonical_json(value, default=str) == dumps(value, default=str)


def test_the_ledgers_contents_take_the_fast_path_unchanged() -> None:
    content = {"kind": "transaction", "content": {"postings": [["acc_1", "-100", None], ["acc_2", "100", None]],
                                                  "type": "TRANSFER", "metadata": {"z": "1", "a": "2"},
                                                  "external_reference": None, "reverses_id": None}}
    assert canonical_json(content) == dumps(content)
