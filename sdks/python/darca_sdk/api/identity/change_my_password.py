from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.password_change import PasswordChange
from ...models.problem import Problem
from ...models.step_up_required_problem import StepUpRequiredProblem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: PasswordChange,
    idempotency_key: str,
    x_step_up_id: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Idempotency-Key"] = idempotency_key

    if not isinstance(x_step_up_id, Unset):
        headers["X-Step-Up-Id"] = x_step_up_id

    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/me/password",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | Problem | StepUpRequiredProblem | None:
    if response.status_code == 204:
        response_204 = cast(Any, None)
        return response_204

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = StepUpRequiredProblem.from_dict(response.json())

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
) -> Response[Any | Problem | StepUpRequiredProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: PasswordChange,
    idempotency_key: str,
    x_step_up_id: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[Any | Problem | StepUpRequiredProblem]:
    """Change my password

     Replaces the caller's password. The current password must be given (a wrong one is 422
    `CURRENT_PASSWORD_INVALID`, counted per user as failed logins are, but apart from them: after 4 free
    failures each further one locks password changes for 30 s, doubling up to 15 minutes, 429
    `TOO_MANY_ATTEMPTS`); the new one must pass the weak-password policy (422 `VALIDATION_FAILED`). From
    a device that requires a step-up (new and not trusted) the request must carry `X-Step-Up-Id`, a
    verified step-up for the action `identity.password.change` (403 `STEP_UP_REQUIRED` otherwise). Every
    other session of the caller is revoked at once (this one stays); the user is told by email and in
    the inbox. Publishes `darca.identity.password_changed.v1`.

    Args:
        idempotency_key (str):
        x_step_up_id (str | Unset):
        x_request_id (str | Unset):
        body (PasswordChange):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem | StepUpRequiredProblem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
        x_step_up_id=x_step_up_id,
        x_request_id=x_request_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: PasswordChange,
    idempotency_key: str,
    x_step_up_id: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Any | Problem | StepUpRequiredProblem | None:
    """Change my password

     Replaces the caller's password. The current password must be given (a wrong one is 422
    `CURRENT_PASSWORD_INVALID`, counted per user as failed logins are, but apart from them: after 4 free
    failures each further one locks password changes for 30 s, doubling up to 15 minutes, 429
    `TOO_MANY_ATTEMPTS`); the new one must pass the weak-password policy (422 `VALIDATION_FAILED`). From
    a device that requires a step-up (new and not trusted) the request must carry `X-Step-Up-Id`, a
    verified step-up for the action `identity.password.change` (403 `STEP_UP_REQUIRED` otherwise). Every
    other session of the caller is revoked at once (this one stays); the user is told by email and in
    the inbox. Publishes `darca.identity.password_changed.v1`.

    Args:
        idempotency_key (str):
        x_step_up_id (str | Unset):
        x_request_id (str | Unset):
        body (PasswordChange):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem | StepUpRequiredProblem
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
        x_step_up_id=x_step_up_id,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: PasswordChange,
    idempotency_key: str,
    x_step_up_id: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[Any | Problem | StepUpRequiredProblem]:
    """Change my password

     Replaces the caller's password. The current password must be given (a wrong one is 422
    `CURRENT_PASSWORD_INVALID`, counted per user as failed logins are, but apart from them: after 4 free
    failures each further one locks password changes for 30 s, doubling up to 15 minutes, 429
    `TOO_MANY_ATTEMPTS`); the new one must pass the weak-password policy (422 `VALIDATION_FAILED`). From
    a device that requires a step-up (new and not trusted) the request must carry `X-Step-Up-Id`, a
    verified step-up for the action `identity.password.change` (403 `STEP_UP_REQUIRED` otherwise). Every
    other session of the caller is revoked at once (this one stays); the user is told by email and in
    the inbox. Publishes `darca.identity.password_changed.v1`.

    Args:
        idempotency_key (str):
        x_step_up_id (str | Unset):
        x_request_id (str | Unset):
        body (PasswordChange):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem | StepUpRequiredProblem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
        x_step_up_id=x_step_up_id,
        x_request_id=x_request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: PasswordChange,
    idempotency_key: str,
    x_step_up_id: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Any | Problem | StepUpRequiredProblem | None:
    """Change my password

     Replaces the caller's password. The current password must be given (a wrong one is 422
    `CURRENT_PASSWORD_INVALID`, counted per user as failed logins are, but apart from them: after 4 free
    failures each further one locks password changes for 30 s, doubling up to 15 minutes, 429
    `TOO_MANY_ATTEMPTS`); the new one must pass the weak-password policy (422 `VALIDATION_FAILED`). From
    a device that requires a step-up (new and not trusted) the request must carry `X-Step-Up-Id`, a
    verified step-up for the action `identity.password.change` (403 `STEP_UP_REQUIRED` otherwise). Every
    other session of the caller is revoked at once (this one stays); the user is told by email and in
    the inbox. Publishes `darca.identity.password_changed.v1`.

    Args:
        idempotency_key (str):
        x_step_up_id (str | Unset):
        x_request_id (str | Unset):
        body (PasswordChange):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem | StepUpRequiredProblem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
            x_step_up_id=x_step_up_id,
            x_request_id=x_request_id,
        )
    ).parsed
