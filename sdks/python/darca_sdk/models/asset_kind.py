from enum import StrEnum


class AssetKind(StrEnum):
    CRYPTO = "CRYPTO"
    FIAT = "FIAT"

    def __str__(self) -> str:
        return str(self.value)
