from enum import StrEnum


class Environment(StrEnum):
    PRODUCTION = "PRODUCTION"
    SANDBOX = "SANDBOX"

    def __str__(self) -> str:
        return str(self.value)
