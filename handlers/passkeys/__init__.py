"""Handlers of the `passkeys` tag."""

from .handler import PasskeysHandler

__all__ = ["PasskeysHandler"]
