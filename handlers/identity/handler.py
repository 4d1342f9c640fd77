from __future__ import annotations

from core.identity import api as identity
from core.platform.api import RequestContext
from core.wallets import api as wallets
from generated.openapi import models
from generated.openapi.routes import IdentityHandlers, Reply
from handlers.common import token_pair, user_id


def to_model(row: identity.User) -> models.User:
    return models.User(
        id=models.UserId(row.id), phone=row.phone, email=row.email, display_name=row.display_name,
        country=row.country, locale=models.Locale(row.locale), status=models.UserStatus(row.status),
        phone_verified=row.phone_verified, email_verified=row.email_verified, created_at=row.created_at,
        updated_at=row.updated_at, version=row.version,
    )


def session_model(ctx: RequestContext, row: identity.Session) -> models.Session:
    session = models.Session(id=row.id, aal=row.aal, created_at=row.created_at, last_used_at=row.last_used_at,
                             current=row.id == ctx.principal.session_id, expires_at=row.expires_at)
    if row.device_id:
        session.device_id = models.DeviceId(row.device_id)
    return session


def profile_model(p: identity.Profile) -> models.Profile:
    u = p.user
    return models.Profile(
        id=models.UserId(u.id), email=u.email, phone=u.phone, display_name=u.display_name, country=u.country,
        locale=models.Locale(u.locale), status=models.UserStatus(u.status), phone_verified=u.phone_verified,
        email_verified=u.email_verified, kyc_level=models.KycLevel(p.kyc_level), created_at=u.created_at)


class IdentityHandler(IdentityHandlers):
    def __init__(self, wallet_book: wallets.WalletBook | None = None, *, sandbox: bool = True) -> None:
        """`wallet_book`: where a user's default wallets open when they become ACTIVE (none without it);
        `sandbox`: whether the platform runs in the SANDBOX environment."""
        self.wallet_book = wallet_book
        self.sandbox = sandbox

    async def _activated(self, ctx: RequestContext, user_id: str) -> None:
        if self.wallet_book is not None:
            await wallets.open_default_wallets(ctx, self.wallet_book, user_id)

    async def register_user(self, ctx: RequestContext, *, body: models.UserRegistration) -> Reply:
        row = await identity.register(ctx, identity.NewUser(
            phone=body.phone.root, email=body.email.root, display_name=body.display_name.root, country=body.country.value,
            locale=body.locale.value if isinstance(body.locale, models.Locale) else "en", password=body.password),
            sandbox=self.sandbox)
        return Reply(to_model(row), headers={"Location": f"/v1/users/{row.id}"})

    async def start_user_verification(self, ctx: RequestContext, *, user_id: str,
                                      body: models.VerificationRequest) -> models.VerificationChallenge:
        challenge = await identity.start_verification(ctx, user_id, body.channel.value)
        return models.VerificationChallenge(
            channel=models.VerificationChannel(challenge.channel), expires_at=challenge.expires_at,
            resend_available_at=challenge.resend_available_at, attempts_left=challenge.attempts_left)

    async def confirm_user_verification(self, ctx: RequestContext, *, user_id: str,
                                        body: models.VerificationConfirmation) -> models.User:
        return to_model(await identity.confirm_verification(ctx, user_id, body.channel.value, body.code,
                                                            on_activation=self._activated))

    async def create_session(self, ctx: RequestContext, *, body: models.PasswordLogin, x_device_id: str | None = None,
                             x_device_name: str | None = None) -> models.TokenPair:
        device = identity.DeviceClaim(device_id=x_device_id, name=x_device_name, user_agent=ctx.user_agent,
                                      client_address=ctx.client_address)
        return token_pair(await identity.login(ctx, identity.PasswordLogin(
            body.identifier, body.password, totp_code=body.totp_code if isinstance(body.totp_code, str) else None,
            device=device)))

    async def refresh_session(self, ctx: RequestContext, *, body: models.RefreshRequest) -> models.TokenPair:
        return token_pair(await identity.refresh(ctx, body.refresh_token))

    async def list_sessions(self, ctx: RequestContext, *, limit: int, cursor: str | None) -> models.SessionPage:
        page = await identity.list_sessions(ctx, user_id(ctx), limit=limit, cursor=cursor)
        result = models.SessionPage(has_more=page.has_more, data=[session_model(ctx, r) for r in page.items])
        if page.next_cursor:
            result.next_cursor = page.next_cursor
        return result

    async def revoke_session(self, ctx: RequestContext, *, session_id: str) -> None:
        await identity.revoke_session(ctx, user_id(ctx), session_id)

    async def revoke_all_sessions(self, ctx: RequestContext) -> None:
        await identity.revoke_all_sessions(ctx, user_id(ctx))

    async def get_jwks(self, ctx: RequestContext) -> models.JwkSet:
        return models.JwkSet(keys=[models.Jwk(**k) for k in await identity.jwks(ctx)])

    async def get_my_profile(self, ctx: RequestContext) -> models.Profile:
        return profile_model(await identity.profile(ctx, user_id(ctx)))

    async def change_my_password(self, ctx: RequestContext, *, x_step_up_id: str | None,
                                 body: models.PasswordChange) -> None:
        await identity.change_password(ctx, user_id(ctx), body.current_password, body.new_password, x_step_up_id)

    async def request_password_reset(self, ctx: RequestContext, *,
                                     body: models.PasswordResetRequest) -> models.PasswordResetAccepted:
        ttl = await identity.request_password_reset(ctx, body.email.root)
        return models.PasswordResetAccepted(channel=models.PasswordResetChannel.EMAIL, expires_in=int(ttl.total_seconds()))

    async def confirm_password_reset(self, ctx: RequestContext, *, body: models.PasswordResetConfirmation) -> None:
        await identity.confirm_password_reset(ctx, body.email.root, body.code, body.new_password)
