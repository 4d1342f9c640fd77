"""Helpers several handlers share (never one handler importing another)."""

from __future__ import annotations

from core.identity.api import Tokens
from core.platform.context import RequestContext
from core.platform.security import unauthenticated
from generated.openapi import models

# --- identity: the calling user and the token pair -----------------------------------------------------


def user_id(ctx: RequestContext) -> str:
    """The calling user's id; 401 for any other kind of caller."""
    if ctx.principal.kind != "USER":
        raise unauthenticated("This operation needs a user's access token.", "Bearer")
    return ctx.principal.id


def token_pair(tokens: Tokens) -> models.TokenPair:
    return models.TokenPair(access_token=tokens.access_token, token_type="Bearer", expires_in=tokens.expires_in,
                            refresh_token=tokens.refresh_token, session_id=tokens.session_id)

# --- end of identity helpers ---------------------------------------------------------------------------
