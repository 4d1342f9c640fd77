from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.user import User
from ...models.user_registration import UserRegistration
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: UserRegistration,
    idempotency_key: str,
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Idempotency-Key"] = idempotency_key

    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/users",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | User | None:
    if response.status_code == 201:
        response_201 = User.from_dict(response.json())

        return response_201

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | User]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: UserRegistration,
    idempotency_key: str,
    x_request_id: str | Unset = UNSET,
) -> Response[Problem | User]:
    """Register a user

     Signs up an individual user. The user starts in `PENDING_VERIFICATION` and becomes `ACTIVE` once
    both the phone and the email are verified by one-time code. The password must pass the weak-password
    policy (at least 12 characters, not containing the email or phone, not a commonly used password).
    Publishes `darca.identity.user_registered.v1`.

    The answer never tells whether the email or phone is already registered (ADR 0013): a registration
    with an address that belongs to someone else gets the same 201 and the same User body, and the same
    answers from every later step (starting a verification: 202 with the same challenge and limits;
    wrong codes: the same 422 and 429). Its other channel gets its code as usual and can be verified,
    but the colliding channel never can: its code is sent nowhere, and the owner of the address is told
    instead (at most 3 notices a day per address) that someone tried to register with it. Such a
    registration never becomes `ACTIVE`, cannot log in and does not affect the owner's account.
    Concurrent registrations of the same new address still create one user only.

    Passwords are hashed (argon2id) by a few threads per server process; when too many password checks
    are already waiting, the registration is refused at once with 429 `PASSWORD_CHECKS_BUSY` and `Retry-
    After` (nothing is done: a retry with the same `Idempotency-Key` runs).

    Sandbox phone numbers: the North American numbers 555-0100 to 555-0199 of any area code
    (`+12025550100` … `+12025550199`, `+14155550123`, …) are reserved for fiction and reach nobody. In
    the SANDBOX environment they register like any number, and their SMS codes are read with
    `listSandboxMessages`; in PRODUCTION they are refused (422 `VALIDATION_FAILED`,
    `SANDBOX_PHONE_NUMBER` on `body.phone`).

    Args:
        idempotency_key (str):
        x_request_id (str | Unset):
        body (UserRegistration):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | User]
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
    body: UserRegistration,
    idempotency_key: str,
    x_request_id: str | Unset = UNSET,
) -> Problem | User | None:
    """Register a user

     Signs up an individual user. The user starts in `PENDING_VERIFICATION` and becomes `ACTIVE` once
    both the phone and the email are verified by one-time code. The password must pass the weak-password
    policy (at least 12 characters, not containing the email or phone, not a commonly used password).
    Publishes `darca.identity.user_registered.v1`.

    The answer never tells whether the email or phone is already registered (ADR 0013): a registration
    with an address that belongs to someone else gets the same 201 and the same User body, and the same
    answers from every later step (starting a verification: 202 with the same challenge and limits;
    wrong codes: the same 422 and 429). Its other channel gets its code as usual and can be verified,
    but the colliding channel never can: its code is sent nowhere, and the owner of the address is told
    instead (at most 3 notices a day per address) that someone tried to register with it. Such a
    registration never becomes `ACTIVE`, cannot log in and does not affect the owner's account.
    Concurrent registrations of the same new address still create one user only.

    Passwords are hashed (argon2id) by a few threads per server process; when too many password checks
    are already waiting, the registration is refused at once with 429 `PASSWORD_CHECKS_BUSY` and `Retry-
    After` (nothing is done: a retry with the same `Idempotency-Key` runs).

    Sandbox phone numbers: the North American numbers 555-0100 to 555-0199 of any area code
    (`+12025550100` … `+12025550199`, `+14155550123`, …) are reserved for fiction and reach nobody. In
    the SANDBOX environment they register like any number, and their SMS codes are read with
    `listSandboxMessages`; in PRODUCTION they are refused (422 `VALIDATION_FAILED`,
    `SANDBOX_PHONE_NUMBER` on `body.phone`).

    Args:
        idempotency_key (str):
        x_request_id (str | Unset):
        body (UserRegistration):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | User
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
    body: UserRegistration,
    idempotency_key: str,
    x_request_id: str | Unset = UNSET,
) -> Response[Problem | User]:
    """Register a user

     Signs up an individual user. The user starts in `PENDING_VERIFICATION` and becomes `ACTIVE` once
    both the phone and the email are verified by one-time code. The password must pass the weak-password
    policy (at least 12 characters, not containing the email or phone, not a commonly used password).
    Publishes `darca.identity.user_registered.v1`.

    The answer never tells whether the email or phone is already registered (ADR 0013): a registration
    with an address that belongs to someone else gets the same 201 and the same User body, and the same
    answers from every later step (starting a verification: 202 with the same challenge and limits;
    wrong codes: the same 422 and 429). Its other channel gets its code as usual and can be verified,
    but the colliding channel never can: its code is sent nowhere, and the owner of the address is told
    instead (at most 3 notices a day per address) that someone tried to register with it. Such a
    registration never becomes `ACTIVE`, cannot log in and does not affect the owner's account.
    Concurrent registrations of the same new address still create one user only.

    Passwords are hashed (argon2id) by a few threads per server process; when too many password checks
    are already waiting, the registration is refused at once with 429 `PASSWORD_CHECKS_BUSY` and `Retry-
    After` (nothing is done: a retry with the same `Idempotency-Key` runs).

    Sandbox phone numbers: the North American numbers 555-0100 to 555-0199 of any area code
    (`+12025550100` … `+12025550199`, `+14155550123`, …) are reserved for fiction and reach nobody. In
    the SANDBOX environment they register like any number, and their SMS codes are read with
    `listSandboxMessages`; in PRODUCTION they are refused (422 `VALIDATION_FAILED`,
    `SANDBOX_PHONE_NUMBER` on `body.phone`).

    Args:
        idempotency_key (str):
        x_request_id (str | Unset):
        body (UserRegistration):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | User]
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
    body: UserRegistration,
    idempotency_key: str,
    x_request_id: str | Unset = UNSET,
) -> Problem | User | None:
    """Register a user

     Signs up an individual user. The user starts in `PENDING_VERIFICATION` and becomes `ACTIVE` once
    both the phone and the email are verified by one-time code. The password must pass the weak-password
    policy (at least 12 characters, not containing the email or phone, not a commonly used password).
    Publishes `darca.identity.user_registered.v1`.

    The answer never tells whether the email or phone is already registered (ADR 0013): a registration
    with an address that belongs to someone else gets the same 201 and the same User body, and the same
    answers from every later step (starting a verification: 202 with the same challenge and limits;
    wrong codes: the same 422 and 429). Its other channel gets its code as usual and can be verified,
    but the colliding channel never can: its code is sent nowhere, and the owner of the address is told
    instead (at most 3 notices a day per address) that someone tried to register with it. Such a
    registration never becomes `ACTIVE`, cannot log in and does not affect the owner's account.
    Concurrent registrations of the same new address still create one user only.

    Passwords are hashed (argon2id) by a few threads per server process; when too many password checks
    are already waiting, the registration is refused at once with 429 `PASSWORD_CHECKS_BUSY` and `Retry-
    After` (nothing is done: a retry with the same `Idempotency-Key` runs).

    Sandbox phone numbers: the North American numbers 555-0100 to 555-0199 of any area code
    (`+12025550100` … `+12025550199`, `+14155550123`, …) are reserved for fiction and reach nobody. In
    the SANDBOX environment they register like any number, and their SMS codes are read with
    `listSandboxMessages`; in PRODUCTION they are refused (422 `VALIDATION_FAILED`,
    `SANDBOX_PHONE_NUMBER` on `body.phone`).

    Args:
        idempotency_key (str):
        x_request_id (str | Unset):
        body (UserRegistration):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | User
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
            x_request_id=x_request_id,
        )
    ).parsed
