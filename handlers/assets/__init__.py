"""Handlers of the `assets` tag."""

from .handler import AssetsHandler

__all__ = ["AssetsHandler"]
