from enum import StrEnum


class LedgerOwnerType(StrEnum):
    COMPANY = "COMPANY"
    PERSON = "PERSON"
    SYSTEM = "SYSTEM"

    def __str__(self) -> str:
        return str(self.value)
