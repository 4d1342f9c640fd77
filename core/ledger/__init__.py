"""Ledger & Wallet: double-entry, multi-asset accounts, an append-only journal, and holds."""
