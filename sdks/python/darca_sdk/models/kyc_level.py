from enum import StrEnum


class KycLevel(StrEnum):
    BASIC = "BASIC"
    ENHANCED = "ENHANCED"
    NONE = "NONE"
    VERIFIED = "VERIFIED"

    def __str__(self) -> str:
        return str(self.value)
