"""Handlers of the `platform` tag: liveness, readiness, metadata."""

from .handler import PlatformHandler

__all__ = ["PlatformHandler"]
