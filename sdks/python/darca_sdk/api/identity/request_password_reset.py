from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.password_reset_accepted import PasswordResetAccepted
from ...models.password_reset_request import PasswordResetRequest
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: PasswordResetRequest,
    idempotency_key: str,
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Idempotency-Key"] = idempotency_key

    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/password-resets",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PasswordResetAccepted | Problem | None:
    if response.status_code == 202:
        response_202 = PasswordResetAccepted.from_dict(response.json())

        return response_202

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[PasswordResetAccepted | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: PasswordResetRequest,
    idempotency_key: str,
    x_request_id: str | Unset = UNSET,
) -> Response[PasswordResetAccepted | Problem]:
    """Ask for a password reset code

     Sends a 6-digit reset code (valid 10 minutes, 5 attempts) by email to the ACTIVE user with this
    email address. The answer is the same 202 whether or not such a user exists (ADR 0013): nothing
    tells who is registered. Throttled per address asked for, known or not, and per client address: one
    code a minute, at most 5 an hour and 10 a day (429 `PASSWORD_RESET_THROTTLED` with `Retry-After`).

    Args:
        idempotency_key (str):
        x_request_id (str | Unset):
        body (PasswordResetRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PasswordResetAccepted | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
        x_request_id=x_request_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: PasswordResetRequest,
    idempotency_key: str,
    x_request_id: str | Unset = UNSET,
) -> PasswordResetAccepted | Problem | None:
    """Ask for a password reset code

     Sends a 6-digit reset code (valid 10 minutes, 5 attempts) by email to the ACTIVE user with this
    email address. The answer is the same 202 whether or not such a user exists (ADR 0013): nothing
    tells who is registered. Throttled per address asked for, known or not, and per client address: one
    code a minute, at most 5 an hour and 10 a day (429 `PASSWORD_RESET_THROTTLED` with `Retry-After`).

    Args:
        idempotency_key (str):
        x_request_id (str | Unset):
        body (PasswordResetRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PasswordResetAccepted | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: PasswordResetRequest,
    idempotency_key: str,
    x_request_id: str | Unset = UNSET,
) -> Response[PasswordResetAccepted | Problem]:
    """Ask for a password reset code

     Sends a 6-digit reset code (valid 10 minutes, 5 attempts) by email to the ACTIVE user with this
    email address. The answer is the same 202 whether or not such a user exists (ADR 0013): nothing
    tells who is registered. Throttled per address asked for, known or not, and per client address: one
    code a minute, at most 5 an hour and 10 a day (429 `PASSWORD_RESET_THROTTLED` with `Retry-After`).

    Args:
        idempotency_key (str):
        x_request_id (str | Unset):
        body (PasswordResetRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PasswordResetAccepted | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
        x_request_id=x_request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: PasswordResetRequest,
    idempotency_key: str,
    x_request_id: str | Unset = UNSET,
) -> PasswordResetAccepted | Problem | None:
    """Ask for a password reset code

     Sends a 6-digit reset code (valid 10 minutes, 5 attempts) by email to the ACTIVE user with this
    email address. The answer is the same 202 whether or not such a user exists (ADR 0013): nothing
    tells who is registered. Throttled per address asked for, known or not, and per client address: one
    code a minute, at most 5 an hour and 10 a day (429 `PASSWORD_RESET_THROTTLED` with `Retry-After`).

    Args:
        idempotency_key (str):
        x_request_id (str | Unset):
        body (PasswordResetRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PasswordResetAccepted | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
            x_request_id=x_request_id,
        )
    ).parsed
