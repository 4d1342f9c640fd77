"""Refusals of passkeys."""

from __future__ import annotations

from core.platform.problems import ProblemError

MAX_PASSKEYS = 10
CHALLENGE_INVALID = "PASSKEY_CHALLENGE_INVALID"
ASSERTION_INVALID = "PASSKEY_ASSERTION_INVALID"
SIGN_COUNT_REGRESSED = "PASSKEY_SIGN_COUNT_REGRESSED"


def login_refused(code: str) -> ProblemError:
    detail = {
        CHALLENGE_INVALID: "The challenge is unknown, used or expired; start again.",
        ASSERTION_INVALID: "The passkey assertion could not be verified.",
        SIGN_COUNT_REGRESSED: "The authenticator's signature counter did not increase; the passkey is flagged.",
    }[code]
    return ProblemError(401, code, "Passkey authentication failed", detail)


def registration_invalid(reason: str) -> ProblemError:
    return ProblemError(422, "PASSKEY_REGISTRATION_INVALID", "Invalid passkey registration",
                        f"The registration response could not be verified: {reason}.")


def registration_challenge_invalid() -> ProblemError:
    return ProblemError(422, CHALLENGE_INVALID, "Invalid passkey challenge",
                        "The registration challenge is unknown, used or expired; request new options.")


def already_registered() -> ProblemError:
    return ProblemError(409, "PASSKEY_ALREADY_REGISTERED", "Passkey already registered",
                        "This credential is already registered.")


def limit_reached() -> ProblemError:
    return ProblemError(409, "PASSKEY_LIMIT_REACHED", "Too many passkeys",
                        f"At most {MAX_PASSKEYS} passkeys per user; remove one first.")


def passkey_not_found(passkey_id: str) -> ProblemError:
    return ProblemError(404, "PASSKEY_NOT_FOUND", "Not found", f"No passkey {passkey_id}.")


def step_up_not_found(step_up_id: str) -> ProblemError:
    return ProblemError(404, "STEP_UP_NOT_FOUND", "Not found", f"No step-up {step_up_id}.")


def none_registered() -> ProblemError:
    return ProblemError(409, "PASSKEY_NONE_REGISTERED", "No passkey",
                        "Register a passkey first, or use another step-up method.")
