"""Retries, backoff, server retry hints and redirects, exercised through the clients."""

from __future__ import annotations

import itertools
import time
from email.utils import formatdate
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
from _support import (
    USER_MESSAGES,
    ChunkedStream,
    FakeCredential,
    aconsume,
    chat_chunk,
    chat_completion,
    consume,
    error_body,
    file_part,
    request_json,
    sse,
    sse_response,
)
from conftest import API_KEY, ENDPOINT

from azure_oai_preview import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AsyncAzureOpenAI,
    AzureOpenAI,
    IncompleteStreamError,
    InternalServerError,
    RateLimitError,
)

CHAT_PATH = "/deployments/gpt-4o/chat/completions"


def _ok() -> httpx.Response:
    return httpx.Response(200, json=chat_completion("finally"))


# -- which failures are retried -------------------------------------------------------------------


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503, 504])
def test_retryable_statuses_are_retried(
    status: int, client: AzureOpenAI, mock_api: respx.MockRouter, sleeps: list[float]
) -> None:
    route = mock_api.post(CHAT_PATH).mock(
        side_effect=[
            httpx.Response(status, json=error_body("x", "try again")),
            httpx.Response(status),
            _ok(),
        ]
    )

    result = client.chat.completions.create(messages=USER_MESSAGES)

    assert result.choices[0].message is not None
    assert result.choices[0].message.content == "finally"
    assert route.call_count == 3
    assert len(sleeps) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_client_errors_are_not_retried(
    status: int, client: AzureOpenAI, mock_api: respx.MockRouter, sleeps: list[float]
) -> None:
    route = mock_api.post(CHAT_PATH).respond(status, json=error_body("bad", "no"))
    with pytest.raises(APIStatusError) as info:
        client.chat.completions.create(messages=USER_MESSAGES)
    assert info.value.status_code == status
    assert route.call_count == 1
    assert sleeps == []


def test_retries_stop_after_max_retries(
    client: AzureOpenAI, mock_api: respx.MockRouter, sleeps: list[float]
) -> None:
    route = mock_api.post(CHAT_PATH).respond(429, json=error_body("429", "slow down"))
    with pytest.raises(RateLimitError, match="slow down"):
        client.chat.completions.create(messages=USER_MESSAGES)
    assert route.call_count == 3  # the first attempt and max_retries=2 retries
    assert len(sleeps) == 2


@pytest.mark.parametrize("how", ["constructor", "with_options"])
def test_max_retries_zero_sends_once(
    how: str, mock_api: respx.MockRouter, sleeps: list[float]
) -> None:
    route = mock_api.post(CHAT_PATH).respond(503)
    if how == "constructor":
        client = AzureOpenAI(ENDPOINT, api_key=API_KEY, deployment="gpt-4o", max_retries=0)
    else:
        client = AzureOpenAI(ENDPOINT, api_key=API_KEY, deployment="gpt-4o").with_options(
            max_retries=0
        )
    with pytest.raises(InternalServerError):
        client.chat.completions.create(messages=USER_MESSAGES)
    assert route.call_count == 1
    assert sleeps == []


@pytest.mark.parametrize(
    "error",
    [
        httpx.ConnectError("connection refused"),
        httpx.ConnectTimeout("connect timed out"),
        httpx.ReadTimeout("read timed out"),
        httpx.PoolTimeout("pool exhausted"),
        httpx.RemoteProtocolError("server disconnected without sending a response"),
    ],
)
def test_connection_errors_and_timeouts_are_retried(
    error: Exception, client: AzureOpenAI, mock_api: respx.MockRouter, sleeps: list[float]
) -> None:
    route = mock_api.post(CHAT_PATH).mock(side_effect=[error, error, _ok()])
    result = client.chat.completions.create(messages=USER_MESSAGES)
    assert result.id == "chatcmpl-1"
    assert route.call_count == 3
    assert len(sleeps) == 2


def test_connection_error_after_the_last_retry(
    client: AzureOpenAI, mock_api: respx.MockRouter, sleeps: list[float]
) -> None:
    route = mock_api.post(CHAT_PATH).mock(side_effect=httpx.ConnectError("connection refused"))
    with pytest.raises(APIConnectionError) as info:
        client.chat.completions.create(messages=USER_MESSAGES)
    assert not isinstance(info.value, APITimeoutError)
    assert isinstance(info.value.__cause__, httpx.ConnectError)
    assert info.value.request is not None
    assert route.call_count == 3


def test_timeout_after_the_last_retry(
    client: AzureOpenAI, mock_api: respx.MockRouter, sleeps: list[float]
) -> None:
    route = mock_api.post(CHAT_PATH).mock(side_effect=httpx.ReadTimeout("read timed out"))
    with pytest.raises(APITimeoutError, match="timed out"):
        client.chat.completions.create(messages=USER_MESSAGES)
    assert route.call_count == 3


def test_timeout_while_reading_a_response_body_is_retried(
    client: AzureOpenAI, mock_api: respx.MockRouter, sleeps: list[float]
) -> None:
    first = ChunkedStream([b'{"id": "chatcmpl-1", "cho'], error=httpx.ReadTimeout("read timed out"))
    route = mock_api.post(CHAT_PATH).mock(
        side_effect=[
            httpx.Response(200, headers={"content-type": "application/json"}, stream=first),
            _ok(),
        ]
    )
    result = client.chat.completions.create(messages=USER_MESSAGES)
    assert result.choices[0].message is not None
    assert result.choices[0].message.content == "finally"
    assert route.call_count == 2
    assert len(sleeps) == 1


def test_connection_reset_while_reading_a_response_body_is_not_replayed(
    client: AzureOpenAI, mock_api: respx.MockRouter, sleeps: list[float]
) -> None:
    # Once the service has started answering, a dropped connection is not a safe retry.
    broken = ChunkedStream(
        [b'{"id": "chatcmpl-1", "cho'], error=httpx.ReadError("connection reset")
    )
    route = mock_api.post(CHAT_PATH).mock(
        side_effect=[
            httpx.Response(200, headers={"content-type": "application/json"}, stream=broken),
            _ok(),
        ]
    )
    with pytest.raises(APIConnectionError, match="ReadError"):
        client.chat.completions.create(messages=USER_MESSAGES)
    assert route.call_count == 1


# -- how long to wait -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "value", "expected"),
    [
        ("retry-after-ms", "1500", 1.5),
        ("x-ms-retry-after-ms", "250", 0.25),
        ("retry-after", "3", 3.0),
    ],
)
def test_server_retry_hints_are_honoured(
    header: str,
    value: str,
    expected: float,
    client: AzureOpenAI,
    mock_api: respx.MockRouter,
    sleeps: list[float],
) -> None:
    mock_api.post(CHAT_PATH).mock(side_effect=[httpx.Response(429, headers={header: value}), _ok()])
    client.chat.completions.create(messages=USER_MESSAGES)
    assert sleeps == [pytest.approx(expected)]


def test_millisecond_hint_wins_over_retry_after(
    client: AzureOpenAI, mock_api: respx.MockRouter, sleeps: list[float]
) -> None:
    headers = {"retry-after": "20", "retry-after-ms": "400"}
    mock_api.post(CHAT_PATH).mock(side_effect=[httpx.Response(429, headers=headers), _ok()])
    client.chat.completions.create(messages=USER_MESSAGES)
    assert sleeps == [pytest.approx(0.4)]


def test_retry_after_as_an_http_date(
    client: AzureOpenAI, mock_api: respx.MockRouter, sleeps: list[float]
) -> None:
    when = formatdate(time.time() + 30, usegmt=True)
    mock_api.post(CHAT_PATH).mock(
        side_effect=[httpx.Response(503, headers={"retry-after": when}), _ok()]
    )
    client.chat.completions.create(messages=USER_MESSAGES)
    (slept,) = sleeps
    # The date has one-second resolution and the clock moves on a little while the test runs.
    assert 25 < slept <= 30


def test_backoff_grows_exponentially_without_hints(
    mock_api: respx.MockRouter, sleeps: list[float]
) -> None:
    mock_api.post(CHAT_PATH).respond(503)
    client = AzureOpenAI(ENDPOINT, api_key=API_KEY, deployment="gpt-4o", max_retries=4)
    with pytest.raises(InternalServerError):
        client.chat.completions.create(messages=USER_MESSAGES)
    assert len(sleeps) == 4
    assert all(delay > 0 for delay in sleeps)
    assert sleeps == sorted(sleeps)
    # Doubling, less at most a quarter of jitter, still grows at least 1.5x per retry.
    for earlier, later in itertools.pairwise(sleeps):
        assert later >= 1.5 * earlier


def test_backoff_is_jittered(mock_api: respx.MockRouter, sleeps: list[float]) -> None:
    mock_api.post(CHAT_PATH).respond(503)
    client = AzureOpenAI(ENDPOINT, api_key=API_KEY, deployment="gpt-4o", max_retries=1)
    for _ in range(10):
        with pytest.raises(InternalServerError):
            client.chat.completions.create(messages=USER_MESSAGES)
    assert len(sleeps) == 10
    assert len(set(sleeps)) > 1


async def test_async_client_retries_with_the_same_rules(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter, sleeps: list[float]
) -> None:
    route = mock_api.post(CHAT_PATH).mock(
        side_effect=[
            httpx.ConnectError("refused"),
            httpx.Response(429, headers={"retry-after-ms": "700"}),
            _ok(),
        ]
    )
    result = await async_client.chat.completions.create(messages=USER_MESSAGES)
    assert result.id == "chatcmpl-1"
    assert route.call_count == 3
    assert len(sleeps) == 2
    assert sleeps[1] == pytest.approx(0.7)


async def test_async_retries_exhausted(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter, sleeps: list[float]
) -> None:
    route = mock_api.post(CHAT_PATH).mock(side_effect=httpx.ConnectTimeout("slow"))
    with pytest.raises(APITimeoutError):
        await async_client.chat.completions.create(messages=USER_MESSAGES)
    assert route.call_count == 3


def test_retries_resend_the_same_body_and_request_id(
    client: AzureOpenAI, mock_api: respx.MockRouter, sleeps: list[float]
) -> None:
    route = mock_api.post(CHAT_PATH).mock(side_effect=[httpx.Response(500), _ok()])
    client.chat.completions.create(messages=USER_MESSAGES, temperature=0.5)
    first, second = (call.request for call in route.calls)
    assert (
        request_json(first)
        == request_json(second)
        == {"messages": USER_MESSAGES, "temperature": 0.5}
    )
    assert first.headers["x-ms-client-request-id"] == second.headers["x-ms-client-request-id"]


# -- streams --------------------------------------------------------------------------------------


def test_a_stream_is_never_retried_once_it_has_started(
    client: AzureOpenAI, mock_api: respx.MockRouter, sleeps: list[float]
) -> None:
    body = sse(chat_chunk({"content": "Hel"}), chat_chunk({"content": "lo"}), done=False)
    route = mock_api.post(CHAT_PATH).mock(
        side_effect=lambda request: sse_response(body, error=httpx.ReadTimeout("stalled"))[0]
    )

    received: list[Any] = []
    stream = client.chat.completions.create(messages=USER_MESSAGES, stream=True)
    with stream, pytest.raises(IncompleteStreamError):
        consume(stream, received)

    assert [chunk.choices[0].delta.content for chunk in received] == ["Hel", "lo"]
    assert route.call_count == 1
    assert sleeps == []


def test_a_stream_request_is_retried_before_the_stream_starts(
    client: AzureOpenAI, mock_api: respx.MockRouter, sleeps: list[float]
) -> None:
    body = sse(chat_chunk({"content": "ok"}))
    route = mock_api.post(CHAT_PATH).mock(
        side_effect=[httpx.Response(429, headers={"retry-after-ms": "10"}), sse_response(body)[0]]
    )
    with client.chat.completions.create(messages=USER_MESSAGES, stream=True) as stream:
        assert [c.choices[0].delta.content for c in stream if c.choices[0].delta] == ["ok"]
    assert route.call_count == 2
    assert sleeps == [pytest.approx(0.01)]


async def test_an_async_stream_is_never_retried_once_it_has_started(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter, sleeps: list[float]
) -> None:
    body = sse(chat_chunk({"content": "Hel"}), done=False)
    route = mock_api.post(CHAT_PATH).mock(
        side_effect=lambda request: sse_response(body, error=httpx.ReadError("reset"))[0]
    )
    stream = await async_client.chat.completions.create(messages=USER_MESSAGES, stream=True)
    received: list[Any] = []
    with pytest.raises(IncompleteStreamError):
        await aconsume(stream, received)
    assert len(received) == 1
    assert route.call_count == 1
    assert sleeps == []


# -- redirects ------------------------------------------------------------------------------------


def test_cross_origin_redirect_drops_the_api_key(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    mock_api.post(CHAT_PATH).respond(
        307, headers={"location": "https://mirror.example.net/v1/chat"}
    )
    moved = mock_api.post("https://mirror.example.net/v1/chat").respond(200, json=chat_completion())

    # A redirect that keeps the body is not followed to another origin at all: the body could
    # carry a secret of its own. Nothing - key, token or body - reaches the other host.
    with pytest.raises(APIConnectionError, match="another origin"):
        client.chat.completions.create(messages=USER_MESSAGES)
    assert moved.call_count == 0

    # One that turns into a GET (302, 303) is followed, without the credentials.
    mock_api.post(CHAT_PATH).respond(302, headers={"location": "https://mirror.example.net/v1/g"})
    got = mock_api.get("https://mirror.example.net/v1/g").respond(200, json=chat_completion())
    client.chat.completions.create(messages=USER_MESSAGES)
    request = got.calls.last.request
    assert "api-key" not in request.headers
    assert "authorization" not in request.headers


def test_cross_origin_redirect_drops_the_bearer_token(mock_api: respx.MockRouter) -> None:
    mock_api.post(CHAT_PATH).respond(
        308, headers={"location": "https://mirror.example.net/v1/chat"}
    )
    moved = mock_api.post("https://mirror.example.net/v1/chat").respond(200, json=chat_completion())
    with (
        AzureOpenAI(ENDPOINT, credential=FakeCredential(), deployment="gpt-4o") as client,
        pytest.raises(APIConnectionError, match="another origin"),
    ):
        client.chat.completions.create(messages=USER_MESSAGES)
    assert moved.call_count == 0


@pytest.mark.parametrize(
    "location",
    [
        "http://example-resource.openai.azure.com/x",
        "https://example-resource.openai.azure.com:8443/x",
    ],
)
def test_redirect_to_another_scheme_or_port_drops_credentials(
    location: str, client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    mock_api.post(CHAT_PATH).respond(303, headers={"location": location})
    moved = mock_api.get(location).respond(200, json=chat_completion())
    client.chat.completions.create(messages=USER_MESSAGES)
    assert "api-key" not in moved.calls.last.request.headers


def test_same_origin_redirect_keeps_the_api_key(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    mock_api.post(CHAT_PATH).respond(
        307, headers={"location": "/openai/deployments/gpt-4o-new/chat/completions"}
    )
    moved = mock_api.post("/deployments/gpt-4o-new/chat/completions").respond(
        200, json=chat_completion()
    )
    client.chat.completions.create(messages=USER_MESSAGES)
    assert moved.calls.last.request.headers["api-key"] == API_KEY


def test_see_other_redirect_becomes_a_get_without_body(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    mock_api.post(CHAT_PATH).respond(303, headers={"location": "/openai/results/1"})
    result = mock_api.get("/results/1").respond(200, json=chat_completion())
    client.chat.completions.create(messages=USER_MESSAGES)
    request = result.calls.last.request
    assert request.method == "GET"
    assert request.content == b""
    assert "content-type" not in request.headers


@pytest.mark.parametrize("kind", ["bytes", "path"])
def test_redirected_multipart_upload_is_sent_again(
    kind: str, tmp_path: Path, client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    mock_api.post("/deployments/gpt-4o/audio/transcriptions").respond(
        307, headers={"location": "/openai/deployments/whisper-2/audio/transcriptions"}
    )
    moved = mock_api.post("/deployments/whisper-2/audio/transcriptions").respond(
        200, json={"text": "moved"}
    )
    path = tmp_path / "clip.wav"
    path.write_bytes(b"RIFF-audio-bytes")
    file: Any = ("clip.wav", b"RIFF-audio-bytes") if kind == "bytes" else path

    result = client.audio.transcriptions.create(file=file)

    assert result.text == "moved"
    request = moved.calls.last.request
    assert request.headers["api-key"] == API_KEY  # same origin: credentials kept
    assert file_part(request).data == b"RIFF-audio-bytes"


def test_endless_redirects_end_in_a_connection_error(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    route = mock_api.post(CHAT_PATH).respond(307, headers={"location": "/openai" + CHAT_PATH})
    with pytest.raises(APIConnectionError, match="redirects"):
        client.chat.completions.create(messages=USER_MESSAGES)
    assert 1 < route.call_count <= 10


async def test_async_timeout_while_reading_a_response_body_is_retried(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter, sleeps: list[float]
) -> None:
    first = ChunkedStream([b'{"id": "chat'], error=httpx.ReadTimeout("read timed out"))
    route = mock_api.post(CHAT_PATH).mock(
        side_effect=[
            httpx.Response(200, headers={"content-type": "application/json"}, stream=first),
            _ok(),
        ]
    )
    result = await async_client.chat.completions.create(messages=USER_MESSAGES)
    assert result.id == "chatcmpl-1"
    assert route.call_count == 2
    assert len(sleeps) == 1


def test_timeouts_reading_every_body_end_in_a_timeout_error(
    client: AzureOpenAI, mock_api: respx.MockRouter, sleeps: list[float]
) -> None:
    route = mock_api.post(CHAT_PATH).mock(
        side_effect=lambda request: httpx.Response(
            200, stream=ChunkedStream([b"{"], error=httpx.ReadTimeout("read timed out"))
        )
    )
    with pytest.raises(APITimeoutError):
        client.chat.completions.create(messages=USER_MESSAGES)
    assert route.call_count == 3
