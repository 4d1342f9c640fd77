"""Refusals of DARCA ID KYC."""

from __future__ import annotations

from core.platform.problems import FieldProblem, ProblemError, conflict, not_found, unprocessable, validation_failed


def check_not_found(check_id: str) -> ProblemError:
    return not_found("KYC_CHECK_NOT_FOUND", f"No KYC check {check_id}.")


def check_in_progress(check_id: str | None) -> ProblemError:
    detail = "A KYC check is already open; wait for its decision."
    return ProblemError(409, "KYC_CHECK_IN_PROGRESS", "Conflict", detail,
                        extensions={"open_check_id": check_id} if check_id else {})


def target_not_above(current: str, target: str) -> ProblemError:
    return unprocessable("KYC_TARGET_LEVEL_NOT_ABOVE_CURRENT",
                         f"The target level {target} is not above the current level {current}.")


def not_in_manual_review(status: str) -> ProblemError:
    return conflict("KYC_CHECK_NOT_IN_MANUAL_REVIEW", f"The check is {status}; only checks in MANUAL_REVIEW "
                    "can be decided by an operator.")


def invalid_date_of_birth() -> ProblemError:
    return validation_failed([FieldProblem("body.date_of_birth", "INVALID_DATE_OF_BIRTH",
                                           "The date of birth must be in the past and after 1900-01-01.")])


def provider_not_configured() -> ProblemError:
    return ProblemError(503, "KYC_PROVIDER_NOT_CONFIGURED", "KYC provider not configured",
                        "No KYC provider is configured for this environment: the sandbox provider serves only the "
                        "SANDBOX environment, and this platform runs in PRODUCTION.")
