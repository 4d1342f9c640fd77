"""KYC operations: the caller's level and checks, and the operators' manual-review decision."""

from __future__ import annotations

from core.identity import api as identity
from core.identity.api import KycCheck, KycProfile, KycProvider, KycStatusChange, NewCheck
from core.platform.api import RequestContext
from generated.openapi import models
from generated.openapi.routes import KycHandlers, Reply
from handlers.common import user_id


def check_model(row: KycCheck) -> models.KycCheck:
    check = models.KycCheck(
        id=models.KycCheckId(row.id), user_id=row.user_id, target_level=models.KycTargetLevel(row.target_level),
        status=models.KycCheckStatus(row.status),
        document=models.KycDocument(type=models.KycDocumentType(row.document_type),
                                    issuing_country=row.document_country, number_last4=row.document_last4),
        created_at=row.created_at, updated_at=row.updated_at)
    if row.reason:
        check.reason = row.reason
    if row.decided_at is not None:
        check.decided_at = row.decided_at
    return check


def profile_model(view: KycProfile) -> models.KycProfile:
    profile = models.KycProfile(
        user_id=view.user_id, level=models.KycLevel(view.level), status=models.KycStatus(view.status),
        history=[_change(h) for h in view.history])
    if view.open_check_id:
        profile.open_check_id = models.KycCheckId(view.open_check_id)
    return profile


def _change(row: KycStatusChange) -> models.KycStatusChange:
    change = models.KycStatusChange(
        at=row.at, from_level=models.KycLevel(row.from_level), to_level=models.KycLevel(row.to_level),
        from_status=models.KycStatus(row.from_status), to_status=models.KycStatus(row.to_status),
        check_id=models.KycCheckId(row.check_id))
    if row.reason:
        change.reason = row.reason
    return change


class KycHandler(KycHandlers):
    def __init__(self, provider: KycProvider | None) -> None:
        self.provider = provider

    async def get_my_kyc(self, ctx: RequestContext) -> models.KycProfile:
        return profile_model(await identity.kyc_profile(ctx, user_id(ctx)))

    async def create_kyc_check(self, ctx: RequestContext, *, body: models.KycCheckCreate) -> Reply:
        row = await identity.submit_kyc_check(ctx, self.provider, user_id(ctx), NewCheck(
            target_level=body.target_level.value, document_type=body.document.type.value,
            document_number=body.document.number, issuing_country=body.document.issuing_country.value,
            first_name=body.first_name.root, last_name=body.last_name.root,
            date_of_birth=body.date_of_birth))
        return Reply(check_model(row), headers={"Location": f"/v1/kyc/checks/{row.id}"})

    async def get_kyc_check(self, ctx: RequestContext, *, check_id: str) -> models.KycCheck:
        return check_model(await identity.kyc_check(ctx, user_id(ctx), check_id))

    async def decide_kyc_check(self, ctx: RequestContext, *, check_id: str, body: models.KycDecision) -> models.KycCheck:
        row = await identity.decide_kyc_check(ctx, check_id, approve=body.decision.value == "APPROVE",
                                              reason=body.reason)
        return check_model(row)
