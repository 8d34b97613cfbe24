"""A 401 with ``WWW-Authenticate`` is shown to the auth object once per call.

The auth side (``on_challenge`` / ``async_on_challenge``) belongs to the credential classes;
here fake auth objects with exactly that interface stand in, so the exchange's part is
checked on its own: ask once, resend once with fresh credential headers, never loop.
"""

from __future__ import annotations

import httpx
import pytest
import respx
from _support import USER_MESSAGES, chat_completion, error_body

from azure_oai_preview import AsyncAzureOpenAI, AuthenticationError, AzureOpenAI

ENDPOINT = "https://example-resource.openai.azure.com"
CHAT = "/deployments/gpt-4o/chat/completions"
CHALLENGE = 'Bearer authorization_uri="https://login.microsoftonline.com/t", error="invalid_token", claims="eyJhY2Nlc3NfdG9rZW4iOnt9fQ=="'


class ChallengeAuth:
    """Bearer auth that gets a new token when a challenge is accepted."""

    def __init__(self, *, accept: bool = True) -> None:
        self.accept = accept
        self.token = 1
        self.challenges: list[str] = []

    def headers(self) -> dict[str, str]:
        return {"authorization": f"Bearer token-{self.token}"}

    async def async_headers(self) -> dict[str, str]:
        return self.headers()

    def on_challenge(self, www_authenticate: str) -> bool:
        self.challenges.append(www_authenticate)
        if self.accept:
            self.token += 1
        return self.accept

    async def async_on_challenge(self, www_authenticate: str) -> bool:
        return self.on_challenge(www_authenticate)


def _unauthorized(challenge: str | None = CHALLENGE) -> httpx.Response:
    headers = {"www-authenticate": challenge} if challenge is not None else {}
    return httpx.Response(401, json=error_body("401", "token expired"), headers=headers)


def _client(auth: object) -> AzureOpenAI:
    client = AzureOpenAI(ENDPOINT, api_key="unused", deployment="gpt-4o")
    client._core.auth = auth  # type: ignore[assignment]
    return client


def _async_client(auth: object) -> AsyncAzureOpenAI:
    client = AsyncAzureOpenAI(ENDPOINT, api_key="unused", deployment="gpt-4o")
    client._core.auth = auth  # type: ignore[assignment]
    return client


def _tokens(route: respx.Route) -> list[str]:
    return [call.request.headers["authorization"] for call in route.calls]


def test_an_accepted_challenge_resends_once_with_fresh_headers(
    mock_api: respx.MockRouter, sleeps: list[float]
) -> None:
    route = mock_api.post(CHAT).mock(
        side_effect=[_unauthorized(), httpx.Response(200, json=chat_completion("ok"))]
    )
    auth = ChallengeAuth()
    reply = _client(auth).chat.completions.create(messages=USER_MESSAGES)
    assert reply.choices[0].message is not None
    assert reply.choices[0].message.content == "ok"
    assert auth.challenges == [CHALLENGE]
    assert _tokens(route) == ["Bearer token-1", "Bearer token-2"]
    assert sleeps == [], "a challenge is answered at once, it is not a retry"


async def test_an_accepted_challenge_resends_once_async(
    mock_api: respx.MockRouter, sleeps: list[float]
) -> None:
    route = mock_api.post(CHAT).mock(
        side_effect=[_unauthorized(), httpx.Response(200, json=chat_completion("ok"))]
    )
    auth = ChallengeAuth()
    async with _async_client(auth) as client:
        reply = await client.chat.completions.create(messages=USER_MESSAGES)
    assert reply.choices[0].message is not None
    assert auth.challenges == [CHALLENGE]
    assert _tokens(route) == ["Bearer token-1", "Bearer token-2"]


def test_a_second_401_is_raised_never_looped(
    mock_api: respx.MockRouter, sleeps: list[float]
) -> None:
    route = mock_api.post(CHAT).mock(
        side_effect=[_unauthorized(), _unauthorized(), _unauthorized()]
    )
    auth = ChallengeAuth()
    with pytest.raises(AuthenticationError) as raised:
        _client(auth).chat.completions.create(messages=USER_MESSAGES)
    assert raised.value.status_code == 401
    assert route.call_count == 2
    assert auth.challenges == [CHALLENGE]


async def test_a_second_401_is_raised_never_looped_async(
    mock_api: respx.MockRouter, sleeps: list[float]
) -> None:
    route = mock_api.post(CHAT).mock(
        side_effect=[_unauthorized(), _unauthorized(), _unauthorized()]
    )
    auth = ChallengeAuth()
    async with _async_client(auth) as client:
        with pytest.raises(AuthenticationError):
            await client.chat.completions.create(messages=USER_MESSAGES)
    assert route.call_count == 2
    assert len(auth.challenges) == 1


def test_a_declined_challenge_is_the_401(mock_api: respx.MockRouter, sleeps: list[float]) -> None:
    route = mock_api.post(CHAT).mock(
        side_effect=[_unauthorized(), httpx.Response(200, json=chat_completion())]
    )
    auth = ChallengeAuth(accept=False)
    with pytest.raises(AuthenticationError, match="token expired"):
        _client(auth).chat.completions.create(messages=USER_MESSAGES)
    assert route.call_count == 1
    assert auth.challenges == [CHALLENGE]


def test_a_401_without_a_challenge_asks_nothing(
    mock_api: respx.MockRouter, sleeps: list[float]
) -> None:
    route = mock_api.post(CHAT).mock(
        side_effect=[_unauthorized(None), httpx.Response(200, json=chat_completion())]
    )
    auth = ChallengeAuth()
    with pytest.raises(AuthenticationError):
        _client(auth).chat.completions.create(messages=USER_MESSAGES)
    assert route.call_count == 1
    assert auth.challenges == []


def test_api_key_auth_has_no_challenge_answer(
    mock_api: respx.MockRouter, sleeps: list[float]
) -> None:
    route = mock_api.post(CHAT).mock(
        side_effect=[_unauthorized(), httpx.Response(200, json=chat_completion())]
    )
    client = AzureOpenAI(ENDPOINT, api_key="k", deployment="gpt-4o")
    with pytest.raises(AuthenticationError):
        client.chat.completions.create(messages=USER_MESSAGES)
    assert route.call_count == 1
    assert route.calls.last.request.headers["api-key"] == "k"


async def test_api_key_auth_has_no_challenge_answer_async(
    mock_api: respx.MockRouter, sleeps: list[float]
) -> None:
    route = mock_api.post(CHAT).mock(
        side_effect=[_unauthorized(), httpx.Response(200, json=chat_completion())]
    )
    async with AsyncAzureOpenAI(ENDPOINT, api_key="k", deployment="gpt-4o") as client:
        with pytest.raises(AuthenticationError):
            await client.chat.completions.create(messages=USER_MESSAGES)
    assert route.call_count == 1


def test_a_challenge_after_a_redirect_elsewhere_is_not_ours(
    mock_api: respx.MockRouter, sleeps: list[float]
) -> None:
    mock_api.post(CHAT).respond(303, headers={"location": "https://elsewhere.example.com/chat"})
    other = mock_api.get("https://elsewhere.example.com/chat").mock(return_value=_unauthorized())
    auth = ChallengeAuth()
    with pytest.raises(AuthenticationError):
        _client(auth).chat.completions.create(messages=USER_MESSAGES)
    assert other.call_count == 1
    assert "authorization" not in other.calls.last.request.headers
    assert auth.challenges == [], "the credential is never shown another host's challenge"


def test_a_challenge_resends_a_multipart_upload_whole(
    mock_api: respx.MockRouter, sleeps: list[float]
) -> None:
    route = mock_api.post("/deployments/whisper/audio/transcriptions").mock(
        side_effect=[_unauthorized(), httpx.Response(200, json={"text": "hi"})]
    )
    result = _client(ChallengeAuth()).audio.transcriptions.create(
        deployment="whisper", file=("a.mp3", b"ID3 abc")
    )
    assert result.text == "hi"
    first, second = (call.request for call in route.calls)
    assert first.read() == second.read()
    assert b"ID3 abc" in second.read()
