from enum import StrEnum


class NotificationCategory(StrEnum):
    ACCOUNT = "ACCOUNT"
    MARKETING = "MARKETING"
    PAYMENTS = "PAYMENTS"
    SECURITY = "SECURITY"

    def __str__(self) -> str:
        return str(self.value)
