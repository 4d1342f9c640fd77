from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.password_login import PasswordLogin
from ...models.problem import Problem
from ...models.token_pair import TokenPair
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: PasswordLogin,
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
        "url": "/v1/sessions",
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

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

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
    body: PasswordLogin,
    x_device_id: str | Unset = UNSET,
    x_device_name: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[Problem | TokenPair]:
    """Log in

     Password login of an ACTIVE user by email or phone. Returns a short-lived access token (JWT, EdDSA,
    verify with `/.well-known/jwks.json`) and an opaque refresh token. An unknown user and a wrong
    password get the same 401 `INVALID_CREDENTIALS`. The session is bound to the device named by
    `X-Device-Id` (see the `devices` tag); a device new to the user is announced to them by email and by
    `darca.identity.new_device_detected.v1`.

    Failed logins are counted per user, whichever of their identifiers (email or phone, in any spelling)
    was used, and per client address: after 4 free failures each further one locks for 30 s, doubling up
    to 15 minutes (429 `TOO_MANY_ATTEMPTS` with `Retry-After`). An identifier that belongs to nobody is
    counted and locked exactly the same way.

    Passwords are checked (argon2id) by a few threads per server process; when too many password checks
    are already waiting, the login is refused at once with 429 `PASSWORD_CHECKS_BUSY` and `Retry-After`,
    before the password is looked at (it counts as no attempt).

    A user who registered but has not verified both the phone and the email yet, and who gives the right
    password, gets 403 `VERIFICATION_PENDING` with the members `user_id` and `unverified_channels`
    (`VerificationChannel` values): send a code with `startUserVerification` (`POST
    /v1/users/{user_id}/verifications`) and confirm it with `confirmUserVerification` for each channel
    listed, then log in again. With a wrong password the answer stays 401 `INVALID_CREDENTIALS`: only
    the right password reveals the state.

    Args:
        x_device_id (str | Unset):
        x_device_name (str | Unset):
        x_request_id (str | Unset):
        body (PasswordLogin):

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
    body: PasswordLogin,
    x_device_id: str | Unset = UNSET,
    x_device_name: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Problem | TokenPair | None:
    """Log in

     Password login of an ACTIVE user by email or phone. Returns a short-lived access token (JWT, EdDSA,
    verify with `/.well-known/jwks.json`) and an opaque refresh token. An unknown user and a wrong
    password get the same 401 `INVALID_CREDENTIALS`. The session is bound to the device named by
    `X-Device-Id` (see the `devices` tag); a device new to the user is announced to them by email and by
    `darca.identity.new_device_detected.v1`.

    Failed logins are counted per user, whichever of their identifiers (email or phone, in any spelling)
    was used, and per client address: after 4 free failures each further one locks for 30 s, doubling up
    to 15 minutes (429 `TOO_MANY_ATTEMPTS` with `Retry-After`). An identifier that belongs to nobody is
    counted and locked exactly the same way.

    Passwords are checked (argon2id) by a few threads per server process; when too many password checks
    are already waiting, the login is refused at once with 429 `PASSWORD_CHECKS_BUSY` and `Retry-After`,
    before the password is looked at (it counts as no attempt).

    A user who registered but has not verified both the phone and the email yet, and who gives the right
    password, gets 403 `VERIFICATION_PENDING` with the members `user_id` and `unverified_channels`
    (`VerificationChannel` values): send a code with `startUserVerification` (`POST
    /v1/users/{user_id}/verifications`) and confirm it with `confirmUserVerification` for each channel
    listed, then log in again. With a wrong password the answer stays 401 `INVALID_CREDENTIALS`: only
    the right password reveals the state.

    Args:
        x_device_id (str | Unset):
        x_device_name (str | Unset):
        x_request_id (str | Unset):
        body (PasswordLogin):

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
    body: PasswordLogin,
    x_device_id: str | Unset = UNSET,
    x_device_name: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[Problem | TokenPair]:
    """Log in

     Password login of an ACTIVE user by email or phone. Returns a short-lived access token (JWT, EdDSA,
    verify with `/.well-known/jwks.json`) and an opaque refresh token. An unknown user and a wrong
    password get the same 401 `INVALID_CREDENTIALS`. The session is bound to the device named by
    `X-Device-Id` (see the `devices` tag); a device new to the user is announced to them by email and by
    `darca.identity.new_device_detected.v1`.

    Failed logins are counted per user, whichever of their identifiers (email or phone, in any spelling)
    was used, and per client address: after 4 free failures each further one locks for 30 s, doubling up
    to 15 minutes (429 `TOO_MANY_ATTEMPTS` with `Retry-After`). An identifier that belongs to nobody is
    counted and locked exactly the same way.

    Passwords are checked (argon2id) by a few threads per server process; when too many password checks
    are already waiting, the login is refused at once with 429 `PASSWORD_CHECKS_BUSY` and `Retry-After`,
    before the password is looked at (it counts as no attempt).

    A user who registered but has not verified both the phone and the email yet, and who gives the right
    password, gets 403 `VERIFICATION_PENDING` with the members `user_id` and `unverified_channels`
    (`VerificationChannel` values): send a code with `startUserVerification` (`POST
    /v1/users/{user_id}/verifications`) and confirm it with `confirmUserVerification` for each channel
    listed, then log in again. With a wrong password the answer stays 401 `INVALID_CREDENTIALS`: only
    the right password reveals the state.

    Args:
        x_device_id (str | Unset):
        x_device_name (str | Unset):
        x_request_id (str | Unset):
        body (PasswordLogin):

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
    body: PasswordLogin,
    x_device_id: str | Unset = UNSET,
    x_device_name: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Problem | TokenPair | None:
    """Log in

     Password login of an ACTIVE user by email or phone. Returns a short-lived access token (JWT, EdDSA,
    verify with `/.well-known/jwks.json`) and an opaque refresh token. An unknown user and a wrong
    password get the same 401 `INVALID_CREDENTIALS`. The session is bound to the device named by
    `X-Device-Id` (see the `devices` tag); a device new to the user is announced to them by email and by
    `darca.identity.new_device_detected.v1`.

    Failed logins are counted per user, whichever of their identifiers (email or phone, in any spelling)
    was used, and per client address: after 4 free failures each further one locks for 30 s, doubling up
    to 15 minutes (429 `TOO_MANY_ATTEMPTS` with `Retry-After`). An identifier that belongs to nobody is
    counted and locked exactly the same way.

    Passwords are checked (argon2id) by a few threads per server process; when too many password checks
    are already waiting, the login is refused at once with 429 `PASSWORD_CHECKS_BUSY` and `Retry-After`,
    before the password is looked at (it counts as no attempt).

    A user who registered but has not verified both the phone and the email yet, and who gives the right
    password, gets 403 `VERIFICATION_PENDING` with the members `user_id` and `unverified_channels`
    (`VerificationChannel` values): send a code with `startUserVerification` (`POST
    /v1/users/{user_id}/verifications`) and confirm it with `confirmUserVerification` for each channel
    listed, then log in again. With a wrong password the answer stays 401 `INVALID_CREDENTIALS`: only
    the right password reveals the state.

    Args:
        x_device_id (str | Unset):
        x_device_name (str | Unset):
        x_request_id (str | Unset):
        body (PasswordLogin):

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
