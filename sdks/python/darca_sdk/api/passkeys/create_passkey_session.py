from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.passkey_login import PasskeyLogin
from ...models.problem import Problem
from ...models.token_pair import TokenPair
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: PasskeyLogin,
    x_device_id: str | Unset = UNSET,
    x_device_name: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_device_id, Unset):
        headers["X-Device-Id"] = x_device_id

    if not isinstance(x_device_name, Unset):
        headers["X-Device-Name"] = x_device_name

    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/passkey-sessions",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | TokenPair | None:
    if response.status_code == 201:
        response_201 = TokenPair.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 408:
        response_408 = Problem.from_dict(response.json())

        return response_408

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
    client: AuthenticatedClient | Client,
    body: PasskeyLogin,
    x_device_id: str | Unset = UNSET,
    x_device_name: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[Problem | TokenPair]:
    """Log in with a passkey

     Verifies the assertion of `navigator.credentials.get()` against the challenge of `challenge_id`
    (used up by the first attempt) and starts a session: AAL2 when the authenticator verified the user
    (UV flag), AAL1 otherwise. Every refusal is 401: `PASSKEY_CHALLENGE_INVALID` (unknown, used or
    expired challenge), `PASSKEY_ASSERTION_INVALID` (malformed, unknown credential, wrong origin or RP
    id, bad signature), or `PASSKEY_SIGN_COUNT_REGRESSED` (the authenticator's counter did not increase:
    a possibly cloned authenticator, flagged for review). Failures are throttled per client address (429
    with `Retry-After`). Like `createSession`, the session is bound to the device named by `X-Device-
    Id`, and a device new to the user is announced to them.

    Args:
        x_device_id (str | Unset):
        x_device_name (str | Unset):
        x_request_id (str | Unset):
        body (PasskeyLogin):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TokenPair]
    """

    kwargs = _get_kwargs(
        body=body,
        x_device_id=x_device_id,
        x_device_name=x_device_name,
        x_request_id=x_request_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: PasskeyLogin,
    x_device_id: str | Unset = UNSET,
    x_device_name: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Problem | TokenPair | None:
    """Log in with a passkey

     Verifies the assertion of `navigator.credentials.get()` against the challenge of `challenge_id`
    (used up by the first attempt) and starts a session: AAL2 when the authenticator verified the user
    (UV flag), AAL1 otherwise. Every refusal is 401: `PASSKEY_CHALLENGE_INVALID` (unknown, used or
    expired challenge), `PASSKEY_ASSERTION_INVALID` (malformed, unknown credential, wrong origin or RP
    id, bad signature), or `PASSKEY_SIGN_COUNT_REGRESSED` (the authenticator's counter did not increase:
    a possibly cloned authenticator, flagged for review). Failures are throttled per client address (429
    with `Retry-After`). Like `createSession`, the session is bound to the device named by `X-Device-
    Id`, and a device new to the user is announced to them.

    Args:
        x_device_id (str | Unset):
        x_device_name (str | Unset):
        x_request_id (str | Unset):
        body (PasskeyLogin):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TokenPair
    """

    return sync_detailed(
        client=client,
        body=body,
        x_device_id=x_device_id,
        x_device_name=x_device_name,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: PasskeyLogin,
    x_device_id: str | Unset = UNSET,
    x_device_name: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[Problem | TokenPair]:
    """Log in with a passkey

     Verifies the assertion of `navigator.credentials.get()` against the challenge of `challenge_id`
    (used up by the first attempt) and starts a session: AAL2 when the authenticator verified the user
    (UV flag), AAL1 otherwise. Every refusal is 401: `PASSKEY_CHALLENGE_INVALID` (unknown, used or
    expired challenge), `PASSKEY_ASSERTION_INVALID` (malformed, unknown credential, wrong origin or RP
    id, bad signature), or `PASSKEY_SIGN_COUNT_REGRESSED` (the authenticator's counter did not increase:
    a possibly cloned authenticator, flagged for review). Failures are throttled per client address (429
    with `Retry-After`). Like `createSession`, the session is bound to the device named by `X-Device-
    Id`, and a device new to the user is announced to them.

    Args:
        x_device_id (str | Unset):
        x_device_name (str | Unset):
        x_request_id (str | Unset):
        body (PasskeyLogin):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TokenPair]
    """

    kwargs = _get_kwargs(
        body=body,
        x_device_id=x_device_id,
        x_device_name=x_device_name,
        x_request_id=x_request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: PasskeyLogin,
    x_device_id: str | Unset = UNSET,
    x_device_name: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Problem | TokenPair | None:
    """Log in with a passkey

     Verifies the assertion of `navigator.credentials.get()` against the challenge of `challenge_id`
    (used up by the first attempt) and starts a session: AAL2 when the authenticator verified the user
    (UV flag), AAL1 otherwise. Every refusal is 401: `PASSKEY_CHALLENGE_INVALID` (unknown, used or
    expired challenge), `PASSKEY_ASSERTION_INVALID` (malformed, unknown credential, wrong origin or RP
    id, bad signature), or `PASSKEY_SIGN_COUNT_REGRESSED` (the authenticator's counter did not increase:
    a possibly cloned authenticator, flagged for review). Failures are throttled per client address (429
    with `Retry-After`). Like `createSession`, the session is bound to the device named by `X-Device-
    Id`, and a device new to the user is announced to them.

    Args:
        x_device_id (str | Unset):
        x_device_name (str | Unset):
        x_request_id (str | Unset):
        body (PasskeyLogin):

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
            x_device_id=x_device_id,
            x_device_name=x_device_name,
            x_request_id=x_request_id,
        )
    ).parsed
