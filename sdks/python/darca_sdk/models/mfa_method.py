from enum import StrEnum


class MfaMethod(StrEnum):
    PASSKEY = "PASSKEY"
    RECOVERY_CODE = "RECOVERY_CODE"
    TOTP = "TOTP"

    def __str__(self) -> str:
        return str(self.value)
