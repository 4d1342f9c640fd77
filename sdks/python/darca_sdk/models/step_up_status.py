from enum import StrEnum


class StepUpStatus(StrEnum):
    CONSUMED = "CONSUMED"
    EXPIRED = "EXPIRED"
    PENDING = "PENDING"
    VERIFIED = "VERIFIED"

    def __str__(self) -> str:
        return str(self.value)
