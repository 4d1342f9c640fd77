"""Contains all the data models used in inputs/outputs"""

from .api_key import ApiKey
from .api_key_creation import ApiKeyCreation
from .api_key_list import ApiKeyList
from .api_key_scope import ApiKeyScope
from .api_key_with_secret import ApiKeyWithSecret
from .asset import Asset
from .asset_create import AssetCreate
from .asset_kind import AssetKind
from .asset_page import AssetPage
from .asset_status import AssetStatus
from .category_preference import CategoryPreference
from .category_preference_update import CategoryPreferenceUpdate
from .check_status import CheckStatus
from .company import Company
from .company_page import CompanyPage
from .company_registration import CompanyRegistration
from .company_role import CompanyRole
from .company_update import CompanyUpdate
from .country_code import CountryCode
from .department import Department
from .department_creation import DepartmentCreation
from .department_list import DepartmentList
from .device import Device
from .device_page import DevicePage
from .email_invitation_creation import EmailInvitationCreation
from .environment import Environment
from .field_error import FieldError
from .health_check import HealthCheck
from .health_report import HealthReport
from .invitation import Invitation
from .invitation_list import InvitationList
from .invitation_status import InvitationStatus
from .invitee_type import InviteeType
from .jwk import Jwk
from .jwk_set import JwkSet
from .kyc_check import KycCheck
from .kyc_check_create import KycCheckCreate
from .kyc_check_status import KycCheckStatus
from .kyc_decision import KycDecision
from .kyc_decision_outcome import KycDecisionOutcome
from .kyc_document import KycDocument
from .kyc_document_submission import KycDocumentSubmission
from .kyc_document_type import KycDocumentType
from .kyc_level import KycLevel
from .kyc_profile import KycProfile
from .kyc_status import KycStatus
from .kyc_status_change import KycStatusChange
from .kyc_target_level import KycTargetLevel
from .ledger_account import LedgerAccount
from .ledger_account_page import LedgerAccountPage
from .ledger_account_status import LedgerAccountStatus
from .ledger_account_type import LedgerAccountType
from .ledger_balance import LedgerBalance
from .ledger_direction import LedgerDirection
from .ledger_entry import LedgerEntry
from .ledger_entry_page import LedgerEntryPage
from .ledger_freeze import LedgerFreeze
from .ledger_hold import LedgerHold
from .ledger_hold_page import LedgerHoldPage
from .ledger_hold_status import LedgerHoldStatus
from .ledger_owner_type import LedgerOwnerType
from .ledger_statement import LedgerStatement
from .ledger_transaction import LedgerTransaction
from .ledger_transaction_metadata import LedgerTransactionMetadata
from .locale import Locale
from .member import Member
from .member_page import MemberPage
from .member_update import MemberUpdate
from .mfa_method import MfaMethod
from .module_info import ModuleInfo
from .module_status import ModuleStatus
from .money import Money
from .notification import Notification
from .notification_category import NotificationCategory
from .notification_channel import NotificationChannel
from .notification_page import NotificationPage
from .notification_preferences import NotificationPreferences
from .notification_preferences_update import NotificationPreferencesUpdate
from .page import Page
from .passkey import Passkey
from .passkey_authentication_options import PasskeyAuthenticationOptions
from .passkey_authentication_start import PasskeyAuthenticationStart
from .passkey_device_type import PasskeyDeviceType
from .passkey_list import PasskeyList
from .passkey_login import PasskeyLogin
from .passkey_proof import PasskeyProof
from .passkey_registration import PasskeyRegistration
from .passkey_registration_options import PasskeyRegistrationOptions
from .password_change import PasswordChange
from .password_login import PasswordLogin
from .password_reset_accepted import PasswordResetAccepted
from .password_reset_channel import PasswordResetChannel
from .password_reset_confirmation import PasswordResetConfirmation
from .password_reset_request import PasswordResetRequest
from .phone_invitation_creation import PhoneInvitationCreation
from .platform_meta import PlatformMeta
from .problem import Problem
from .profile import Profile
from .read_all_result import ReadAllResult
from .readiness_problem import ReadinessProblem
from .recovery_code_proof import RecoveryCodeProof
from .recovery_codes import RecoveryCodes
from .refresh_request import RefreshRequest
from .sandbox_message import SandboxMessage
from .sandbox_message_channel import SandboxMessageChannel
from .sandbox_message_page import SandboxMessagePage
from .sandbox_message_status import SandboxMessageStatus
from .sandbox_top_up_create import SandboxTopUpCreate
from .sandbox_top_up_create_metadata import SandboxTopUpCreateMetadata
from .session import Session
from .session_aal import SessionAal
from .session_page import SessionPage
from .signed_money import SignedMoney
from .step_up import StepUp
from .step_up_request import StepUpRequest
from .step_up_required_problem import StepUpRequiredProblem
from .step_up_status import StepUpStatus
from .token_pair import TokenPair
from .token_pair_token_type import TokenPairTokenType
from .totp_confirmation import TotpConfirmation
from .totp_enrolment import TotpEnrolment
from .totp_proof import TotpProof
from .totp_state import TotpState
from .totp_status import TotpStatus
from .unread_count import UnreadCount
from .user import User
from .user_registration import UserRegistration
from .user_status import UserStatus
from .verification_challenge import VerificationChallenge
from .verification_channel import VerificationChannel
from .verification_confirmation import VerificationConfirmation
from .verification_request import VerificationRequest
from .wallet_opening import WalletOpening
from .web_authn_assertion import WebAuthnAssertion
from .web_authn_assertion_response import WebAuthnAssertionResponse
from .web_authn_attestation import WebAuthnAttestation
from .web_authn_attestation_response import WebAuthnAttestationResponse
from .web_authn_authenticator_attachment import WebAuthnAuthenticatorAttachment
from .web_authn_client_extension_results import WebAuthnClientExtensionResults
from .web_authn_cred_props import WebAuthnCredProps
from .web_authn_credential_type import WebAuthnCredentialType
from .web_authn_options import WebAuthnOptions

__all__ = (
    "ApiKey",
    "ApiKeyCreation",
    "ApiKeyList",
    "ApiKeyScope",
    "ApiKeyWithSecret",
    "Asset",
    "AssetCreate",
    "AssetKind",
    "AssetPage",
    "AssetStatus",
    "CategoryPreference",
    "CategoryPreferenceUpdate",
    "CheckStatus",
    "Company",
    "CompanyPage",
    "CompanyRegistration",
    "CompanyRole",
    "CompanyUpdate",
    "CountryCode",
    "Department",
    "DepartmentCreation",
    "DepartmentList",
    "Device",
    "DevicePage",
    "EmailInvitationCreation",
    "Environment",
    "FieldError",
    "HealthCheck",
    "HealthReport",
    "Invitation",
    "InvitationList",
    "InvitationStatus",
    "InviteeType",
    "Jwk",
    "JwkSet",
    "KycCheck",
    "KycCheckCreate",
    "KycCheckStatus",
    "KycDecision",
    "KycDecisionOutcome",
    "KycDocument",
    "KycDocumentSubmission",
    "KycDocumentType",
    "KycLevel",
    "KycProfile",
    "KycStatus",
    "KycStatusChange",
    "KycTargetLevel",
    "LedgerAccount",
    "LedgerAccountPage",
    "LedgerAccountStatus",
    "LedgerAccountType",
    "LedgerBalance",
    "LedgerDirection",
    "LedgerEntry",
    "LedgerEntryPage",
    "LedgerFreeze",
    "LedgerHold",
    "LedgerHoldPage",
    "LedgerHoldStatus",
    "LedgerOwnerType",
    "LedgerStatement",
    "LedgerTransaction",
    "LedgerTransactionMetadata",
    "Locale",
    "Member",
    "MemberPage",
    "MemberUpdate",
    "MfaMethod",
    "ModuleInfo",
    "ModuleStatus",
    "Money",
    "Notification",
    "NotificationCategory",
    "NotificationChannel",
    "NotificationPage",
    "NotificationPreferences",
    "NotificationPreferencesUpdate",
    "Page",
    "Passkey",
    "PasskeyAuthenticationOptions",
    "PasskeyAuthenticationStart",
    "PasskeyDeviceType",
    "PasskeyList",
    "PasskeyLogin",
    "PasskeyProof",
    "PasskeyRegistration",
    "PasskeyRegistrationOptions",
    "PasswordChange",
    "PasswordLogin",
    "PasswordResetAccepted",
    "PasswordResetChannel",
    "PasswordResetConfirmation",
    "PasswordResetRequest",
    "PhoneInvitationCreation",
    "PlatformMeta",
    "Problem",
    "Profile",
    "ReadAllResult",
    "ReadinessProblem",
    "RecoveryCodeProof",
    "RecoveryCodes",
    "RefreshRequest",
    "SandboxMessage",
    "SandboxMessageChannel",
    "SandboxMessagePage",
    "SandboxMessageStatus",
    "SandboxTopUpCreate",
    "SandboxTopUpCreateMetadata",
    "Session",
    "SessionAal",
    "SessionPage",
    "SignedMoney",
    "StepUp",
    "StepUpRequest",
    "StepUpRequiredProblem",
    "StepUpStatus",
    "TokenPair",
    "TokenPairTokenType",
    "TotpConfirmation",
    "TotpEnrolment",
    "TotpProof",
    "TotpState",
    "TotpStatus",
    "UnreadCount",
    "User",
    "UserRegistration",
    "UserStatus",
    "VerificationChallenge",
    "VerificationChannel",
    "VerificationConfirmation",
    "VerificationRequest",
    "WalletOpening",
    "WebAuthnAssertion",
    "WebAuthnAssertionResponse",
    "WebAuthnAttestation",
    "WebAuthnAttestationResponse",
    "WebAuthnAuthenticatorAttachment",
    "WebAuthnClientExtensionResults",
    "WebAuthnCredentialType",
    "WebAuthnCredProps",
    "WebAuthnOptions",
)
