from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.recovery_code_proof import RecoveryCodeProof
from ...models.token_pair import TokenPair
from ...models.totp_proof import TotpProof
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: RecoveryCodeProof | TotpProof,
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/sessions/current/mfa",
    }

    if isinstance(body, TotpProof):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | TokenPair | None:
    if response.status_code == 200:
        response_200 = TokenPair.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 408:
        response_408 = Problem.from_dict(response.json())

        return response_408

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = Problem.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | TokenPair]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: RecoveryCodeProof | TotpProof,
    x_request_id: str | Unset = UNSET,
) -> Response[Problem | TokenPair]:
    """Raise my session to AAL2

     Proves a second factor (a TOTP code or one unused recovery code) for the session of the access
    token. The session is replaced by a new AAL2 session (new token pair; the access token's `aal` claim
    is `AAL2`); the AAL1 session and its refresh tokens are revoked, so a copy of them never gains the
    higher level. Wrong or reused code: 422 `TOTP_CODE_INVALID`, `TOTP_CODE_REUSED` or
    `RECOVERY_CODE_INVALID`, throttled per user (429 with `Retry-After`). 409 `MFA_NOT_ENABLED` when the
    user has no TOTP.

    Args:
        x_request_id (str | Unset):
        body (RecoveryCodeProof | TotpProof): A TOTP code or a recovery code, chosen by `method`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TokenPair]
    """

    kwargs = _get_kwargs(
        body=body,
        x_request_id=x_request_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: RecoveryCodeProof | TotpProof,
    x_request_id: str | Unset = UNSET,
) -> Problem | TokenPair | None:
    """Raise my session to AAL2

     Proves a second factor (a TOTP code or one unused recovery code) for the session of the access
    token. The session is replaced by a new AAL2 session (new token pair; the access token's `aal` claim
    is `AAL2`); the AAL1 session and its refresh tokens are revoked, so a copy of them never gains the
    higher level. Wrong or reused code: 422 `TOTP_CODE_INVALID`, `TOTP_CODE_REUSED` or
    `RECOVERY_CODE_INVALID`, throttled per user (429 with `Retry-After`). 409 `MFA_NOT_ENABLED` when the
    user has no TOTP.

    Args:
        x_request_id (str | Unset):
        body (RecoveryCodeProof | TotpProof): A TOTP code or a recovery code, chosen by `method`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TokenPair
    """

    return sync_detailed(
        client=client,
        body=body,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: RecoveryCodeProof | TotpProof,
    x_request_id: str | Unset = UNSET,
) -> Response[Problem | TokenPair]:
    """Raise my session to AAL2

     Proves a second factor (a TOTP code or one unused recovery code) for the session of the access
    token. The session is replaced by a new AAL2 session (new token pair; the access token's `aal` claim
    is `AAL2`); the AAL1 session and its refresh tokens are revoked, so a copy of them never gains the
    higher level. Wrong or reused code: 422 `TOTP_CODE_INVALID`, `TOTP_CODE_REUSED` or
    `RECOVERY_CODE_INVALID`, throttled per user (429 with `Retry-After`). 409 `MFA_NOT_ENABLED` when the
    user has no TOTP.

    Args:
        x_request_id (str | Unset):
        body (RecoveryCodeProof | TotpProof): A TOTP code or a recovery code, chosen by `method`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TokenPair]
    """

    kwargs = _get_kwargs(
        body=body,
        x_request_id=x_request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: RecoveryCodeProof | TotpProof,
    x_request_id: str | Unset = UNSET,
) -> Problem | TokenPair | None:
    """Raise my session to AAL2

     Proves a second factor (a TOTP code or one unused recovery code) for the session of the access
    token. The session is replaced by a new AAL2 session (new token pair; the access token's `aal` claim
    is `AAL2`); the AAL1 session and its refresh tokens are revoked, so a copy of them never gains the
    higher level. Wrong or reused code: 422 `TOTP_CODE_INVALID`, `TOTP_CODE_REUSED` or
    `RECOVERY_CODE_INVALID`, throttled per user (429 with `Retry-After`). 409 `MFA_NOT_ENABLED` when the
    user has no TOTP.

    Args:
        x_request_id (str | Unset):
        body (RecoveryCodeProof | TotpProof): A TOTP code or a recovery code, chosen by `method`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TokenPair
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            x_request_id=x_request_id,
        )
    ).parsed
