"""Prefixed, sortable resource ids: `<prefix>_` + UUIDv7 in Crockford base32 (26 chars)."""

from __future__ import annotations

from uuid_utils import uuid7  # RFC 9562 UUIDv7, monotonic within the process (Rust `uuid` crate)

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
_PAIRS = tuple(a + b for a in _ALPHABET for b in _ALPHABET)  # every 10-bit value as its two digits
_SHIFTS = tuple(range(120, -1, -10))  # 13 pairs of digits: the 26 digits of a 128-bit value


def encode_base32(value: int, length: int = 26) -> str:
    """The `length` lowest base32 digits of `value`, most significant first (order-preserving)."""
    if length == 26 and 0 <= value < 1 << 130:
        return "".join([_PAIRS[(value >> shift) & 1023] for shift in _SHIFTS])
    chars = []
    for _ in range(length):
        value, digit = divmod(value, 32)
        chars.append(_ALPHABET[digit])
    return "".join(reversed(chars))


def new_id(prefix: str) -> str:
    """A new id such as `evt_01jd…`; ids created later sort after earlier ones."""
    return f"{prefix}_{encode_base32(uuid7().int)}"
