from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="RecoveryCodeProof")


@_attrs_define
class RecoveryCodeProof:
    """One unused recovery code (it is used up).

    Attributes:
        method (Literal['RECOVERY_CODE']):
        code (str): One of the recovery codes, such as `k7mq-9xrt-2p` (case, spaces and dashes do not matter).
    """

    method: Literal["RECOVERY_CODE"]
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
        method = cast(Literal["RECOVERY_CODE"], d.pop("method"))
        if method != "RECOVERY_CODE":
            raise ValueError(f"method must match const 'RECOVERY_CODE', got '{method}'")

        code = d.pop("code")

        recovery_code_proof = cls(
            method=method,
            code=code,
        )

        return recovery_code_proof
