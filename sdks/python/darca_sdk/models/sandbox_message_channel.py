from enum import StrEnum


class SandboxMessageChannel(StrEnum):
    EMAIL = "EMAIL"
    SMS = "SMS"

    def __str__(self) -> str:
        return str(self.value)
