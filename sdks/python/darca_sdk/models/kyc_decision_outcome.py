from enum import StrEnum


class KycDecisionOutcome(StrEnum):
    APPROVE = "APPROVE"
    REJECT = "REJECT"

    def __str__(self) -> str:
        return str(self.value)
