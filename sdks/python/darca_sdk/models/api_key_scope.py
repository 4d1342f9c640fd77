from enum import StrEnum


class ApiKeyScope(StrEnum):
    COMPANYREAD = "company:read"
    LEDGERREAD = "ledger:read"
    PAYMENTSWRITE = "payments:write"
    REPORTSREAD = "reports:read"

    def __str__(self) -> str:
        return str(self.value)
