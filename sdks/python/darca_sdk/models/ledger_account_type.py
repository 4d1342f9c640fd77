from enum import StrEnum


class LedgerAccountType(StrEnum):
    CUSTOMER_WALLET = "CUSTOMER_WALLET"
    EXTERNAL_WORLD = "EXTERNAL_WORLD"
    FEES_REVENUE = "FEES_REVENUE"
    FX_POSITION = "FX_POSITION"
    SETTLEMENT = "SETTLEMENT"
    SUSPENSE = "SUSPENSE"

    def __str__(self) -> str:
        return str(self.value)
