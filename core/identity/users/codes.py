"""One-time verification codes: 6 digits, stored only as a salted hash."""

from __future__ import annotations

import hashlib
import hmac
import secrets

CODE_DIGITS = 6


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def hash_code(code: str) -> str:
    salt = secrets.token_hex(16)
    return f"{salt}${hashlib.sha256((salt + code).encode()).hexdigest()}"


def code_matches(stored: str, code: str) -> bool:
    salt, digest = stored.split("$", 1)
    return hmac.compare_digest(digest, hashlib.sha256((salt + code).encode()).hexdigest())
