from enum import StrEnum


class LedgerFreeze(StrEnum):
    BOTH = "BOTH"
    CREDITS = "CREDITS"
    DEBITS = "DEBITS"
    NONE = "NONE"

    def __str__(self) -> str:
        return str(self.value)
