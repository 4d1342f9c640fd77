"""The audit trail: an append-only, hash-chained log of security-relevant actions."""

from core.audit.log import AuditEntry, record
from core.audit.verify import Report, verify

__all__ = ["AuditEntry", "Report", "record", "verify"]
