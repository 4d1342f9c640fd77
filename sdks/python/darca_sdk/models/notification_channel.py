from enum import StrEnum


class NotificationChannel(StrEnum):
    EMAIL = "EMAIL"
    IN_APP = "IN_APP"
    PUSH = "PUSH"
    SMS = "SMS"

    def __str__(self) -> str:
        return str(self.value)
