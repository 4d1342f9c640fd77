from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="TotpProof")


@_attrs_define
class TotpProof:
    """A code of the authenticator app.

    Attributes:
        method (Literal['TOTP']):
        code (str): The 6-digit code the authenticator app shows now.
    """

    method: Literal["TOTP"]
    code: str

    def to_dict(self) -> dict[str, Any]:
        method = self.method

        code = self.code

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "method": method,
                "code": code,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        method = cast(Literal["TOTP"], d.pop("method"))
        if method != "TOTP":
            raise ValueError(f"method must match const 'TOTP', got '{method}'")

        code = d.pop("code")

        totp_proof = cls(
            method=method,
            code=code,
        )

        return totp_proof
