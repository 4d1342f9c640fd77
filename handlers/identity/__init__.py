"""Handlers of the `identity` tag."""

from .handler import IdentityHandler

__all__ = ["IdentityHandler"]
