from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.step_up_verification_passkey import StepUpVerificationPasskey


T = TypeVar("T", bound="StepUpVerification")


@_attrs_define
class StepUpVerification:
    """Exactly one of `totp_code`, `recovery_code` and `passkey`.

    Attributes:
        totp_code (str | Unset): The 6-digit code the authenticator app shows now.
        recovery_code (str | Unset): One of the recovery codes, such as `k7mq-9xrt-2p` (case, spaces and dashes do not
            matter).
        passkey (StepUpVerificationPasskey | Unset): A WebAuthn assertion (`PublicKeyCredential` JSON) over this step-
            up's challenge.
    """

    totp_code: str | Unset = UNSET
    recovery_code: str | Unset = UNSET
    passkey: StepUpVerificationPasskey | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        totp_code = self.totp_code

        recovery_code = self.recovery_code

        passkey: dict[str, Any] | Unset = UNSET
        if not isinstance(self.passkey, Unset):
            passkey = self.passkey.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if totp_code is not UNSET:
            field_dict["totp_code"] = totp_code
        if recovery_code is not UNSET:
            field_dict["recovery_code"] = recovery_code
        if passkey is not UNSET:
            field_dict["passkey"] = passkey

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.step_up_verification_passkey import StepUpVerificationPasskey  # noqa: PLC0415

        d = dict(src_dict)
        totp_code = d.pop("totp_code", UNSET)

        recovery_code = d.pop("recovery_code", UNSET)

        _passkey = d.pop("passkey", UNSET)
        passkey: StepUpVerificationPasskey | Unset
        if isinstance(_passkey, Unset):
            passkey = UNSET
        else:
            passkey = StepUpVerificationPasskey.from_dict(_passkey)

        step_up_verification = cls(
            totp_code=totp_code,
            recovery_code=recovery_code,
            passkey=passkey,
        )

        return step_up_verification
