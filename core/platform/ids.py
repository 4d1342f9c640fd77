"""Prefixed, sortable resource ids: `<prefix>_` + UUIDv7 in Crockford base32 (26 chars)."""

from __future__ import annotations

from uuid6 import uuid7

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"


def encode_base32(value: int, length: int = 26) -> str:
    chars = []
    for _ in range(length):
        value, digit = divmod(value, 32)
        chars.append(_ALPHABET[digit])
    return "".join(reversed(chars))


def new_id(prefix: str) -> str:
    """A new id such as `evt_01jd…`; ids created later sort after earlier ones."""
    return f"{prefix}_{encode_base32(uuid7().int)}"
