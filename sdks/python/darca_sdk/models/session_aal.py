from enum import StrEnum


class SessionAal(StrEnum):
    AAL1 = "AAL1"
    AAL2 = "AAL2"

    def __str__(self) -> str:
        return str(self.value)
