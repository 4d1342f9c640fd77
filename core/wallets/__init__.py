"""Wallets: a person's or a company's customer-wallet accounts on the ledger, one per asset."""
