from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.passkey_authentication_options import PasskeyAuthenticationOptions
from ...models.passkey_authentication_start import PasskeyAuthenticationStart
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: PasskeyAuthenticationStart,
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/passkeys/authentication/options",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PasskeyAuthenticationOptions | Problem | None:
    if response.status_code == 200:
        response_200 = PasskeyAuthenticationOptions.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

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
) -> Response[PasskeyAuthenticationOptions | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: PasskeyAuthenticationStart,
    x_request_id: str | Unset = UNSET,
) -> Response[PasskeyAuthenticationOptions | Problem]:
    """Start a passkey login

     Returns `PublicKeyCredentialRequestOptions` for `navigator.credentials.get()` and the `challenge_id`
    to send back with the assertion. With an `identifier` (email or phone) the user's passkeys are
    listed in `allowCredentials`; an identifier that matches no one, or a user without passkeys, gets a
    decoy credential that is stable for the identifier, so the answer never tells whether an account
    exists. Without an identifier the list is empty and a discoverable passkey is expected; send `{}`
    then. The challenge is single-use and expires after 5 minutes.

    Args:
        x_request_id (str | Unset):
        body (PasskeyAuthenticationStart):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PasskeyAuthenticationOptions | Problem]
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
    client: AuthenticatedClient | Client,
    body: PasskeyAuthenticationStart,
    x_request_id: str | Unset = UNSET,
) -> PasskeyAuthenticationOptions | Problem | None:
    """Start a passkey login

     Returns `PublicKeyCredentialRequestOptions` for `navigator.credentials.get()` and the `challenge_id`
    to send back with the assertion. With an `identifier` (email or phone) the user's passkeys are
    listed in `allowCredentials`; an identifier that matches no one, or a user without passkeys, gets a
    decoy credential that is stable for the identifier, so the answer never tells whether an account
    exists. Without an identifier the list is empty and a discoverable passkey is expected; send `{}`
    then. The challenge is single-use and expires after 5 minutes.

    Args:
        x_request_id (str | Unset):
        body (PasskeyAuthenticationStart):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PasskeyAuthenticationOptions | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: PasskeyAuthenticationStart,
    x_request_id: str | Unset = UNSET,
) -> Response[PasskeyAuthenticationOptions | Problem]:
    """Start a passkey login

     Returns `PublicKeyCredentialRequestOptions` for `navigator.credentials.get()` and the `challenge_id`
    to send back with the assertion. With an `identifier` (email or phone) the user's passkeys are
    listed in `allowCredentials`; an identifier that matches no one, or a user without passkeys, gets a
    decoy credential that is stable for the identifier, so the answer never tells whether an account
    exists. Without an identifier the list is empty and a discoverable passkey is expected; send `{}`
    then. The challenge is single-use and expires after 5 minutes.

    Args:
        x_request_id (str | Unset):
        body (PasskeyAuthenticationStart):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PasskeyAuthenticationOptions | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        x_request_id=x_request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: PasskeyAuthenticationStart,
    x_request_id: str | Unset = UNSET,
) -> PasskeyAuthenticationOptions | Problem | None:
    """Start a passkey login

     Returns `PublicKeyCredentialRequestOptions` for `navigator.credentials.get()` and the `challenge_id`
    to send back with the assertion. With an `identifier` (email or phone) the user's passkeys are
    listed in `allowCredentials`; an identifier that matches no one, or a user without passkeys, gets a
    decoy credential that is stable for the identifier, so the answer never tells whether an account
    exists. Without an identifier the list is empty and a discoverable passkey is expected; send `{}`
    then. The challenge is single-use and expires after 5 minutes.

    Args:
        x_request_id (str | Unset):
        body (PasskeyAuthenticationStart):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PasskeyAuthenticationOptions | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            x_request_id=x_request_id,
        )
    ).parsed
