from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from core.platform.ids import encode_base32, encode_uuid, new_id


def test_ids_are_prefixed_and_sort_by_creation() -> None:
    ids = [new_id("evt") for _ in range(200)]
    assert all(re.fullmatch(r"evt_[0-9a-z]{26}", i) for i in ids)
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)


def test_base32_is_order_preserving() -> None:
    values = [0, 1, 31, 32, 2**64, 2**127, 2**128 - 1]
    encoded = [encode_base32(v) for v in values]
    assert encoded == sorted(encoded)
    assert encode_base32(2**128 - 1) == "7" + "z" * 25


@given(st.lists(st.integers(min_value=0, max_value=2**128 - 1), min_size=1, max_size=20))
def test_uuids_encode_as_base32_whatever_came_before(values: list[int]) -> None:
    # Neighbours sharing their leading bits, as UUIDv7s made one after another do, and strangers.
    for value in values + [v ^ 1 for v in values] + [v + 2**40 for v in values if v + 2**40 < 2**128]:
        assert encode_uuid(value) == encode_base32(value)
