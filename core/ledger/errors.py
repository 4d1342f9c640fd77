"""Refusals of the ledger, each with a stable code."""

from __future__ import annotations

from core.platform.money import MAX_DIGITS
from core.platform.problems import FieldProblem, ProblemError, conflict, not_found, unprocessable


def account_not_found(account_id: str) -> ProblemError:
    return not_found("ACCOUNT_NOT_FOUND", f"No ledger account {account_id} is visible to you.")


def hold_not_found(hold_id: str) -> ProblemError:
    return not_found("HOLD_NOT_FOUND", f"No hold {hold_id} is visible to you.")


def transaction_not_found(transaction_id: str) -> ProblemError:
    return not_found("TRANSACTION_NOT_FOUND", f"No ledger transaction {transaction_id}.")


def asset_not_found(code: str) -> ProblemError:
    return unprocessable("ASSET_NOT_FOUND", f"No asset with code {code} is registered.")


def unbalanced(asset: str) -> ProblemError:
    return unprocessable("TRANSACTION_UNBALANCED", f"The postings in {asset} do not sum to zero.")


def insufficient_funds(account_id: str) -> ProblemError:
    return unprocessable("INSUFFICIENT_FUNDS", f"Account {account_id} does not have enough available funds.")


def max_balance_exceeded(account_id: str) -> ProblemError:
    return unprocessable("MAX_BALANCE_EXCEEDED", f"Account {account_id} would exceed its maximum balance.")


def account_frozen(account_id: str, direction: str) -> ProblemError:
    return unprocessable("ACCOUNT_FROZEN", f"Account {account_id} is frozen for {direction.lower()}s.")


def account_closed(account_id: str) -> ProblemError:
    return unprocessable("ACCOUNT_CLOSED", f"Account {account_id} is closed.")


def asset_mismatch(account_id: str, asset: str) -> ProblemError:
    return unprocessable("ASSET_MISMATCH", f"Account {account_id} does not hold {asset}.")


def close_nonzero(account_id: str) -> ProblemError:
    return conflict("ACCOUNT_NOT_EMPTY", f"Account {account_id} can only be closed at a zero balance without holds.")


def account_exists(detail: str) -> ProblemError:
    return conflict("ACCOUNT_ALREADY_EXISTS", detail)


def hold_resolved(hold_id: str, status: str) -> ProblemError:
    return conflict("HOLD_ALREADY_RESOLVED", f"Hold {hold_id} is already {status.lower()}.")


def hold_expired(hold_id: str) -> ProblemError:
    return conflict("HOLD_EXPIRED", f"Hold {hold_id} passed its deadline and can no longer be posted.")


def post_exceeds_hold(hold_id: str) -> ProblemError:
    return unprocessable("POST_EXCEEDS_HOLD", f"The amount to post exceeds what hold {hold_id} reserved.")


def already_reversed(transaction_id: str) -> ProblemError:
    return conflict("TRANSACTION_ALREADY_REVERSED", f"Transaction {transaction_id} was already reversed.")


def key_reused(client_id: str) -> ProblemError:
    return unprocessable("IDEMPOTENCY_KEY_REUSED",
                         f"Client id {client_id} was already used for different content; use a new id.")


def linked_failed(client_id: str) -> ProblemError:
    return unprocessable("LINKED_TRANSACTION_FAILED",
                         f"Transaction {client_id} was not applied because another transaction of its linked batch failed.")


def invalid(code: str, detail: str) -> ProblemError:
    return unprocessable(code, detail)


def sandbox_only() -> ProblemError:
    return ProblemError(403, "SANDBOX_ONLY", "Sandbox only",
                        "Top-ups exist only in the SANDBOX environment; this platform runs in PRODUCTION.")


def money_movement_forbidden(account_id: str) -> ProblemError:
    return ProblemError(403, "FORBIDDEN", "Forbidden", f"You may read account {account_id} but not move its money.")


def top_up_limit_exceeded(asset: str, ceiling: str, field: str) -> ProblemError:
    message = f"A sandbox top-up in {asset} is at most {ceiling}."
    return unprocessable("TOP_UP_LIMIT_EXCEEDED", message, [FieldProblem(field, "TOP_UP_LIMIT_EXCEEDED", message)])


def amount_out_of_range(account_id: str) -> ProblemError:
    return unprocessable("AMOUNT_OUT_OF_RANGE",
                         f"The amounts of account {account_id} would exceed the ledger's {MAX_DIGITS} digits.")
