from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.platform.pagination import decode_cursor, encode_cursor, slice_page
from core.platform.problems import ProblemError

keys = st.lists(st.one_of(st.text(max_size=30), st.integers(min_value=-(2**62), max_value=2**62)), min_size=1, max_size=3)


@given(keys)
def test_cursor_round_trips(key: list[object]) -> None:
    cursor = encode_cursor(key)
    assert cursor.replace("-", "").replace("_", "").isalnum()
    assert decode_cursor(cursor, arity=len(key)) == key


@pytest.mark.parametrize("cursor", ["!!", "e30", "eyJrIjoxfQ", "eyJrIjpbbnVsbF19", encode_cursor(["a", "b"])])
def test_foreign_cursors_are_invalid(cursor: str) -> None:
    with pytest.raises(ProblemError) as refused:
        decode_cursor(cursor, arity=1)
    assert (refused.value.status, refused.value.code) == (400, "INVALID_CURSOR")


def test_slice_page_marks_more_and_points_after_the_last_item() -> None:
    page = slice_page([1, 2, 3, 4], 3, lambda n: [n])
    assert page.items == [1, 2, 3] and page.has_more
    assert decode_cursor(page.next_cursor) == [3]
    last = slice_page([4], 3, lambda n: [n])
    assert last.items == [4] and not last.has_more and last.next_cursor is None
