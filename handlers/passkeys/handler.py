from __future__ import annotations

from core.identity import api as identity
from core.platform.api import RequestContext, Settings
from generated.openapi import models
from generated.openapi.routes import PasskeysHandlers, Reply
from handlers.common import token_pair, user_id


def to_model(row: identity.Passkey) -> models.Passkey:
    passkey = models.Passkey(
        id=models.PasskeyId(row.id), name=row.name, credential_id=row.credential_id,
        transports=list(row.transports), aaguid=row.aaguid,
        device_type=models.PasskeyDeviceType(row.device_type), backed_up=row.backed_up, sign_count=row.sign_count,
        created_at=row.created_at)
    if row.last_used_at is not None:
        passkey.last_used_at = row.last_used_at
    return passkey


def webauthn_json(credential: models.WebAuthnAttestation | models.WebAuthnAssertion) -> identity.Credential:
    """Back to the W3C camelCase JSON py_webauthn parses."""
    return credential.model_dump(by_alias=True, mode="json")


def options_model(issued: identity.IssuedOptions) -> models.PasskeyAuthenticationOptions:
    return models.PasskeyAuthenticationOptions(challenge_id=issued.challenge_id,
                                               options=models.WebAuthnOptions(**issued.options),
                                               expires_at=issued.expires_at)


class PasskeysHandler(PasskeysHandlers):
    def __init__(self, settings: Settings) -> None:
        self.rp = identity.RelyingParty.from_settings(settings)

    async def create_passkey_registration_options(self, ctx: RequestContext, *,
                                                  x_step_up_id: str | None) -> models.PasskeyRegistrationOptions:
        issued = await identity.registration_options(ctx, self.rp, user_id(ctx), x_step_up_id)
        return models.PasskeyRegistrationOptions(options=models.WebAuthnOptions(**issued.options),
                                                 expires_at=issued.expires_at)

    async def register_passkey(self, ctx: RequestContext, *, body: models.PasskeyRegistration) -> Reply:
        result = await identity.register_passkey(ctx, self.rp, user_id(ctx), body.name.root,
                                                 webauthn_json(body.credential))
        return Reply(to_model(result), headers={"Location": f"/v1/passkeys/{result.id}"})

    async def list_passkeys(self, ctx: RequestContext) -> models.PasskeyList:
        return models.PasskeyList(data=[to_model(r) for r in await identity.list_passkeys(ctx, self.rp, user_id(ctx))])

    async def delete_passkey(self, ctx: RequestContext, *, passkey_id: str) -> None:
        await identity.delete_passkey(ctx, self.rp, user_id(ctx), passkey_id)

    async def create_passkey_authentication_options(
            self, ctx: RequestContext, *, body: models.PasskeyAuthenticationStart) -> models.PasskeyAuthenticationOptions:
        identifier = body.identifier if isinstance(body.identifier, str) else None  # MISSING when omitted
        return options_model(await identity.authentication_options(ctx, self.rp, identifier))

    async def create_passkey_session(self, ctx: RequestContext, *, body: models.PasskeyLogin,
                                     x_device_id: str | None = None,
                                     x_device_name: str | None = None) -> models.TokenPair:
        device = identity.DeviceClaim(device_id=x_device_id, name=x_device_name, user_agent=ctx.user_agent,
                                      client_address=ctx.client_address)
        return token_pair(await identity.passkey_login(ctx, self.rp, body.challenge_id,
                                                       webauthn_json(body.credential), device))

    async def create_step_up_passkey_options(self, ctx: RequestContext, *,
                                             step_up_id: str) -> models.PasskeyAuthenticationOptions:
        return options_model(await identity.step_up_passkey_options(ctx, self.rp, user_id(ctx), step_up_id))
