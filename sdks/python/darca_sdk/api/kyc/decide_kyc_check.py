from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.kyc_check import KycCheck
from ...models.kyc_decision import KycDecision
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    check_id: str,
    *,
    body: KycDecision,
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/kyc/checks/{check_id}/decision".format(
            check_id=quote(str(check_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> KycCheck | Problem | None:
    if response.status_code == 200:
        response_200 = KycCheck.from_dict(response.json())

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
    check_id: str,
    *,
    client: AuthenticatedClient,
    body: KycDecision,
    x_request_id: str | Unset = UNSET,
) -> Response[KycCheck | Problem]:
    """Decide a check in manual review (operators)

     An operator approves or rejects a check the provider sent to `MANUAL_REVIEW`. Any other status is
    refused with 409 `KYC_CHECK_NOT_IN_MANUAL_REVIEW`. Approval raises the user's level to the check's
    target level. Publishes `darca.identity.kyc_status_changed.v1`, notifies the user and writes an
    audit record.

    Args:
        check_id (str):
        x_request_id (str | Unset):
        body (KycDecision):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[KycCheck | Problem]
    """

    kwargs = _get_kwargs(
        check_id=check_id,
        body=body,
        x_request_id=x_request_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    check_id: str,
    *,
    client: AuthenticatedClient,
    body: KycDecision,
    x_request_id: str | Unset = UNSET,
) -> KycCheck | Problem | None:
    """Decide a check in manual review (operators)

     An operator approves or rejects a check the provider sent to `MANUAL_REVIEW`. Any other status is
    refused with 409 `KYC_CHECK_NOT_IN_MANUAL_REVIEW`. Approval raises the user's level to the check's
    target level. Publishes `darca.identity.kyc_status_changed.v1`, notifies the user and writes an
    audit record.

    Args:
        check_id (str):
        x_request_id (str | Unset):
        body (KycDecision):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        KycCheck | Problem
    """

    return sync_detailed(
        check_id=check_id,
        client=client,
        body=body,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    check_id: str,
    *,
    client: AuthenticatedClient,
    body: KycDecision,
    x_request_id: str | Unset = UNSET,
) -> Response[KycCheck | Problem]:
    """Decide a check in manual review (operators)

     An operator approves or rejects a check the provider sent to `MANUAL_REVIEW`. Any other status is
    refused with 409 `KYC_CHECK_NOT_IN_MANUAL_REVIEW`. Approval raises the user's level to the check's
    target level. Publishes `darca.identity.kyc_status_changed.v1`, notifies the user and writes an
    audit record.

    Args:
        check_id (str):
        x_request_id (str | Unset):
        body (KycDecision):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[KycCheck | Problem]
    """

    kwargs = _get_kwargs(
        check_id=check_id,
        body=body,
        x_request_id=x_request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    check_id: str,
    *,
    client: AuthenticatedClient,
    body: KycDecision,
    x_request_id: str | Unset = UNSET,
) -> KycCheck | Problem | None:
    """Decide a check in manual review (operators)

     An operator approves or rejects a check the provider sent to `MANUAL_REVIEW`. Any other status is
    refused with 409 `KYC_CHECK_NOT_IN_MANUAL_REVIEW`. Approval raises the user's level to the check's
    target level. Publishes `darca.identity.kyc_status_changed.v1`, notifies the user and writes an
    audit record.

    Args:
        check_id (str):
        x_request_id (str | Unset):
        body (KycDecision):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        KycCheck | Problem
    """

    return (
        await asyncio_detailed(
            check_id=check_id,
            client=client,
            body=body,
            x_request_id=x_request_id,
        )
    ).parsed
