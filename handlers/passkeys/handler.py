from __future__ import annotations

from core.identity.devices import DeviceClaim, DeviceService, DeviceSighting
from core.identity.passkey_tables import PasskeyRow
from core.identity.passkeys import IssuedOptions, PasskeyService, RelyingParty
from core.notifications.mailer import Mailer
from core.platform.context import RequestContext
from core.platform.problems import ProblemError
from core.platform.settings import Settings
from generated.openapi import models
from generated.openapi.routes import PasskeysHandlers, Reply
from handlers.identity.handler import problem_reply, token_pair, user_id


def to_model(row: PasskeyRow) -> models.Passkey:
    passkey = models.Passkey(
        id=models.PasskeyId(row.id), name=row.name, credential_id=row.credential_id,
        transports=[t for t in row.transports.split(",") if t], aaguid=row.aaguid,
        device_type=models.PasskeyDeviceType(row.device_type), backed_up=row.backed_up, sign_count=row.sign_count,
        created_at=row.created_at)
    if row.last_used_at is not None:
        passkey.last_used_at = row.last_used_at
    return passkey


def webauthn_json(credential: models.WebAuthnCredential) -> dict:
    """Back to the W3C camelCase JSON py_webauthn parses."""
    return credential.model_dump(by_alias=True, mode="json")


def options_model(issued: IssuedOptions) -> models.PasskeyAuthenticationOptions:
    return models.PasskeyAuthenticationOptions(challenge_id=issued.challenge_id,
                                               options=models.WebAuthnOptions(**issued.options),
                                               expires_at=issued.expires_at)


class PasskeysHandler(PasskeysHandlers):
    def __init__(self, settings: Settings, mailer: Mailer) -> None:
        self.rp = RelyingParty.from_settings(settings)
        self.mailer = mailer  # new-device alerts at passkey login

    def service(self, ctx: RequestContext) -> PasskeyService:
        return PasskeyService(ctx, self.rp)

    async def create_passkey_registration_options(self, ctx: RequestContext, *,
                                                  x_step_up_id: str | None) -> models.PasskeyRegistrationOptions:
        issued = await self.service(ctx).registration_options(user_id(ctx), x_step_up_id)
        return models.PasskeyRegistrationOptions(options=models.WebAuthnOptions(**issued.options),
                                                 expires_at=issued.expires_at)

    async def register_passkey(self, ctx: RequestContext, *, body: models.PasskeyRegistration) -> models.Passkey | Reply:
        result = await self.service(ctx).register(user_id(ctx), body.name.root, webauthn_json(body.credential))
        if isinstance(result, ProblemError):
            return problem_reply(ctx, result)
        return Reply(to_model(result), headers={"Location": f"/v1/passkeys/{result.id}"})

    async def list_passkeys(self, ctx: RequestContext) -> models.PasskeyList:
        return models.PasskeyList(data=[to_model(r) for r in await self.service(ctx).list(user_id(ctx))])

    async def delete_passkey(self, ctx: RequestContext, *, passkey_id: str) -> None:
        await self.service(ctx).remove(user_id(ctx), passkey_id)

    async def create_passkey_authentication_options(
            self, ctx: RequestContext, *, body: models.PasskeyAuthenticationStart) -> models.PasskeyAuthenticationOptions:
        identifier = body.identifier if isinstance(body.identifier, str) else None  # MISSING when omitted
        return options_model(await self.service(ctx).authentication_options(identifier))

    async def create_passkey_session(self, ctx: RequestContext, *, body: models.PasskeyLogin,
                                     x_device_id: str | None = None, x_device_name: str | None = None,
                                     user_agent: str | None = None) -> models.TokenPair | Reply:
        device = DeviceSighting(DeviceService(ctx, self.mailer), DeviceClaim(
            device_id=x_device_id, name=x_device_name, user_agent=user_agent, client_address=ctx.client_address))
        result = await self.service(ctx).login(body.challenge_id, webauthn_json(body.credential), device)
        if isinstance(result, ProblemError):
            return problem_reply(ctx, result)
        return token_pair(result)

    async def create_step_up_passkey_options(self, ctx: RequestContext, *,
                                             step_up_id: str) -> models.PasskeyAuthenticationOptions:
        return options_model(await self.service(ctx).step_up_options(user_id(ctx), step_up_id))
