from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.kyc_check import KycCheck
from ...models.kyc_check_create import KycCheckCreate
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: KycCheckCreate,
    idempotency_key: str,
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Idempotency-Key"] = idempotency_key

    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/kyc/checks",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> KycCheck | Problem | None:
    if response.status_code == 202:
        response_202 = KycCheck.from_dict(response.json())

        return response_202

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[KycCheck | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: KycCheckCreate,
    idempotency_key: str,
    x_request_id: str | Unset = UNSET,
) -> Response[KycCheck | Problem]:
    """Submit a KYC check

     Submits the caller's identity document to the KYC provider to reach `target_level`, which must be
    above the current level (422 `KYC_TARGET_LEVEL_NOT_ABOVE_CURRENT`). Only one check may be open
    (`PENDING` or `MANUAL_REVIEW`) at a time (409 `KYC_CHECK_IN_PROGRESS`). The check is decided
    asynchronously: poll `GET /v1/kyc/checks/{check_id}` or listen to
    `darca.identity.kyc_status_changed.v1`; the user is also notified.

    Personal data: the names and date of birth go to the provider and are not stored by the platform; of
    the document number only a SHA-256 digest and the last four characters are kept, and it is never
    logged.

    **Sandbox provider test documents** (the outcome follows the end of the document number): `…0000`
    approved; `…1111` rejected with reason `DOCUMENT_EXPIRED`; `…2222` goes to `MANUAL_REVIEW` (an
    operator decides with `POST /v1/kyc/checks/{check_id}/decision`); any other number is approved,
    unless the date of birth makes the person younger than 18 (rejected with `UNDERAGE`). The sandbox
    answers after `DARCA_KYC_SANDBOX_DELAY_MS` (default 2000 ms). The sandbox provider serves only the
    `SANDBOX` environment: in `PRODUCTION` with no provider configured, submissions are refused with 503
    `KYC_PROVIDER_NOT_CONFIGURED`.

    Args:
        idempotency_key (str):
        x_request_id (str | Unset):
        body (KycCheckCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[KycCheck | Problem]
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
    client: AuthenticatedClient,
    body: KycCheckCreate,
    idempotency_key: str,
    x_request_id: str | Unset = UNSET,
) -> KycCheck | Problem | None:
    """Submit a KYC check

     Submits the caller's identity document to the KYC provider to reach `target_level`, which must be
    above the current level (422 `KYC_TARGET_LEVEL_NOT_ABOVE_CURRENT`). Only one check may be open
    (`PENDING` or `MANUAL_REVIEW`) at a time (409 `KYC_CHECK_IN_PROGRESS`). The check is decided
    asynchronously: poll `GET /v1/kyc/checks/{check_id}` or listen to
    `darca.identity.kyc_status_changed.v1`; the user is also notified.

    Personal data: the names and date of birth go to the provider and are not stored by the platform; of
    the document number only a SHA-256 digest and the last four characters are kept, and it is never
    logged.

    **Sandbox provider test documents** (the outcome follows the end of the document number): `…0000`
    approved; `…1111` rejected with reason `DOCUMENT_EXPIRED`; `…2222` goes to `MANUAL_REVIEW` (an
    operator decides with `POST /v1/kyc/checks/{check_id}/decision`); any other number is approved,
    unless the date of birth makes the person younger than 18 (rejected with `UNDERAGE`). The sandbox
    answers after `DARCA_KYC_SANDBOX_DELAY_MS` (default 2000 ms). The sandbox provider serves only the
    `SANDBOX` environment: in `PRODUCTION` with no provider configured, submissions are refused with 503
    `KYC_PROVIDER_NOT_CONFIGURED`.

    Args:
        idempotency_key (str):
        x_request_id (str | Unset):
        body (KycCheckCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        KycCheck | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: KycCheckCreate,
    idempotency_key: str,
    x_request_id: str | Unset = UNSET,
) -> Response[KycCheck | Problem]:
    """Submit a KYC check

     Submits the caller's identity document to the KYC provider to reach `target_level`, which must be
    above the current level (422 `KYC_TARGET_LEVEL_NOT_ABOVE_CURRENT`). Only one check may be open
    (`PENDING` or `MANUAL_REVIEW`) at a time (409 `KYC_CHECK_IN_PROGRESS`). The check is decided
    asynchronously: poll `GET /v1/kyc/checks/{check_id}` or listen to
    `darca.identity.kyc_status_changed.v1`; the user is also notified.

    Personal data: the names and date of birth go to the provider and are not stored by the platform; of
    the document number only a SHA-256 digest and the last four characters are kept, and it is never
    logged.

    **Sandbox provider test documents** (the outcome follows the end of the document number): `…0000`
    approved; `…1111` rejected with reason `DOCUMENT_EXPIRED`; `…2222` goes to `MANUAL_REVIEW` (an
    operator decides with `POST /v1/kyc/checks/{check_id}/decision`); any other number is approved,
    unless the date of birth makes the person younger than 18 (rejected with `UNDERAGE`). The sandbox
    answers after `DARCA_KYC_SANDBOX_DELAY_MS` (default 2000 ms). The sandbox provider serves only the
    `SANDBOX` environment: in `PRODUCTION` with no provider configured, submissions are refused with 503
    `KYC_PROVIDER_NOT_CONFIGURED`.

    Args:
        idempotency_key (str):
        x_request_id (str | Unset):
        body (KycCheckCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[KycCheck | Problem]
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
    client: AuthenticatedClient,
    body: KycCheckCreate,
    idempotency_key: str,
    x_request_id: str | Unset = UNSET,
) -> KycCheck | Problem | None:
    """Submit a KYC check

     Submits the caller's identity document to the KYC provider to reach `target_level`, which must be
    above the current level (422 `KYC_TARGET_LEVEL_NOT_ABOVE_CURRENT`). Only one check may be open
    (`PENDING` or `MANUAL_REVIEW`) at a time (409 `KYC_CHECK_IN_PROGRESS`). The check is decided
    asynchronously: poll `GET /v1/kyc/checks/{check_id}` or listen to
    `darca.identity.kyc_status_changed.v1`; the user is also notified.

    Personal data: the names and date of birth go to the provider and are not stored by the platform; of
    the document number only a SHA-256 digest and the last four characters are kept, and it is never
    logged.

    **Sandbox provider test documents** (the outcome follows the end of the document number): `…0000`
    approved; `…1111` rejected with reason `DOCUMENT_EXPIRED`; `…2222` goes to `MANUAL_REVIEW` (an
    operator decides with `POST /v1/kyc/checks/{check_id}/decision`); any other number is approved,
    unless the date of birth makes the person younger than 18 (rejected with `UNDERAGE`). The sandbox
    answers after `DARCA_KYC_SANDBOX_DELAY_MS` (default 2000 ms). The sandbox provider serves only the
    `SANDBOX` environment: in `PRODUCTION` with no provider configured, submissions are refused with 503
    `KYC_PROVIDER_NOT_CONFIGURED`.

    Args:
        idempotency_key (str):
        x_request_id (str | Unset):
        body (KycCheckCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        KycCheck | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
            x_request_id=x_request_id,
        )
    ).parsed
