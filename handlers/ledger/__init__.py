"""Handlers of the `ledger` tag."""

from .handler import LedgerHandler

__all__ = ["LedgerHandler"]
