"""Issue 15, item 3: a body that does not decode surfaces as this SDK's error, cause chained.

The server sends ``content-encoding: gzip`` with bytes that are not gzip, for a JSON answer,
an error answer, a binary download and an event stream.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from azure_oai_preview import (
    APIResponseValidationError,
    AzureOpenAIError,
    IncompleteStreamError,
    RateLimitError,
)
from azure_oai_preview._error_mapping import body_read_error

from ._server import Answer, LoopbackServer, Received, corrupt_gzip
from ._support import MESSAGES, async_client_for, client_for

Start = Callable[[Callable[[Received], Answer]], LoopbackServer]


def test_a_corrupt_json_body_is_a_response_validation_error(loopback: Start) -> None:
    server = loopback(lambda request: corrupt_gzip())
    with client_for(server) as client, pytest.raises(APIResponseValidationError) as info:
        client.chat.completions.create(messages=MESSAGES)
    assert isinstance(info.value.__cause__, httpx.DecodingError)
    assert "gzip" in str(info.value)
    assert info.value.status_code == 200
    assert len(server.requests) == 1, "a body that arrived is not asked for again"


async def test_async_corrupt_json_body_is_a_response_validation_error(loopback: Start) -> None:
    server = loopback(lambda request: corrupt_gzip())
    async with async_client_for(server) as client:
        with pytest.raises(APIResponseValidationError) as info:
            await client.embeddings.create(input="hello")
    assert isinstance(info.value.__cause__, httpx.DecodingError)


def test_a_corrupt_error_body_keeps_the_errors_type(loopback: Start) -> None:
    answer = corrupt_gzip(429)
    answer.headers["apim-request-id"] = "req-429"
    server = loopback(lambda request: answer)
    with client_for(server, max_retries=0) as client, pytest.raises(RateLimitError) as info:
        client.chat.completions.create(messages=MESSAGES)
    assert info.value.request_id == "req-429"
    assert info.value.raw_body == ""
    assert isinstance(info.value.__cause__, httpx.DecodingError)


def test_a_corrupt_error_body_is_still_retried_like_its_status(loopback: Start) -> None:
    answer = corrupt_gzip(429)
    answer.headers["retry-after-ms"] = "1"
    server = loopback(lambda request: answer)
    with client_for(server, max_retries=2) as client, pytest.raises(RateLimitError):
        client.chat.completions.create(messages=MESSAGES)
    assert len(server.requests) == 3


def test_a_corrupt_binary_download_is_an_incomplete_stream(loopback: Start) -> None:
    server = loopback(lambda request: corrupt_gzip(content_type="audio/mpeg"))
    with client_for(server) as client:
        with pytest.raises(IncompleteStreamError, match="could not be decoded") as info:
            client.audio.speech.create(input="Hello!", voice="alloy").read()
        assert isinstance(info.value.__cause__, httpx.DecodingError)
        with pytest.raises(IncompleteStreamError):
            list(client.audio.speech.create(input="Hello!", voice="alloy").iter_bytes())


async def test_async_corrupt_binary_download_is_an_incomplete_stream(loopback: Start) -> None:
    server = loopback(lambda request: corrupt_gzip(content_type="audio/mpeg"))
    async with async_client_for(server) as client:
        audio = await client.audio.speech.create(input="Hello!", voice="alloy")
        with pytest.raises(IncompleteStreamError) as info:
            await audio.read()
    assert isinstance(info.value.__cause__, httpx.DecodingError)


def test_a_binary_download_cut_short_is_an_incomplete_stream(loopback: Start) -> None:
    cut = Answer(
        200, {"content-type": "audio/mpeg"}, b"ID3" + b"\0" * 100, declared_length=5000, reset=True
    )
    server = loopback(lambda request: cut)
    with client_for(server) as client, pytest.raises(IncompleteStreamError, match="connection"):
        client.audio.speech.create(input="Hello!", voice="alloy").read()


def test_the_mapping_for_streams_names_the_kind_of_failure() -> None:
    request = httpx.Request("GET", "http://127.0.0.1/")
    decoding = body_read_error(httpx.DecodingError("bad gzip", request=request), request_id="r1")
    timeout = body_read_error(httpx.ReadTimeout("slow", request=request), request_id=None)
    broken = body_read_error(
        httpx.RemoteProtocolError("peer closed", request=request),
        request_id="r2",
        consequence="the run continues on the service",
    )
    assert all(
        isinstance(e, IncompleteStreamError | AzureOpenAIError) for e in (decoding, timeout, broken)
    )
    assert "could not be decoded" in str(decoding)
    assert "r1" in str(decoding)
    assert "timed out" in str(timeout)
    assert str(broken).endswith("the run continues on the service (request id r2)")


def test_a_corrupt_chat_stream_is_an_incomplete_stream(loopback: Start) -> None:
    server = loopback(lambda request: corrupt_gzip(content_type="text/event-stream"))
    with client_for(server) as client:
        stream = client.chat.completions.create(messages=MESSAGES, stream=True)
        with pytest.raises(IncompleteStreamError, match="could not be decoded") as info:
            list(stream)
    assert isinstance(info.value.__cause__, httpx.DecodingError)
    assert info.value.partial is None  # nothing had arrived to hand over


async def test_async_corrupt_chat_stream_is_an_incomplete_stream(loopback: Start) -> None:
    server = loopback(lambda request: corrupt_gzip(content_type="text/event-stream"))
    async with async_client_for(server) as client:
        stream = await client.chat.completions.create(messages=MESSAGES, stream=True)
        with pytest.raises(IncompleteStreamError, match="could not be decoded") as info:
            await stream.get_final_completion()
    assert isinstance(info.value.__cause__, httpx.DecodingError)


def test_a_corrupt_run_stream_is_an_incomplete_stream(loopback: Start) -> None:
    server = loopback(lambda request: corrupt_gzip(content_type="text/event-stream"))
    with (
        client_for(server) as client,
        client.threads.runs.stream("thread_1", assistant_id="asst_1") as stream,
        pytest.raises(IncompleteStreamError, match="the run continues") as info,
    ):
        stream.until_done()
    assert isinstance(info.value.__cause__, httpx.DecodingError)
    assert "could not be decoded" in str(info.value)


async def test_async_corrupt_run_stream_is_an_incomplete_stream(loopback: Start) -> None:
    server = loopback(lambda request: corrupt_gzip(content_type="text/event-stream"))
    async with (
        async_client_for(server) as client,
        client.threads.runs.stream("thread_1", assistant_id="asst_1") as stream,
    ):
        with pytest.raises(IncompleteStreamError, match="could not be decoded") as info:
            await stream.until_done()
    assert isinstance(info.value.__cause__, httpx.DecodingError)
