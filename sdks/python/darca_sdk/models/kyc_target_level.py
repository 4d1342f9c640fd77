from enum import StrEnum


class KycTargetLevel(StrEnum):
    BASIC = "BASIC"
    ENHANCED = "ENHANCED"
    VERIFIED = "VERIFIED"

    def __str__(self) -> str:
        return str(self.value)
