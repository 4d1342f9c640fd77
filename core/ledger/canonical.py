"""Canonical JSON of what the ledger hashes: exactly the bytes of
`json.dumps(value, sort_keys=True, separators=(",", ":"), default=default)`.

Stored request hashes and transaction digests were sealed over those bytes and must keep
matching. orjson writes the same bytes several times faster for the ledger's contents (strings,
integers, lists, string-keyed dicts; the ledger has no floats) as long as the text is plain
ASCII without DEL, which `json` would escape. Anything else (non-ASCII text, other types,
integers beyond 64 bits) is written by `json` itself. (orjson would write a UUID or a plain
Enum itself; the ledger hashes neither.)
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import orjson

# Types orjson would write in its own way go to `_refuse` instead, and so to `json`.
_OPTIONS = (orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
            | orjson.OPT_PASSTHROUGH_SUBCLASS)
_ENCODERS: dict[Callable[[Any], Any] | None, json.JSONEncoder] = {}


def _refuse(value: Any) -> Any:
    raise TypeError(type(value).__name__)


def canonical_json(value: Any, default: Callable[[Any], Any] | None = None) -> bytes:
    try:
        encoded = orjson.dumps(value, default=_refuse, option=_OPTIONS)
        if encoded.isascii() and b"\x7f" not in encoded:
            return encoded
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        pass
    encoder = _ENCODERS.get(default)
    if encoder is None:
        encoder = _ENCODERS[default] = json.JSONEncoder(sort_keys=True, separators=(",", ":"), default=default)
    return encoder.encode(value).encode()
