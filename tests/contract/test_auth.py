"""Both auth styles pass Prism's security check, on every operation, sync and async.

The spec's security schemes are ``api-key`` (header) and a bearer token. Prism answers 401
to a request that satisfies neither, so every 200 here is a passed security check:

* ``api_key=`` sends ``api-key`` and nothing else;
* ``credential=`` (azure-core's ``TokenCredential`` / ``SupportsTokenInfo`` protocol, and
  the async ``AsyncTokenCredential``) sends ``Authorization: Bearer <token>`` for the
  Cognitive Services scope, asking the credential once and reusing the token;
* ``azure_ad_token_provider=`` built by azure-identity's own ``get_bearer_token_provider``.

A request stripped of its credentials proves the check is real: 401, typed as
``AuthenticationError``.
"""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
from azure.core.credentials import AccessToken, AccessTokenInfo, SupportsTokenInfo, TokenCredential
from azure.core.credentials_async import AsyncTokenCredential
from azure.identity import get_bearer_token_provider
from azure.identity.aio import get_bearer_token_provider as get_async_bearer_token_provider

from azure_oai_preview import AuthenticationError

from ._calls import (
    API_KEY,
    ASSISTANT_ID,
    CHAT,
    RAG_MESSAGES,
    async_client,
    one_call_per_operation,
    run_async,
    run_sync,
    sync_client,
)
from .harness import PrismServer, ViolationRecorder

pytestmark = pytest.mark.contract

SCOPE = "https://cognitiveservices.azure.com/.default"
TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJjb2duaXRpdmVzZXJ2aWNlcyJ9.c2ln"


class FixedTokenCredential:
    """A ``TokenCredential`` + ``SupportsTokenInfo`` (azure-core) that hands out one token."""

    def __init__(self) -> None:
        self.scopes: list[tuple[str, ...]] = []

    def get_token(
        self,
        *scopes: str,
        claims: str | None = None,
        tenant_id: str | None = None,
        enable_cae: bool = False,
        **kwargs: Any,
    ) -> AccessToken:
        self.scopes.append(scopes)
        return AccessToken(TOKEN, int(time.time()) + 3600)

    def get_token_info(self, *scopes: str, options: Any = None) -> AccessTokenInfo:
        self.scopes.append(scopes)
        return AccessTokenInfo(TOKEN, int(time.time()) + 3600, refresh_on=int(time.time()) + 1800)

    def close(self) -> None:
        pass

    def __enter__(self) -> FixedTokenCredential:
        return self

    def __exit__(self, *args: object) -> None:
        pass


class AsyncFixedTokenCredential:
    """The async twin (``azure.core.credentials_async.AsyncTokenCredential``)."""

    def __init__(self) -> None:
        self.scopes: list[tuple[str, ...]] = []

    async def get_token(
        self,
        *scopes: str,
        claims: str | None = None,
        tenant_id: str | None = None,
        enable_cae: bool = False,
        **kwargs: Any,
    ) -> AccessToken:
        self.scopes.append(scopes)
        return AccessToken(TOKEN, int(time.time()) + 3600)

    async def get_token_info(self, *scopes: str, options: Any = None) -> AccessTokenInfo:
        self.scopes.append(scopes)
        return AccessTokenInfo(TOKEN, int(time.time()) + 3600, refresh_on=int(time.time()) + 1800)

    async def close(self) -> None:
        pass

    async def __aenter__(self) -> AsyncFixedTokenCredential:
        return self

    async def __aexit__(self, *args: object) -> None:
        pass


def test_the_test_credentials_follow_azure_core_protocols() -> None:
    assert isinstance(FixedTokenCredential(), TokenCredential)
    assert isinstance(FixedTokenCredential(), SupportsTokenInfo)
    assert isinstance(AsyncFixedTokenCredential(), AsyncTokenCredential)


# --------------------------------------------------------------------------- recording headers


def _auth_headers(http_client: httpx.Client | httpx.AsyncClient) -> list[tuple[str | None, ...]]:
    """(api-key, authorization) of every request the client sends from now on."""
    seen: list[tuple[str | None, ...]] = []

    def note(request: httpx.Request) -> None:
        seen.append((request.headers.get("api-key"), request.headers.get("authorization")))

    if isinstance(http_client, httpx.AsyncClient):

        async def note_async(request: httpx.Request) -> None:
            note(request)

        http_client.event_hooks["request"].append(note_async)
    else:
        http_client.event_hooks["request"].append(note)
    return seen


def _all_bearer(seen: list[tuple[str | None, ...]], count: int) -> None:
    assert len(seen) == count
    assert set(seen) == {(None, f"Bearer {TOKEN}")}


CALLS = one_call_per_operation()


# --------------------------------------------------------------------------- api-key


def _clients(
    make: Any, servers: dict[str, PrismServer], http_client: Any, **auth: Any
) -> dict[str, Any]:
    """A client of each document's server (the same http client and auth for all)."""
    return {document: make(server, http_client, **auth) for document, server in servers.items()}


def test_api_key_on_every_operation(
    prism_servers: dict[str, PrismServer],
    contract_http_client: httpx.Client,
    violations: ViolationRecorder,
) -> None:
    seen = _auth_headers(contract_http_client)
    clients = _clients(sync_client, prism_servers, contract_http_client, api_key=API_KEY)
    for call in CALLS:
        server = prism_servers[call.document]
        run_sync(call, clients[call.document], server, violations, plain=False, label="api-key")
    assert len(seen) == len(CALLS)
    assert set(seen) == {(API_KEY, None)}


async def test_api_key_on_every_operation_async(
    prism_servers: dict[str, PrismServer],
    contract_async_http_client: httpx.AsyncClient,
    violations: ViolationRecorder,
) -> None:
    seen = _auth_headers(contract_async_http_client)
    clients = _clients(async_client, prism_servers, contract_async_http_client, api_key=API_KEY)
    for call in CALLS:
        server = prism_servers[call.document]
        await run_async(
            call, clients[call.document], server, violations, plain=False, label="api-key"
        )
    assert set(seen) == {(API_KEY, None)}
    assert len(seen) == len(CALLS)


# --------------------------------------------------------------------------- bearer tokens


def test_bearer_token_from_a_credential_on_every_operation(
    prism_servers: dict[str, PrismServer],
    contract_http_client: httpx.Client,
    violations: ViolationRecorder,
) -> None:
    seen = _auth_headers(contract_http_client)
    credential = FixedTokenCredential()
    clients = _clients(sync_client, prism_servers, contract_http_client, credential=credential)
    for call in CALLS:
        server = prism_servers[call.document]
        run_sync(call, clients[call.document], server, violations, plain=False, label="bearer")
    _all_bearer(seen, len(CALLS))
    # Asked once per client (one for each document's server); the token is cached.
    assert credential.scopes == [(SCOPE,)] * len(clients)


async def test_bearer_token_from_an_async_credential_on_every_operation(
    prism_servers: dict[str, PrismServer],
    contract_async_http_client: httpx.AsyncClient,
    violations: ViolationRecorder,
) -> None:
    seen = _auth_headers(contract_async_http_client)
    credential = AsyncFixedTokenCredential()
    clients = _clients(
        async_client, prism_servers, contract_async_http_client, credential=credential
    )
    for call in CALLS:
        server = prism_servers[call.document]
        await run_async(
            call, clients[call.document], server, violations, plain=False, label="bearer"
        )
    _all_bearer(seen, len(CALLS))
    assert credential.scopes == [(SCOPE,)] * len(clients)


async def test_sync_credential_on_the_async_client(
    prism_server: PrismServer,
    contract_async_http_client: httpx.AsyncClient,
    violations: ViolationRecorder,
) -> None:
    seen = _auth_headers(contract_async_http_client)
    credential = FixedTokenCredential()
    client = async_client(prism_server, contract_async_http_client, credential=credential)
    page = await client.assistants.list(limit=1)
    reply = await client.chat.completions.create(deployment=CHAT, messages=RAG_MESSAGES)
    assert page.data
    assert reply.choices
    _all_bearer(seen, 2)
    assert credential.scopes == [(SCOPE,)]


def test_azure_identity_token_provider(
    prism_server: PrismServer, contract_http_client: httpx.Client, violations: ViolationRecorder
) -> None:
    seen = _auth_headers(contract_http_client)
    provider = get_bearer_token_provider(FixedTokenCredential(), SCOPE)
    client = sync_client(prism_server, contract_http_client, azure_ad_token_provider=provider)
    client.chat.completions.create(deployment=CHAT, messages=RAG_MESSAGES)
    client.assistants.retrieve(ASSISTANT_ID)
    _all_bearer(seen, 2)
    assert {c.status for c in violations.calls} == {200}


async def test_azure_identity_async_token_provider(
    prism_server: PrismServer,
    contract_async_http_client: httpx.AsyncClient,
    violations: ViolationRecorder,
) -> None:
    seen = _auth_headers(contract_async_http_client)
    provider = get_async_bearer_token_provider(AsyncFixedTokenCredential(), SCOPE)
    client = async_client(
        prism_server, contract_async_http_client, azure_ad_token_provider=provider
    )
    await client.chat.completions.create(deployment=CHAT, messages=RAG_MESSAGES)
    await client.assistants.retrieve(ASSISTANT_ID)
    _all_bearer(seen, 2)
    assert {c.status for c in violations.calls} == {200}


# --------------------------------------------------------------------------- the check is real


def _strip_credentials(request: httpx.Request) -> None:
    request.headers.pop("api-key", None)
    request.headers.pop("authorization", None)


@pytest.mark.parametrize(
    "invoke",
    [
        pytest.param(
            lambda c: c.chat.completions.create(deployment=CHAT, messages=RAG_MESSAGES),
            id="chat (sl-violations header)",
        ),
        pytest.param(lambda c: c.assistants.retrieve(ASSISTANT_ID), id="assistants (problem+json)"),
    ],
)
def test_a_request_without_credentials_is_a_401_authentication_error(
    invoke: Any,
    prism_server: PrismServer,
    contract_http_client: httpx.Client,
    violations: ViolationRecorder,
) -> None:
    contract_http_client.event_hooks["request"].append(_strip_credentials)
    client = sync_client(prism_server, contract_http_client, api_key=API_KEY)
    with violations.expect() as caught, pytest.raises(AuthenticationError) as error:
        invoke(client)
    assert error.value.status_code == 401
    assert any("Invalid security scheme" in message for message in caught.messages())
