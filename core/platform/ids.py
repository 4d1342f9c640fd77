"""Prefixed, sortable resource ids: `<prefix>_` + UUIDv7 in Crockford base32 (26 chars)."""

from __future__ import annotations

from uuid_utils import uuid7  # RFC 9562 UUIDv7, monotonic within the process (Rust `uuid` crate)

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
_PAIRS = tuple(a + b for a in _ALPHABET for b in _ALPHABET)  # every 10-bit value as its two digits
_SHIFTS = tuple(range(120, -1, -10))  # 13 pairs of digits: the 26 digits of a 128-bit value
_TAIL_BITS = 40  # the last 8 digits
_TAIL = (1 << _TAIL_BITS) - 1
_head: tuple[int, str] = (-1, "")  # the leading 18 digits of the last UUID encoded, by its bits above the tail


def encode_base32(value: int, length: int = 26) -> str:
    """The `length` lowest base32 digits of `value`, most significant first (order-preserving)."""
    if length == 26 and 0 <= value < 1 << 130:
        return "".join([_PAIRS[(value >> shift) & 1023] for shift in _SHIFTS])
    chars = []
    for _ in range(length):
        value, digit = divmod(value, 32)
        chars.append(_ALPHABET[digit])
    return "".join(reversed(chars))


def encode_uuid(value: int) -> str:
    """`encode_base32(value)` for a 128-bit value. UUIDv7s made one after another share their
    timestamp and most of their counter, so their leading 18 digits are usually the last ones'
    and only the tail is encoded (a third of the time of a whole encoding)."""
    global _head
    high, head = _head
    if value >> _TAIL_BITS != high or not 0 <= value < 1 << 128:
        head = encode_base32(value)[:18]
        _head = (value >> _TAIL_BITS, head)
    tail = value & _TAIL
    return f"{head}{_PAIRS[tail >> 30]}{_PAIRS[(tail >> 20) & 1023]}{_PAIRS[(tail >> 10) & 1023]}{_PAIRS[tail & 1023]}"


def new_id(prefix: str) -> str:
    """A new id such as `evt_01jd…`; ids created later sort after earlier ones."""
    return f"{prefix}_{encode_uuid(uuid7().int)}"
