"""Refusals of devices."""

from __future__ import annotations

from core.platform.problems import ProblemError, not_found


def device_not_found(device_id: str) -> ProblemError:
    return not_found("DEVICE_NOT_FOUND", f"No device {device_id}.")
