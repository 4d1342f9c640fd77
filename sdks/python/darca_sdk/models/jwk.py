from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="Jwk")


@_attrs_define
class Jwk:
    """
    Attributes:
        kty (str):
        kid (str):
        alg (str):
        use (str):
        crv (str | Unset):
        x (str | Unset):
    """

    kty: str
    kid: str
    alg: str
    use: str
    crv: str | Unset = UNSET
    x: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        kty = self.kty

        kid = self.kid

        alg = self.alg

        use = self.use

        crv = self.crv

        x = self.x

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "kty": kty,
                "kid": kid,
                "alg": alg,
                "use": use,
            }
        )
        if crv is not UNSET:
            field_dict["crv"] = crv
        if x is not UNSET:
            field_dict["x"] = x

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kty = d.pop("kty")

        kid = d.pop("kid")

        alg = d.pop("alg")

        use = d.pop("use")

        crv = d.pop("crv", UNSET)

        x = d.pop("x", UNSET)

        jwk = cls(
            kty=kty,
            kid=kid,
            alg=alg,
            use=use,
            crv=crv,
            x=x,
        )

        return jwk
