from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.recovery_codes import RecoveryCodes
from ...models.totp_confirmation import TotpConfirmation
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: TotpConfirmation,
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/mfa/totp/confirm",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | RecoveryCodes | None:
    if response.status_code == 200:
        response_200 = RecoveryCodes.from_dict(response.json())

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | RecoveryCodes]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: TotpConfirmation,
    x_request_id: str | Unset = UNSET,
) -> Response[Problem | RecoveryCodes]:
    """Confirm TOTP enrolment

     Enables the pending TOTP secret once a current code from the authenticator app proves it was stored.
    Returns 10 single-use recovery codes, shown only in this response (the platform keeps their hashes).
    A wrong code is 422 `TOTP_CODE_INVALID`; repeated failures are throttled (429 `TOO_MANY_ATTEMPTS`
    with `Retry-After`). No pending enrolment: 409 `TOTP_NOT_PENDING`. Publishes
    `darca.identity.mfa_enabled.v1`.

    Args:
        x_request_id (str | Unset):
        body (TotpConfirmation):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RecoveryCodes]
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
    body: TotpConfirmation,
    x_request_id: str | Unset = UNSET,
) -> Problem | RecoveryCodes | None:
    """Confirm TOTP enrolment

     Enables the pending TOTP secret once a current code from the authenticator app proves it was stored.
    Returns 10 single-use recovery codes, shown only in this response (the platform keeps their hashes).
    A wrong code is 422 `TOTP_CODE_INVALID`; repeated failures are throttled (429 `TOO_MANY_ATTEMPTS`
    with `Retry-After`). No pending enrolment: 409 `TOTP_NOT_PENDING`. Publishes
    `darca.identity.mfa_enabled.v1`.

    Args:
        x_request_id (str | Unset):
        body (TotpConfirmation):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RecoveryCodes
    """

    return sync_detailed(
        client=client,
        body=body,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: TotpConfirmation,
    x_request_id: str | Unset = UNSET,
) -> Response[Problem | RecoveryCodes]:
    """Confirm TOTP enrolment

     Enables the pending TOTP secret once a current code from the authenticator app proves it was stored.
    Returns 10 single-use recovery codes, shown only in this response (the platform keeps their hashes).
    A wrong code is 422 `TOTP_CODE_INVALID`; repeated failures are throttled (429 `TOO_MANY_ATTEMPTS`
    with `Retry-After`). No pending enrolment: 409 `TOTP_NOT_PENDING`. Publishes
    `darca.identity.mfa_enabled.v1`.

    Args:
        x_request_id (str | Unset):
        body (TotpConfirmation):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RecoveryCodes]
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
    body: TotpConfirmation,
    x_request_id: str | Unset = UNSET,
) -> Problem | RecoveryCodes | None:
    """Confirm TOTP enrolment

     Enables the pending TOTP secret once a current code from the authenticator app proves it was stored.
    Returns 10 single-use recovery codes, shown only in this response (the platform keeps their hashes).
    A wrong code is 422 `TOTP_CODE_INVALID`; repeated failures are throttled (429 `TOO_MANY_ATTEMPTS`
    with `Retry-After`). No pending enrolment: 409 `TOTP_NOT_PENDING`. Publishes
    `darca.identity.mfa_enabled.v1`.

    Args:
        x_request_id (str | Unset):
        body (TotpConfirmation):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RecoveryCodes
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            x_request_id=x_request_id,
        )
    ).parsed
