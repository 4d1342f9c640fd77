from enum import StrEnum


class PasskeyDeviceType(StrEnum):
    MULTI_DEVICE = "MULTI_DEVICE"
    SINGLE_DEVICE = "SINGLE_DEVICE"

    def __str__(self) -> str:
        return str(self.value)
