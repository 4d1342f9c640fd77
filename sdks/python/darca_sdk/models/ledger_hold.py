from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.ledger_hold_status import LedgerHoldStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="LedgerHold")


@_attrs_define
class LedgerHold:
    """
    Attributes:
        id (str): Hold id.
        account_id (str): Ledger account id.
        destination_account_id (str): Ledger account id.
        amount (Money): An amount of an asset; the amount is never negative.
        posted_amount (Money): An amount of an asset; the amount is never negative.
        status (LedgerHoldStatus):
        expires_at (datetime.datetime):
        created_at (datetime.datetime):
        chain_id (str | Unset):
        transaction_id (str | Unset): Ledger transaction id.
        resolved_at (datetime.datetime | Unset):
    """

    id: str
    account_id: str
    destination_account_id: str
    amount: Money
    posted_amount: Money
    status: LedgerHoldStatus
    expires_at: datetime.datetime
    created_at: datetime.datetime
    chain_id: str | Unset = UNSET
    transaction_id: str | Unset = UNSET
    resolved_at: datetime.datetime | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        account_id = self.account_id

        destination_account_id = self.destination_account_id

        amount = self.amount.to_dict()

        posted_amount = self.posted_amount.to_dict()

        status = self.status.value

        expires_at = self.expires_at.isoformat()

        created_at = self.created_at.isoformat()

        chain_id = self.chain_id

        transaction_id = self.transaction_id

        resolved_at: str | Unset = UNSET
        if not isinstance(self.resolved_at, Unset):
            resolved_at = self.resolved_at.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "account_id": account_id,
                "destination_account_id": destination_account_id,
                "amount": amount,
                "posted_amount": posted_amount,
                "status": status,
                "expires_at": expires_at,
                "created_at": created_at,
            }
        )
        if chain_id is not UNSET:
            field_dict["chain_id"] = chain_id
        if transaction_id is not UNSET:
            field_dict["transaction_id"] = transaction_id
        if resolved_at is not UNSET:
            field_dict["resolved_at"] = resolved_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        account_id = d.pop("account_id")

        destination_account_id = d.pop("destination_account_id")

        amount = Money.from_dict(d.pop("amount"))

        posted_amount = Money.from_dict(d.pop("posted_amount"))

        status = LedgerHoldStatus(d.pop("status"))

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        chain_id = d.pop("chain_id", UNSET)

        transaction_id = d.pop("transaction_id", UNSET)

        _resolved_at = d.pop("resolved_at", UNSET)
        resolved_at: datetime.datetime | Unset
        if isinstance(_resolved_at, Unset):
            resolved_at = UNSET
        else:
            resolved_at = datetime.datetime.fromisoformat(_resolved_at)

        ledger_hold = cls(
            id=id,
            account_id=account_id,
            destination_account_id=destination_account_id,
            amount=amount,
            posted_amount=posted_amount,
            status=status,
            expires_at=expires_at,
            created_at=created_at,
            chain_id=chain_id,
            transaction_id=transaction_id,
            resolved_at=resolved_at,
        )

        return ledger_hold
