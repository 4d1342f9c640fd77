from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.ledger_account_status import LedgerAccountStatus
from ..models.ledger_account_type import LedgerAccountType
from ..models.ledger_freeze import LedgerFreeze
from ..models.ledger_owner_type import LedgerOwnerType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.ledger_balance import LedgerBalance
    from ..models.money import Money


T = TypeVar("T", bound="LedgerAccount")


@_attrs_define
class LedgerAccount:
    """
    Attributes:
        id (str): Ledger account id.
        owner_type (LedgerOwnerType):
        owner_id (str):
        type_ (LedgerAccountType):
        asset (str): Code of an asset in the asset registry (ISO 4217 for fiat, ticker for crypto).
        status (LedgerAccountStatus):
        freeze (LedgerFreeze): What the account refuses while frozen.
        balance (LedgerBalance): Balances of one account, each a Money of the account's asset: `posted` (the journal's
            sum, negative only for an account allowed below zero), `pending` (held by pending holds) and `available` (posted
            minus pending).
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        version (int):
        rail (str | Unset): Payment rail of a settlement account.
        credit_limit (Money | Unset): An amount of an asset; the amount is never negative.
        max_balance (Money | Unset): An amount of an asset; the amount is never negative.
        label (str | Unset):
    """

    id: str
    owner_type: LedgerOwnerType
    owner_id: str
    type_: LedgerAccountType
    asset: str
    status: LedgerAccountStatus
    freeze: LedgerFreeze
    balance: LedgerBalance
    created_at: datetime.datetime
    updated_at: datetime.datetime
    version: int
    rail: str | Unset = UNSET
    credit_limit: Money | Unset = UNSET
    max_balance: Money | Unset = UNSET
    label: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        owner_type = self.owner_type.value

        owner_id = self.owner_id

        type_ = self.type_.value

        asset = self.asset

        status = self.status.value

        freeze = self.freeze.value

        balance = self.balance.to_dict()

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        version = self.version

        rail = self.rail

        credit_limit: dict[str, Any] | Unset = UNSET
        if not isinstance(self.credit_limit, Unset):
            credit_limit = self.credit_limit.to_dict()

        max_balance: dict[str, Any] | Unset = UNSET
        if not isinstance(self.max_balance, Unset):
            max_balance = self.max_balance.to_dict()

        label = self.label

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "owner_type": owner_type,
                "owner_id": owner_id,
                "type": type_,
                "asset": asset,
                "status": status,
                "freeze": freeze,
                "balance": balance,
                "created_at": created_at,
                "updated_at": updated_at,
                "version": version,
            }
        )
        if rail is not UNSET:
            field_dict["rail"] = rail
        if credit_limit is not UNSET:
            field_dict["credit_limit"] = credit_limit
        if max_balance is not UNSET:
            field_dict["max_balance"] = max_balance
        if label is not UNSET:
            field_dict["label"] = label

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ledger_balance import LedgerBalance  # noqa: PLC0415
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        owner_type = LedgerOwnerType(d.pop("owner_type"))

        owner_id = d.pop("owner_id")

        type_ = LedgerAccountType(d.pop("type"))

        asset = d.pop("asset")

        status = LedgerAccountStatus(d.pop("status"))

        freeze = LedgerFreeze(d.pop("freeze"))

        balance = LedgerBalance.from_dict(d.pop("balance"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        version = d.pop("version")

        rail = d.pop("rail", UNSET)

        _credit_limit = d.pop("credit_limit", UNSET)
        credit_limit: Money | Unset
        if isinstance(_credit_limit, Unset):
            credit_limit = UNSET
        else:
            credit_limit = Money.from_dict(_credit_limit)

        _max_balance = d.pop("max_balance", UNSET)
        max_balance: Money | Unset
        if isinstance(_max_balance, Unset):
            max_balance = UNSET
        else:
            max_balance = Money.from_dict(_max_balance)

        label = d.pop("label", UNSET)

        ledger_account = cls(
            id=id,
            owner_type=owner_type,
            owner_id=owner_id,
            type_=type_,
            asset=asset,
            status=status,
            freeze=freeze,
            balance=balance,
            created_at=created_at,
            updated_at=updated_at,
            version=version,
            rail=rail,
            credit_limit=credit_limit,
            max_balance=max_balance,
            label=label,
        )

        return ledger_account
