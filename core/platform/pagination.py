"""Opaque cursors for keyset pagination: base64url of the last key seen, validated on the way in."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from .problems import bad_request

T = TypeVar("T")


def encode_cursor(key: Sequence[Any]) -> str:
    raw = json.dumps({"k": list(key)}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, arity: int = 1) -> list[Any] | None:
    """The key a cursor stands for; a cursor we did not issue is a 400 `INVALID_CURSOR`."""
    if cursor is None:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        key = data["k"]
        if not isinstance(key, list) or len(key) != arity or not all(isinstance(v, str | int) for v in key):
            raise ValueError("wrong shape")
        return key
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError):
        raise bad_request("INVALID_CURSOR", "The cursor is not one this API issued; start again without it.") from None


@dataclass(frozen=True)
class PageSlice(Generic[T]):
    items: list[T]
    has_more: bool
    next_cursor: str | None


def slice_page(rows: list[T], limit: int, key_of: Any) -> PageSlice[T]:
    """Rows fetched with `limit + 1` become one page plus whether more follow."""
    has_more = len(rows) > limit
    items = rows[:limit]
    cursor = encode_cursor(key_of(items[-1])) if has_more and items else None
    return PageSlice(items, has_more, cursor)
