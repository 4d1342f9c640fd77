from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.mfa_method import MfaMethod
from ..models.step_up_status import StepUpStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="StepUp")


@_attrs_define
class StepUp:
    """
    Attributes:
        id (str):
        status (StepUpStatus):
        action (str): The action the challenge authorises, such as `payment.create` or `identity.totp.disable`.
        methods (list[MfaMethod]): The ways this challenge can be verified.
        created_at (datetime.datetime):
        expires_at (datetime.datetime): The challenge must be verified and used before this time (5 minutes after
            creation).
        amount (Money | Unset): An amount of an asset; the amount is never negative.
        counterparty (str | Unset):
        verified_method (MfaMethod | Unset):
        verified_at (datetime.datetime | Unset):
        consumed_at (datetime.datetime | Unset):
    """

    id: str
    status: StepUpStatus
    action: str
    methods: list[MfaMethod]
    created_at: datetime.datetime
    expires_at: datetime.datetime
    amount: Money | Unset = UNSET
    counterparty: str | Unset = UNSET
    verified_method: MfaMethod | Unset = UNSET
    verified_at: datetime.datetime | Unset = UNSET
    consumed_at: datetime.datetime | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        status = self.status.value

        action = self.action

        methods = []
        for methods_item_data in self.methods:
            methods_item = methods_item_data.value
            methods.append(methods_item)

        created_at = self.created_at.isoformat()

        expires_at = self.expires_at.isoformat()

        amount: dict[str, Any] | Unset = UNSET
        if not isinstance(self.amount, Unset):
            amount = self.amount.to_dict()

        counterparty = self.counterparty

        verified_method: str | Unset = UNSET
        if not isinstance(self.verified_method, Unset):
            verified_method = self.verified_method.value

        verified_at: str | Unset = UNSET
        if not isinstance(self.verified_at, Unset):
            verified_at = self.verified_at.isoformat()

        consumed_at: str | Unset = UNSET
        if not isinstance(self.consumed_at, Unset):
            consumed_at = self.consumed_at.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "status": status,
                "action": action,
                "methods": methods,
                "created_at": created_at,
                "expires_at": expires_at,
            }
        )
        if amount is not UNSET:
            field_dict["amount"] = amount
        if counterparty is not UNSET:
            field_dict["counterparty"] = counterparty
        if verified_method is not UNSET:
            field_dict["verified_method"] = verified_method
        if verified_at is not UNSET:
            field_dict["verified_at"] = verified_at
        if consumed_at is not UNSET:
            field_dict["consumed_at"] = consumed_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        status = StepUpStatus(d.pop("status"))

        action = d.pop("action")

        methods = []
        _methods = d.pop("methods")
        for methods_item_data in _methods:
            methods_item = MfaMethod(methods_item_data)

            methods.append(methods_item)

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        _amount = d.pop("amount", UNSET)
        amount: Money | Unset
        if isinstance(_amount, Unset):
            amount = UNSET
        else:
            amount = Money.from_dict(_amount)

        counterparty = d.pop("counterparty", UNSET)

        _verified_method = d.pop("verified_method", UNSET)
        verified_method: MfaMethod | Unset
        if isinstance(_verified_method, Unset):
            verified_method = UNSET
        else:
            verified_method = MfaMethod(_verified_method)

        _verified_at = d.pop("verified_at", UNSET)
        verified_at: datetime.datetime | Unset
        if isinstance(_verified_at, Unset):
            verified_at = UNSET
        else:
            verified_at = datetime.datetime.fromisoformat(_verified_at)

        _consumed_at = d.pop("consumed_at", UNSET)
        consumed_at: datetime.datetime | Unset
        if isinstance(_consumed_at, Unset):
            consumed_at = UNSET
        else:
            consumed_at = datetime.datetime.fromisoformat(_consumed_at)

        step_up = cls(
            id=id,
            status=status,
            action=action,
            methods=methods,
            created_at=created_at,
            expires_at=expires_at,
            amount=amount,
            counterparty=counterparty,
            verified_method=verified_method,
            verified_at=verified_at,
            consumed_at=consumed_at,
        )

        return step_up
