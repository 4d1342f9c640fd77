"""The audit chain's facade: append an entry inside the caller's unit of work (it commits with the
action it records), and verify the whole chain."""

from core.audit.log import RESULTS, AuditEntry, record
from core.audit.verify import Report, verify

__all__ = ["RESULTS", "AuditEntry", "Report", "record", "verify"]
