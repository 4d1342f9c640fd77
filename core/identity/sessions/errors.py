"""Refusals of sessions."""

from __future__ import annotations

from core.platform.problems import ProblemError


def invalid_credentials() -> ProblemError:
    return ProblemError(401, "INVALID_CREDENTIALS", "Invalid credentials", "The identifier or password is wrong.",
                        headers={"WWW-Authenticate": "Bearer"})


def invalid_refresh() -> ProblemError:
    return ProblemError(401, "INVALID_REFRESH_TOKEN", "Invalid refresh token",
                        "The refresh token is not valid; log in again.", headers={"WWW-Authenticate": "Bearer"})


def session_not_found(session_id: str) -> ProblemError:
    return ProblemError(404, "SESSION_NOT_FOUND", "Not found", f"No session {session_id}.")


def verification_pending(user_id: str, channels: list[str]) -> ProblemError:
    """The right password of a user who has not verified every channel yet: where to go next."""
    listed = " and ".join({"SMS": "phone"}.get(c, c.lower()) for c in channels)  # what is verified, for people
    return ProblemError(
        403, "VERIFICATION_PENDING", "Verification pending",
        f"Verify the {listed} first: POST /v1/users/{user_id}/verifications (startUserVerification) sends a "
        f"code, POST /v1/users/{user_id}/verifications/confirm (confirmUserVerification) checks it; then log in "
        "again.", extensions={"user_id": user_id, "unverified_channels": channels})


def current_password_invalid() -> ProblemError:
    return ProblemError(422, "CURRENT_PASSWORD_INVALID", "Wrong password", "The current password is not correct.")


def reset_code_invalid() -> ProblemError:
    return ProblemError(422, "PASSWORD_RESET_CODE_INVALID", "Invalid reset code",
                        "The code is wrong, expired or used up, or was not sent to this email; ask for a new one.")
