from enum import StrEnum


class CompanyRole(StrEnum):
    ACCOUNTANT = "ACCOUNTANT"
    ADMIN = "ADMIN"
    APPROVER = "APPROVER"
    OWNER = "OWNER"
    VIEWER = "VIEWER"

    def __str__(self) -> str:
        return str(self.value)
