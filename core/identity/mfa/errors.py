"""Refusals of the second factor and of step-ups."""

from __future__ import annotations

from core.platform.problems import ProblemError, unprocessable


def mfa_not_enabled(status: int = 409) -> ProblemError:
    return ProblemError(status, "MFA_NOT_ENABLED", "Second factor not enabled",
                        "The user has no authenticator app enabled; enrol one first.")


def second_factor_required() -> ProblemError:
    return unprocessable("SECOND_FACTOR_REQUIRED", "Give exactly one second factor.")


_REFUSALS = {
    ("TOTP", "INVALID"): ("TOTP_CODE_INVALID", "The code is wrong or out of date."),
    ("TOTP", "REUSED"): ("TOTP_CODE_REUSED", "This code was already used; wait for the next one."),
    ("RECOVERY_CODE", "INVALID"): ("RECOVERY_CODE_INVALID", "The recovery code is wrong or already used."),
}


def code_refused(method: str, reason: str, status: int) -> ProblemError:
    code, detail = _REFUSALS[(method, reason)]
    return ProblemError(status, code, "Second factor refused", detail)
