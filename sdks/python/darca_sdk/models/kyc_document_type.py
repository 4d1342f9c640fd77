from enum import StrEnum


class KycDocumentType(StrEnum):
    DRIVING_LICENCE = "DRIVING_LICENCE"
    ID_CARD = "ID_CARD"
    PASSPORT = "PASSPORT"

    def __str__(self) -> str:
        return str(self.value)
