"""Handlers of the `notifications` tag."""

from .handler import NotificationsHandler

__all__ = ["NotificationsHandler"]
