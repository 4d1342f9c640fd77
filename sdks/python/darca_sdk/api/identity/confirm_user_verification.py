from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.user import User
from ...models.verification_confirmation import VerificationConfirmation
from ...types import UNSET, Response, Unset


def _get_kwargs(
    user_id: str,
    *,
    body: VerificationConfirmation,
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/users/{user_id}/verifications/confirm".format(
            user_id=quote(str(user_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | User | None:
    if response.status_code == 200:
        response_200 = User.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | User]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    user_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: VerificationConfirmation,
    x_request_id: str | Unset = UNSET,
) -> Response[Problem | User]:
    """Confirm a verification code

     Checks the code last sent to the channel. A wrong code uses up an attempt
    (`VERIFICATION_CODE_INVALID`); after the last attempt (429 `VERIFICATION_ATTEMPTS_EXHAUSTED`,
    `Retry-After` 15 minutes) or expiry a new code must be sent. Wrong codes are also capped at 15 a day
    per user across resends and channels (429 `VERIFICATION_GUESS_LIMIT_REACHED`), and per client
    address (429 `TOO_MANY_ATTEMPTS`).

    Args:
        user_id (str):
        x_request_id (str | Unset):
        body (VerificationConfirmation):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | User]
    """

    kwargs = _get_kwargs(
        user_id=user_id,
        body=body,
        x_request_id=x_request_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    user_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: VerificationConfirmation,
    x_request_id: str | Unset = UNSET,
) -> Problem | User | None:
    """Confirm a verification code

     Checks the code last sent to the channel. A wrong code uses up an attempt
    (`VERIFICATION_CODE_INVALID`); after the last attempt (429 `VERIFICATION_ATTEMPTS_EXHAUSTED`,
    `Retry-After` 15 minutes) or expiry a new code must be sent. Wrong codes are also capped at 15 a day
    per user across resends and channels (429 `VERIFICATION_GUESS_LIMIT_REACHED`), and per client
    address (429 `TOO_MANY_ATTEMPTS`).

    Args:
        user_id (str):
        x_request_id (str | Unset):
        body (VerificationConfirmation):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | User
    """

    return sync_detailed(
        user_id=user_id,
        client=client,
        body=body,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    user_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: VerificationConfirmation,
    x_request_id: str | Unset = UNSET,
) -> Response[Problem | User]:
    """Confirm a verification code

     Checks the code last sent to the channel. A wrong code uses up an attempt
    (`VERIFICATION_CODE_INVALID`); after the last attempt (429 `VERIFICATION_ATTEMPTS_EXHAUSTED`,
    `Retry-After` 15 minutes) or expiry a new code must be sent. Wrong codes are also capped at 15 a day
    per user across resends and channels (429 `VERIFICATION_GUESS_LIMIT_REACHED`), and per client
    address (429 `TOO_MANY_ATTEMPTS`).

    Args:
        user_id (str):
        x_request_id (str | Unset):
        body (VerificationConfirmation):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | User]
    """

    kwargs = _get_kwargs(
        user_id=user_id,
        body=body,
        x_request_id=x_request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    user_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: VerificationConfirmation,
    x_request_id: str | Unset = UNSET,
) -> Problem | User | None:
    """Confirm a verification code

     Checks the code last sent to the channel. A wrong code uses up an attempt
    (`VERIFICATION_CODE_INVALID`); after the last attempt (429 `VERIFICATION_ATTEMPTS_EXHAUSTED`,
    `Retry-After` 15 minutes) or expiry a new code must be sent. Wrong codes are also capped at 15 a day
    per user across resends and channels (429 `VERIFICATION_GUESS_LIMIT_REACHED`), and per client
    address (429 `TOO_MANY_ATTEMPTS`).

    Args:
        user_id (str):
        x_request_id (str | Unset):
        body (VerificationConfirmation):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | User
    """

    return (
        await asyncio_detailed(
            user_id=user_id,
            client=client,
            body=body,
            x_request_id=x_request_id,
        )
    ).parsed
