from __future__ import annotations

import re

from core.platform.ids import encode_base32, new_id


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
