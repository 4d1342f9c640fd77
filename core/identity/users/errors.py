"""Refusals of DARCA ID."""

from __future__ import annotations

import math
from datetime import timedelta

from core.platform.problems import FieldProblem, ProblemError, conflict, not_found, validation_failed


def user_not_found(user_id: str) -> ProblemError:
    return not_found("USER_NOT_FOUND", f"No user {user_id}.")


def invalid_phone() -> ProblemError:
    return validation_failed([FieldProblem("body.phone", "INVALID_PHONE_NUMBER",
                                           "Not a valid phone number in international form (+country code).")])


def sandbox_phone() -> ProblemError:
    return validation_failed([FieldProblem("body.phone", "SANDBOX_PHONE_NUMBER",
                                           "This is a sandbox test number (+1 NXX 555 01XX); it reaches nobody.")])


def weak_password(codes: list[str], field: str = "body.password") -> ProblemError:
    return validation_failed([FieldProblem(field, code, _WEAK[code]) for code in codes])


_WEAK = {
    "PASSWORD_TOO_SHORT": "Use at least 12 characters.",
    "PASSWORD_CONTAINS_IDENTIFIER": "The password must not contain your email or phone number.",
    "PASSWORD_TOO_COMMON": "This password is too common.",
}


def _address(channel: str) -> str:
    """What a channel's code verifies: the phone number for SMS, the email address for EMAIL."""
    return "phone number" if channel == "SMS" else "email address"


def already_verified(channel: str) -> ProblemError:
    return conflict("ALREADY_VERIFIED", f"The {_address(channel)} is already verified.")


def too_many_requests(code: str, detail: str, wait: timedelta) -> ProblemError:
    seconds = max(1, math.ceil(wait.total_seconds()))
    return ProblemError(429, code, "Too many requests", detail, headers={"Retry-After": str(seconds)})


def guess_limit(wait: timedelta) -> ProblemError:
    return too_many_requests("VERIFICATION_GUESS_LIMIT_REACHED", "Too many wrong codes today; try again later.", wait)


def no_code(channel: str) -> ProblemError:
    return ProblemError(422, "VERIFICATION_CODE_NOT_SENT", "No code to confirm",
                        f"No live code was sent to the {_address(channel)}; request one first.")


def code_expired() -> ProblemError:
    return ProblemError(422, "VERIFICATION_CODE_EXPIRED", "Code expired", "The code has expired; request a new one.")


def code_invalid(attempts_left: int) -> ProblemError:
    return ProblemError(422, "VERIFICATION_CODE_INVALID", "Wrong code", "The code is not correct.",
                        extensions={"attempts_left": attempts_left})
