"""Issue 15, item 2: a redirect is rebuilt for its new URL, and no credential crosses origins.

Two loopback servers on two ports are two origins. The first redirects, the second records
what arrives: its own ``Host``, and none of the credential-bearing headers (the documented
list in ``azure_oai_preview._redaction``), whoever set them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from azure_oai_preview import APIConnectionError
from azure_oai_preview._redaction import CREDENTIAL_HEADERS, is_credential_header

from ._server import Answer, LoopbackServer, Received, json_answer
from ._support import (
    API_KEY,
    APIM_KEY,
    MESSAGES,
    SECRETS,
    TOKEN,
    async_client_for,
    chat_completion,
    client_for,
)

Start = Callable[[Callable[[Received], Answer]], LoopbackServer]

# Credentials set every way a user can: the client's auth, default headers, per-call headers.
DEFAULT_HEADERS = {
    "Ocp-Apim-Subscription-Key": APIM_KEY,
    "Cookie": f"session={APIM_KEY}",
    "x-ms-useragent": "my-app/1.0",
}
EXTRA_HEADERS = {"x-ms-authorization-auxiliary": f"Bearer {TOKEN}", "x-trace": "kept"}


def _servers(loopback: Start, status: int = 307) -> tuple[LoopbackServer, LoopbackServer]:
    target = loopback(lambda request: json_answer(200, chat_completion("moved")))

    def redirect(request: Received) -> Answer:
        return Answer(status, {"location": f"{target.origin}/v1/chat?x=1"}, b"moved")

    return loopback(redirect), target


def _assert_clean(received: Received, target: LoopbackServer) -> None:
    assert received.headers["host"] == f"127.0.0.1:{target.port}"
    leaked = [name for name in received.headers if is_credential_header(name)]
    assert leaked == []
    values = " ".join(received.headers.values())
    assert [secret for secret in SECRETS if secret in values] == []


@pytest.mark.parametrize("auth", ["api_key", "azure_ad_token"])
@pytest.mark.parametrize("status", [301, 302, 303])
def test_a_cross_origin_redirect_carries_no_credential(
    auth: str, status: int, loopback: Start
) -> None:
    origin, target = _servers(loopback, status)
    options: dict[str, Any] = {auth: API_KEY if auth == "api_key" else TOKEN}
    if auth != "api_key":
        options["api_key"] = None
    with client_for(origin, default_headers=DEFAULT_HEADERS, **options) as client:
        reply = client.chat.completions.create(messages=MESSAGES, extra_headers=EXTRA_HEADERS)
    assert reply.choices[0].message.content == "moved"
    sent, arrived = origin.requests[0], target.requests[0]
    # The first request did carry them all...
    assert sent.headers["api-key" if auth == "api_key" else "authorization"] in (
        API_KEY,
        f"Bearer {TOKEN}",
    )
    assert sent.headers["ocp-apim-subscription-key"] == APIM_KEY
    # ... and the redirected one none, with its own Host.
    _assert_clean(arrived, target)
    assert arrived.headers["x-ms-useragent"] == "my-app/1.0"
    assert arrived.headers["x-trace"] == "kept"
    assert arrived.target == "/v1/chat?x=1"
    assert arrived.method == "GET"
    assert arrived.body == b""


@pytest.mark.parametrize("status", [307, 308])
def test_a_cross_origin_redirect_that_keeps_the_body_is_not_followed(
    status: int, loopback: Start
) -> None:
    # The headers could be stripped, but the body would go too: it may hold a data source's
    # key (On Your Data) or a user's file.
    origin, target = _servers(loopback, status)
    with client_for(origin) as client, pytest.raises(APIConnectionError, match="another origin"):
        client.chat.completions.create(messages=MESSAGES)
    assert target.requests == []


async def test_async_cross_origin_redirect_carries_no_credential(loopback: Start) -> None:
    origin, target = _servers(loopback, 302)
    async with async_client_for(origin, default_headers=DEFAULT_HEADERS) as client:
        await client.chat.completions.create(messages=MESSAGES, extra_headers=EXTRA_HEADERS)
        _assert_clean(target.requests[0], target)
        refused, elsewhere = _servers(loopback, 308)
        moved = async_client_for(refused)
        async with moved:
            with pytest.raises(APIConnectionError, match="another origin"):
                await moved.chat.completions.create(messages=MESSAGES)
        assert elsewhere.requests == []


def test_the_http_clients_own_auth_is_not_applied_on_another_origin(loopback: Start) -> None:
    origin, target = _servers(loopback, 302)
    http = httpx.Client(auth=("gateway-user", APIM_KEY))
    with client_for(origin, http_client=http) as client:
        client.chat.completions.create(messages=MESSAGES)
    http.close()
    assert origin.requests[0].headers["authorization"].startswith("Basic ")
    _assert_clean(target.requests[0], target)


def test_a_same_origin_redirect_keeps_credentials_and_sets_host(loopback: Start) -> None:
    def handler(request: Received) -> Answer:
        if request.target.startswith("/openai/deployments/gpt-4o/"):
            return Answer(307, {"location": "/elsewhere"})
        return json_answer(200, chat_completion())

    server = loopback(handler)
    with client_for(server, default_headers=DEFAULT_HEADERS) as client:
        client.chat.completions.create(messages=MESSAGES)
    moved = server.requests[1]
    assert moved.target == "/elsewhere"
    assert moved.headers["api-key"] == API_KEY
    assert moved.headers["ocp-apim-subscription-key"] == APIM_KEY
    assert moved.headers["host"] == f"127.0.0.1:{server.port}"


def test_the_documented_list_is_what_is_stripped() -> None:
    names = [
        *sorted(CREDENTIAL_HEADERS),
        "x-custom-api-key",
        "mgmt-user-token",
        "aml-user-token",
        "X-Client-Secret",
    ]
    assert all(is_credential_header(name) for name in names)
    for kept in (
        "accept",
        "user-agent",
        "x-ms-client-request-id",
        "content-type",
        "x-ms-useragent",
    ):
        assert not is_credential_header(kept)
