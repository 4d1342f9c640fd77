"""TOTP second factor (RFC 6238 via pyotp) and recovery codes, as pure functions over stored state.

The caller stores the secret, the last accepted time step and the recovery-code hashes; these functions
decide. A code is accepted at most once: any step at or before the last accepted one is refused, which
also refuses an older code from the tolerance window once a newer one was used."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

import pyotp

ISSUER = "DARCA"
WINDOW = 1  # accept the previous/next 30 s step for clock drift
RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i look-alikes


class TotpRejected(Exception):
    def __init__(self, reason: str) -> None:  # INVALID | REUSED
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Enrolment:
    secret: str
    uri: str  # otpauth://totp/… for the authenticator app's QR code


def enrol(account: str, issuer: str = ISSUER) -> Enrolment:
    secret = pyotp.random_base32()
    return Enrolment(secret, pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=issuer))


def normalise_code(code: str) -> str:
    return "".join(code.split())


def verify(secret: str, code: str, last_step: int | None, now: datetime) -> int:
    """The time step the code belongs to (store it as the new `last_step`); raises TotpRejected."""
    code = normalise_code(code)
    if len(code) != 6 or not code.isdigit():
        raise TotpRejected("INVALID")
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in range(current - WINDOW, current + WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            if last_step is not None and step <= last_step:
                raise TotpRejected("REUSED")
            return step
    raise TotpRejected("INVALID")


def new_recovery_codes(count: int = RECOVERY_CODES) -> list[str]:
    """Codes shown to the user once, like `k7mq-9xrt-2p`; store only their hashes."""
    out = []
    for _ in range(count):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        out.append(f"{raw[:4]}-{raw[4:8]}-{raw[8:]}")
    return out


def hash_recovery_code(code: str) -> str:
    # 50 bits of randomness from a CSPRNG: a plain digest suffices (no dictionary to attack); case, dashes
    # and spaces are ignored so a mistyped separator is not a wrong code.
    canonical = "".join(ch for ch in code.lower() if ch.isalnum())
    return hashlib.sha256(f"darca.recovery|{canonical}".encode()).hexdigest()


def consume_recovery_code(code: str, hashes: list[str]) -> list[str]:
    """The remaining hashes once `code` is used; raises TotpRejected("INVALID") when it matches none."""
    candidate = hash_recovery_code(code)
    matched = [h for h in hashes if hmac.compare_digest(h, candidate)]
    if not matched:
        raise TotpRejected("INVALID")
    return [h for h in hashes if h != matched[0]]
