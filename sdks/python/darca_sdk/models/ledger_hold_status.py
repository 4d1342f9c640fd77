from enum import StrEnum


class LedgerHoldStatus(StrEnum):
    EXPIRED = "EXPIRED"
    PENDING = "PENDING"
    POSTED = "POSTED"
    VOIDED = "VOIDED"

    def __str__(self) -> str:
        return str(self.value)
