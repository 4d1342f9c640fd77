from __future__ import annotations

from core.identity.devices import DeviceClaim, DeviceService, DeviceSighting
from core.identity.service import IdentityService, NewUser
from core.identity.sessions import SessionService, Tokens, session_expiry
from core.identity.tables import CollidingRegistrationRow, SessionRow, UserRow
from core.identity.tokens import published_keys
from core.notifications.mailer import Mailer
from core.platform.context import RequestContext
from core.platform.problems import ProblemError
from core.platform.security import unauthenticated
from generated.openapi import models
from generated.openapi.routes import IdentityHandlers, Reply


def to_model(row: UserRow | CollidingRegistrationRow) -> models.User:
    return models.User(
        id=models.UserId(row.id), phone=row.phone, email=row.email, display_name=row.display_name,
        country=row.country, locale=models.Locale(row.locale), status=models.UserStatus(row.status),
        phone_verified=row.phone_verified, email_verified=row.email_verified, created_at=row.created_at,
        updated_at=row.updated_at, version=row.version,
    )


def problem_reply(ctx: RequestContext, problem: ProblemError) -> Reply:
    """A refusal whose side effects (a used-up attempt) must be committed: returned as the reply."""
    body = models.Problem(type=problem.type_uri, title=problem.title, status=problem.status, code=problem.code,
                          **problem.extensions)
    if problem.detail:
        body.detail = problem.detail
    if ctx.trace_id:
        body.trace_id = ctx.trace_id
    if ctx.request_id:
        body.request_id = ctx.request_id
    return Reply(body, status=problem.status, headers=dict(problem.headers))


def token_pair(tokens: Tokens) -> models.TokenPair:
    return models.TokenPair(access_token=tokens.access_token, token_type="Bearer", expires_in=tokens.expires_in,
                            refresh_token=tokens.refresh_token, session_id=tokens.session_id)


def user_id(ctx: RequestContext) -> str:
    if ctx.principal.kind != "USER":
        raise unauthenticated("This operation needs a user's access token.", "Bearer")
    return ctx.principal.id


def session_model(ctx: RequestContext, row: SessionRow) -> models.Session:
    session = models.Session(id=row.id, aal=row.aal, created_at=row.created_at, last_used_at=row.last_used_at,
                             current=row.id == ctx.principal.session_id, expires_at=session_expiry(row))
    if row.device_id:
        session.device_id = models.DeviceId(row.device_id)
    return session


class IdentityHandler(IdentityHandlers):
    def __init__(self, mailer: Mailer) -> None:
        self.mailer = mailer

    async def register_user(self, ctx: RequestContext, *, body: models.UserRegistration) -> Reply:
        row = await IdentityService(ctx, self.mailer).register(NewUser(
            phone=body.phone.root, email=body.email.root, display_name=body.display_name.root, country=body.country.value,
            locale=body.locale.value if isinstance(body.locale, models.Locale) else "en", password=body.password))
        return Reply(to_model(row), headers={"Location": f"/v1/users/{row.id}"})

    async def start_user_verification(self, ctx: RequestContext, *, user_id: str,
                                      body: models.VerificationRequest) -> models.VerificationChallenge:
        challenge = await IdentityService(ctx, self.mailer).start_verification(user_id, body.channel.value)
        return models.VerificationChallenge(
            channel=models.VerificationChannel(challenge.channel), expires_at=challenge.expires_at,
            resend_available_at=challenge.resend_available_at, attempts_left=challenge.attempts_left)

    async def confirm_user_verification(self, ctx: RequestContext, *, user_id: str,
                                        body: models.VerificationConfirmation) -> models.User | Reply:
        result = await IdentityService(ctx, self.mailer).confirm_verification(user_id, body.channel.value, body.code)
        if isinstance(result, ProblemError):
            return problem_reply(ctx, result)
        return to_model(result)

    async def create_session(self, ctx: RequestContext, *, body: models.PasswordLogin, x_device_id: str | None = None,
                             x_device_name: str | None = None, user_agent: str | None = None) -> models.TokenPair | Reply:
        device = DeviceSighting(DeviceService(ctx, self.mailer), DeviceClaim(
            device_id=x_device_id, name=x_device_name, user_agent=user_agent, client_address=ctx.client_address))
        result = await SessionService(ctx.session).login(
            body.identifier, body.password, ctx.client_address, device,
            totp_code=body.totp_code if isinstance(body.totp_code, str) else None)
        if isinstance(result, ProblemError):
            return problem_reply(ctx, result)
        return token_pair(result)

    async def refresh_session(self, ctx: RequestContext, *, body: models.RefreshRequest) -> models.TokenPair | Reply:
        result = await SessionService(ctx.session).refresh(body.refresh_token)
        if isinstance(result, ProblemError):
            return problem_reply(ctx, result)
        return token_pair(result)

    async def list_sessions(self, ctx: RequestContext, *, limit: int, cursor: str | None) -> models.SessionPage:
        page = await SessionService(ctx.session).list(user_id(ctx), limit=limit, cursor=cursor)
        result = models.SessionPage(has_more=page.has_more, data=[session_model(ctx, r) for r in page.items])
        if page.next_cursor:
            result.next_cursor = page.next_cursor
        return result

    async def revoke_session(self, ctx: RequestContext, *, session_id: str) -> None:
        await SessionService(ctx.session).revoke(user_id(ctx), session_id)

    async def revoke_all_sessions(self, ctx: RequestContext) -> None:
        await SessionService(ctx.session).revoke_all(user_id(ctx))

    async def get_jwks(self, ctx: RequestContext) -> models.JwkSet:
        return models.JwkSet(keys=[models.Jwk(**k) for k in await published_keys(ctx.session)])
