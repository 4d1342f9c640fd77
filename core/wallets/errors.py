"""Refusals of wallets."""

from __future__ import annotations

from core.platform.problems import FieldProblem, ProblemError, conflict, unprocessable


def asset_not_found(code: str) -> ProblemError:
    return unprocessable("ASSET_NOT_FOUND", f"No asset with code {code} is registered (see GET /v1/assets).",
                         [FieldProblem("body.asset", "ASSET_NOT_FOUND", "Not an asset of the registry.")])


def asset_disabled(code: str) -> ProblemError:
    return unprocessable("ASSET_DISABLED", f"The asset {code} is disabled: no new wallets are opened in it.",
                         [FieldProblem("body.asset", "ASSET_DISABLED", "The asset is disabled.")])


def wallet_exists(owner_id: str, asset: str) -> ProblemError:
    return conflict("WALLET_ALREADY_EXISTS", f"{owner_id} already has a wallet in {asset}.")


def not_a_person() -> ProblemError:
    return ProblemError(403, "FORBIDDEN", "Forbidden", "Only a person (a user's session) opens wallets of their own.")
