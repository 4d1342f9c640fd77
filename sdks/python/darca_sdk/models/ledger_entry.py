from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.ledger_direction import LedgerDirection
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money import Money
    from ..models.signed_money import SignedMoney


T = TypeVar("T", bound="LedgerEntry")


@_attrs_define
class LedgerEntry:
    """
    Attributes:
        transaction_id (str): Ledger transaction id.
        account_id (str): Ledger account id.
        direction (LedgerDirection):
        amount (Money): An amount of an asset; the amount is never negative.
        balance_after (SignedMoney): A balance of an asset; the same shape as `Money`, the amount may be negative.
        account_version (int):
        type_ (str): Transaction type such as TRANSFER, TOP_UP, HOLD_POST, REVERSAL, PAYMENT.
        posted_at (datetime.datetime):
        counterparty_account_id (str | Unset): Ledger account id.
    """

    transaction_id: str
    account_id: str
    direction: LedgerDirection
    amount: Money
    balance_after: SignedMoney
    account_version: int
    type_: str
    posted_at: datetime.datetime
    counterparty_account_id: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        transaction_id = self.transaction_id

        account_id = self.account_id

        direction = self.direction.value

        amount = self.amount.to_dict()

        balance_after = self.balance_after.to_dict()

        account_version = self.account_version

        type_ = self.type_

        posted_at = self.posted_at.isoformat()

        counterparty_account_id = self.counterparty_account_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "transaction_id": transaction_id,
                "account_id": account_id,
                "direction": direction,
                "amount": amount,
                "balance_after": balance_after,
                "account_version": account_version,
                "type": type_,
                "posted_at": posted_at,
            }
        )
        if counterparty_account_id is not UNSET:
            field_dict["counterparty_account_id"] = counterparty_account_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415
        from ..models.signed_money import SignedMoney  # noqa: PLC0415

        d = dict(src_dict)
        transaction_id = d.pop("transaction_id")

        account_id = d.pop("account_id")

        direction = LedgerDirection(d.pop("direction"))

        amount = Money.from_dict(d.pop("amount"))

        balance_after = SignedMoney.from_dict(d.pop("balance_after"))

        account_version = d.pop("account_version")

        type_ = d.pop("type")

        posted_at = datetime.datetime.fromisoformat(d.pop("posted_at"))

        counterparty_account_id = d.pop("counterparty_account_id", UNSET)

        ledger_entry = cls(
            transaction_id=transaction_id,
            account_id=account_id,
            direction=direction,
            amount=amount,
            balance_after=balance_after,
            account_version=account_version,
            type_=type_,
            posted_at=posted_at,
            counterparty_account_id=counterparty_account_id,
        )

        return ledger_entry
