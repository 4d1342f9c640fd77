"""Password hashing (argon2id) and the weak-password policy."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
_HASHER = PasswordHasher(type=Type.ID)
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def weaknesses(password: str, *, email: str, phone: str) -> list[str]:
    """Machine codes of every rule the password breaks; empty when it is acceptable."""
    found = []
    lowered = password.lower()
    if len(password) < MIN_LENGTH:
        found.append("PASSWORD_TOO_SHORT")
    local_part = email.split("@", 1)[0].lower()
    digits = "".join(c for c in phone if c.isdigit())
    if (len(local_part) >= 3 and local_part in lowered) or email.lower() in lowered or \
            (len(digits) >= 6 and digits[-6:] in "".join(c for c in password if c.isdigit())):
        found.append("PASSWORD_CONTAINS_IDENTIFIER")
    if lowered in common_passwords() or lowered.rstrip("0123456789!") in common_passwords():
        found.append("PASSWORD_TOO_COMMON")
    return found


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
