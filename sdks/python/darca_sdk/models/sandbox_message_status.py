from enum import StrEnum


class SandboxMessageStatus(StrEnum):
    FAILED = "FAILED"
    PENDING = "PENDING"
    SENT = "SENT"

    def __str__(self) -> str:
        return str(self.value)
