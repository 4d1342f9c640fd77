from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="WebAuthnCredProps")


@_attrs_define
class WebAuthnCredProps:
    """
    Attributes:
        rk (bool | Unset):
    """

    rk: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        rk = self.rk

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if rk is not UNSET:
            field_dict["rk"] = rk

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        rk = d.pop("rk", UNSET)

        web_authn_cred_props = cls(
            rk=rk,
        )

        return web_authn_cred_props
