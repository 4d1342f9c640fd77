from enum import StrEnum


class InviteeType(StrEnum):
    EMAIL = "EMAIL"
    PHONE = "PHONE"

    def __str__(self) -> str:
        return str(self.value)
