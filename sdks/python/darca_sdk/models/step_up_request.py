from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="StepUpRequest")


@_attrs_define
class StepUpRequest:
    """
    Attributes:
        action (str): The action the challenge authorises, such as `payment.create` or `identity.totp.disable`.
        amount (Money | Unset): An amount of an asset; the amount is never negative.
        counterparty (str | Unset): The other party of the action (account id, IBAN, address), matched exactly.
    """

    action: str
    amount: Money | Unset = UNSET
    counterparty: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        action = self.action

        amount: dict[str, Any] | Unset = UNSET
        if not isinstance(self.amount, Unset):
            amount = self.amount.to_dict()

        counterparty = self.counterparty

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "action": action,
            }
        )
        if amount is not UNSET:
            field_dict["amount"] = amount
        if counterparty is not UNSET:
            field_dict["counterparty"] = counterparty

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        action = d.pop("action")

        _amount = d.pop("amount", UNSET)
        amount: Money | Unset
        if isinstance(_amount, Unset):
            amount = UNSET
        else:
            amount = Money.from_dict(_amount)

        counterparty = d.pop("counterparty", UNSET)

        step_up_request = cls(
            action=action,
            amount=amount,
            counterparty=counterparty,
        )

        return step_up_request
