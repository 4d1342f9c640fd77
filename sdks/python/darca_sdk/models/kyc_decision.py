from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.kyc_decision_outcome import KycDecisionOutcome

T = TypeVar("T", bound="KycDecision")


@_attrs_define
class KycDecision:
    """
    Attributes:
        decision (KycDecisionOutcome):
        reason (str): Why; kept in the history, the audit record and the event.
    """

    decision: KycDecisionOutcome
    reason: str

    def to_dict(self) -> dict[str, Any]:
        decision = self.decision.value

        reason = self.reason

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "decision": decision,
                "reason": reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        decision = KycDecisionOutcome(d.pop("decision"))

        reason = d.pop("reason")

        kyc_decision = cls(
            decision=decision,
            reason=reason,
        )

        return kyc_decision
