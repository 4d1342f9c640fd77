from enum import StrEnum


class TotpState(StrEnum):
    ENABLED = "ENABLED"
    NOT_ENROLLED = "NOT_ENROLLED"
    PENDING = "PENDING"

    def __str__(self) -> str:
        return str(self.value)
