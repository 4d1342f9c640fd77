"""Password hashing (argon2id) and the weak-password policy."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

from core.platform.settings import get_settings

MIN_LENGTH = 12
# Cost of new hashes (setting password_hash_profile); verifying reads the cost stored in the hash itself.
HASH_PROFILES = {
    "production": profiles.RFC_9106_LOW_MEMORY,  # argon2id, t=3, m=64 MiB, p=4
    "test": replace(profiles.RFC_9106_LOW_MEMORY, time_cost=1, memory_cost=8, parallelism=1),
}
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


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    return PasswordHasher.from_parameters(HASH_PROFILES[get_settings().password_hash_profile])


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
