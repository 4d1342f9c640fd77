"""Handlers of the `mfa` tag."""

from .handler import MfaHandler

__all__ = ["MfaHandler"]
