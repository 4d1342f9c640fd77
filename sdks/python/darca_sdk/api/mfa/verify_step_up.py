from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.passkey_proof import PasskeyProof
from ...models.problem import Problem
from ...models.recovery_code_proof import RecoveryCodeProof
from ...models.step_up import StepUp
from ...models.totp_proof import TotpProof
from ...types import UNSET, Response, Unset


def _get_kwargs(
    step_up_id: str,
    *,
    body: PasskeyProof | RecoveryCodeProof | TotpProof,
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/step-ups/{step_up_id}/verify".format(
            step_up_id=quote(str(step_up_id), safe=""),
        ),
    }

    if isinstance(body, TotpProof):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, RecoveryCodeProof):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | StepUp | None:
    if response.status_code == 200:
        response_200 = StepUp.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | StepUp]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    step_up_id: str,
    *,
    client: AuthenticatedClient,
    body: PasskeyProof | RecoveryCodeProof | TotpProof,
    x_request_id: str | Unset = UNSET,
) -> Response[Problem | StepUp]:
    """Verify a step-up challenge

     Satisfies a PENDING challenge with a TOTP code, a recovery code or a passkey assertion (WebAuthn
    `PublicKeyCredential` JSON over the challenge of this step-up), chosen by `method`. A wrong or
    reused code is 422 (`TOTP_CODE_INVALID`, `TOTP_CODE_REUSED`, `RECOVERY_CODE_INVALID`,
    `PASSKEY_ASSERTION_INVALID`), throttled per user (429 with `Retry-After`); a challenge that is not
    PENDING is 409 `STEP_UP_NOT_PENDING` (expired: `STEP_UP_EXPIRED`); a method the platform or user
    cannot use is 422 `STEP_UP_METHOD_UNAVAILABLE`. Publishes `darca.identity.step_up_verified.v1`.

    Args:
        step_up_id (str):
        x_request_id (str | Unset):
        body (PasskeyProof | RecoveryCodeProof | TotpProof): A TOTP code, a recovery code or a
            passkey assertion, chosen by `method`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | StepUp]
    """

    kwargs = _get_kwargs(
        step_up_id=step_up_id,
        body=body,
        x_request_id=x_request_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    step_up_id: str,
    *,
    client: AuthenticatedClient,
    body: PasskeyProof | RecoveryCodeProof | TotpProof,
    x_request_id: str | Unset = UNSET,
) -> Problem | StepUp | None:
    """Verify a step-up challenge

     Satisfies a PENDING challenge with a TOTP code, a recovery code or a passkey assertion (WebAuthn
    `PublicKeyCredential` JSON over the challenge of this step-up), chosen by `method`. A wrong or
    reused code is 422 (`TOTP_CODE_INVALID`, `TOTP_CODE_REUSED`, `RECOVERY_CODE_INVALID`,
    `PASSKEY_ASSERTION_INVALID`), throttled per user (429 with `Retry-After`); a challenge that is not
    PENDING is 409 `STEP_UP_NOT_PENDING` (expired: `STEP_UP_EXPIRED`); a method the platform or user
    cannot use is 422 `STEP_UP_METHOD_UNAVAILABLE`. Publishes `darca.identity.step_up_verified.v1`.

    Args:
        step_up_id (str):
        x_request_id (str | Unset):
        body (PasskeyProof | RecoveryCodeProof | TotpProof): A TOTP code, a recovery code or a
            passkey assertion, chosen by `method`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | StepUp
    """

    return sync_detailed(
        step_up_id=step_up_id,
        client=client,
        body=body,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    step_up_id: str,
    *,
    client: AuthenticatedClient,
    body: PasskeyProof | RecoveryCodeProof | TotpProof,
    x_request_id: str | Unset = UNSET,
) -> Response[Problem | StepUp]:
    """Verify a step-up challenge

     Satisfies a PENDING challenge with a TOTP code, a recovery code or a passkey assertion (WebAuthn
    `PublicKeyCredential` JSON over the challenge of this step-up), chosen by `method`. A wrong or
    reused code is 422 (`TOTP_CODE_INVALID`, `TOTP_CODE_REUSED`, `RECOVERY_CODE_INVALID`,
    `PASSKEY_ASSERTION_INVALID`), throttled per user (429 with `Retry-After`); a challenge that is not
    PENDING is 409 `STEP_UP_NOT_PENDING` (expired: `STEP_UP_EXPIRED`); a method the platform or user
    cannot use is 422 `STEP_UP_METHOD_UNAVAILABLE`. Publishes `darca.identity.step_up_verified.v1`.

    Args:
        step_up_id (str):
        x_request_id (str | Unset):
        body (PasskeyProof | RecoveryCodeProof | TotpProof): A TOTP code, a recovery code or a
            passkey assertion, chosen by `method`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | StepUp]
    """

    kwargs = _get_kwargs(
        step_up_id=step_up_id,
        body=body,
        x_request_id=x_request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    step_up_id: str,
    *,
    client: AuthenticatedClient,
    body: PasskeyProof | RecoveryCodeProof | TotpProof,
    x_request_id: str | Unset = UNSET,
) -> Problem | StepUp | None:
    """Verify a step-up challenge

     Satisfies a PENDING challenge with a TOTP code, a recovery code or a passkey assertion (WebAuthn
    `PublicKeyCredential` JSON over the challenge of this step-up), chosen by `method`. A wrong or
    reused code is 422 (`TOTP_CODE_INVALID`, `TOTP_CODE_REUSED`, `RECOVERY_CODE_INVALID`,
    `PASSKEY_ASSERTION_INVALID`), throttled per user (429 with `Retry-After`); a challenge that is not
    PENDING is 409 `STEP_UP_NOT_PENDING` (expired: `STEP_UP_EXPIRED`); a method the platform or user
    cannot use is 422 `STEP_UP_METHOD_UNAVAILABLE`. Publishes `darca.identity.step_up_verified.v1`.

    Args:
        step_up_id (str):
        x_request_id (str | Unset):
        body (PasskeyProof | RecoveryCodeProof | TotpProof): A TOTP code, a recovery code or a
            passkey assertion, chosen by `method`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | StepUp
    """

    return (
        await asyncio_detailed(
            step_up_id=step_up_id,
            client=client,
            body=body,
            x_request_id=x_request_id,
        )
    ).parsed
