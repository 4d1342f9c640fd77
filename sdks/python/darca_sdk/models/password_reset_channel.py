from enum import StrEnum


class PasswordResetChannel(StrEnum):
    EMAIL = "EMAIL"

    def __str__(self) -> str:
        return str(self.value)
