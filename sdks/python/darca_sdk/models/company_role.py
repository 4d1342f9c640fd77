from enum import StrEnum


class CompanyRole(StrEnum):
    ACCOUNTANT = "accountant"
    ADMIN = "admin"
    APPROVER = "approver"
    OWNER = "owner"
    VIEWER = "viewer"

    def __str__(self) -> str:
        return str(self.value)
