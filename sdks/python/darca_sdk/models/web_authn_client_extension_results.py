from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.web_authn_cred_props import WebAuthnCredProps


T = TypeVar("T", bound="WebAuthnClientExtensionResults")


@_attrs_define
class WebAuthnClientExtensionResults:
    """Outputs of client extensions; DARCA requests none, so only the outputs browsers add on their own are accepted (and
    not evaluated).

        Attributes:
            cred_props (WebAuthnCredProps | Unset):
            appid (bool | Unset):
            appid_exclude (bool | Unset):
            hmac_create_secret (bool | Unset):
    """

    cred_props: WebAuthnCredProps | Unset = UNSET
    appid: bool | Unset = UNSET
    appid_exclude: bool | Unset = UNSET
    hmac_create_secret: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        cred_props: dict[str, Any] | Unset = UNSET
        if not isinstance(self.cred_props, Unset):
            cred_props = self.cred_props.to_dict()

        appid = self.appid

        appid_exclude = self.appid_exclude

        hmac_create_secret = self.hmac_create_secret

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if cred_props is not UNSET:
            field_dict["credProps"] = cred_props
        if appid is not UNSET:
            field_dict["appid"] = appid
        if appid_exclude is not UNSET:
            field_dict["appidExclude"] = appid_exclude
        if hmac_create_secret is not UNSET:
            field_dict["hmacCreateSecret"] = hmac_create_secret

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.web_authn_cred_props import WebAuthnCredProps  # noqa: PLC0415

        d = dict(src_dict)
        _cred_props = d.pop("credProps", UNSET)
        cred_props: WebAuthnCredProps | Unset
        if isinstance(_cred_props, Unset):
            cred_props = UNSET
        else:
            cred_props = WebAuthnCredProps.from_dict(_cred_props)

        appid = d.pop("appid", UNSET)

        appid_exclude = d.pop("appidExclude", UNSET)

        hmac_create_secret = d.pop("hmacCreateSecret", UNSET)

        web_authn_client_extension_results = cls(
            cred_props=cred_props,
            appid=appid,
            appid_exclude=appid_exclude,
            hmac_create_secret=hmac_create_secret,
        )

        return web_authn_client_extension_results
