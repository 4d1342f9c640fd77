from enum import StrEnum


class CheckStatus(StrEnum):
    FAIL = "FAIL"
    PASS = "PASS"

    def __str__(self) -> str:
        return str(self.value)
