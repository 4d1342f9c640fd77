"""Refusals of the asset registry."""

from core.platform.problems import ProblemError, conflict, not_found


def asset_not_found(code: str) -> ProblemError:
    return not_found("ASSET_NOT_FOUND", f"No asset with code {code} is registered.")


def asset_exists(code: str) -> ProblemError:
    return conflict("ASSET_ALREADY_EXISTS", f"An asset with code {code} is already registered.")
