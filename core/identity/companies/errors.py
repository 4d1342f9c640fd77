"""Refusals of DARCA ID for businesses."""

from __future__ import annotations

from core.platform.problems import FieldProblem, ProblemError, conflict, not_found, unprocessable


def company_not_found(company_id: str) -> ProblemError:
    # also the answer to a non-member: whether the company exists is not revealed
    return not_found("COMPANY_NOT_FOUND", f"No company {company_id}.")


def forbidden(action: str) -> ProblemError:
    return ProblemError(403, "FORBIDDEN", "Forbidden", f"Your role in this company does not allow {action}.")


def company_exists() -> ProblemError:
    return conflict("COMPANY_ALREADY_REGISTERED",
                    "A company with this registration number is already registered in this country.")


def invalid_country() -> ProblemError:
    return unprocessable("INVALID_COUNTRY", "The country is not an assigned ISO 3166-1 alpha-2 code.",
                         [FieldProblem("body.country", "INVALID_COUNTRY", "Not an assigned ISO 3166-1 alpha-2 code.")])


def department_exists() -> ProblemError:
    return conflict("DEPARTMENT_EXISTS", "The company already has a department with this name.")


def department_not_found() -> ProblemError:
    return unprocessable("DEPARTMENT_NOT_FOUND", "The company has no such department.",
                         [FieldProblem("body.department_id", "DEPARTMENT_NOT_FOUND", "No such department.")])


def invitee_ambiguous() -> ProblemError:
    return unprocessable("INVITEE_REQUIRED", "Name the invitee by exactly one of email and phone.",
                         [FieldProblem("body", "INVITEE_REQUIRED", "Give exactly one of email and phone.")])


def already_member() -> ProblemError:
    return conflict("ALREADY_MEMBER", "This user is already a member of the company.")


def invitation_pending() -> ProblemError:
    return conflict("INVITATION_ALREADY_PENDING", "This address already has a pending invitation to the company.")


def invitation_not_found(invitation_id: str) -> ProblemError:
    return not_found("INVITATION_NOT_FOUND", f"No invitation {invitation_id}.")


def invitation_not_pending(status: str) -> ProblemError:
    return conflict("INVITATION_NOT_PENDING", f"The invitation is {status.lower()}; it can no longer be answered.")


def member_not_found(user_id: str) -> ProblemError:
    return not_found("MEMBER_NOT_FOUND", f"No member {user_id} in this company.")


def last_owner() -> ProblemError:
    return conflict("LAST_OWNER", "A company keeps at least one owner: make someone else owner first.")


def api_key_not_found(api_key_id: str) -> ProblemError:
    return not_found("API_KEY_NOT_FOUND", f"No API key {api_key_id} in this company.")


def expiry_in_past() -> ProblemError:
    return unprocessable("EXPIRES_AT_IN_PAST", "The key must expire in the future.",
                         [FieldProblem("body.expires_at", "EXPIRES_AT_IN_PAST", "Must be in the future.")])
