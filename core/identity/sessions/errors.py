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
