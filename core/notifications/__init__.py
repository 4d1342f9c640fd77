"""Notifications core: in-app inbox, email (SMTP or local spool), templates per event and locale."""
