"""Legacy completions streams (``Completions_Create`` with ``stream=True``): ``text_deltas()``,
``get_final_completion()`` however the stream was read, and the partial a broken stream hands
over - sync and async, through the client."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx
from _support import AZURE_PROMPT_FILTER_CHUNK, consume, sse, sse_response

from azure_oai_preview import (
    APIStreamError,
    AsyncAzureOpenAI,
    AsyncCompletionStream,
    AzureOpenAI,
    CompletionAccumulator,
    CompletionStream,
    IncompleteStreamError,
    deviations,
)
from azure_oai_preview.models import CompletionsCreateResponse

PATH = "/deployments/gpt-4o/completions"
PROMPT = "Once upon a time"
SAFE = {"hate": {"filtered": False, "severity": "safe"}}

# What each of two choices (n=2) says, token by token, with each token's logprob.
TOKENS = {
    0: [(" there", -0.1), (" was", -0.2), (" a", -0.3), (" fox", -0.4)],
    1: [(" lived", -1.1), (" a", -1.2), (" king", -1.3)],
}
FINISH = {0: "stop", 1: "length"}
ENVELOPE = {
    "id": "cmpl-42",
    "object": "text_completion",
    "created": 1_700_000_003,
    "model": "gpt-35-turbo-instruct",
}
USAGE = {"prompt_tokens": 4, "completion_tokens": 7, "total_tokens": 11}


def _logprobs(tokens: list[tuple[str, float]], start: int) -> dict[str, Any]:
    offsets = list(itertools.accumulate([start] + [len(t) for t, _ in tokens[:-1]]))
    return {
        "tokens": [t for t, _ in tokens],
        "token_logprobs": [p for _, p in tokens],
        "top_logprobs": [{t: p} for t, p in tokens],
        "text_offset": offsets,
    }


def _reply() -> dict[str, Any]:
    """The non-streamed answer made of the same tokens."""
    return {
        **ENVELOPE,
        "prompt_filter_results": AZURE_PROMPT_FILTER_CHUNK["prompt_filter_results"],
        "choices": [
            {
                "text": "".join(t for t, _ in tokens),
                "index": index,
                "finish_reason": FINISH[index],
                "logprobs": _logprobs(tokens, len(PROMPT)),
                "content_filter_results": SAFE,
            }
            for index, tokens in TOKENS.items()
        ],
        "usage": USAGE,
    }


def _piece(index: int, text: str, **choice: Any) -> dict[str, Any]:
    return {**ENVELOPE, "choices": [{"text": text, "index": index, **choice}]}


def _chunks() -> list[dict[str, Any]]:
    """Azure's stream of the same tokens: the prompt filter chunk, then one chunk per token with
    the two choices interleaved (choice 1 first), each choice's finish reason, the usage."""
    chunks: list[dict[str, Any]] = [AZURE_PROMPT_FILTER_CHUNK]
    offsets = dict.fromkeys(TOKENS, len(PROMPT))
    for pair in itertools.zip_longest(TOKENS[1], TOKENS[0]):
        for index, token in zip((1, 0), pair, strict=True):
            if token is None:
                continue
            logprobs = _logprobs([token], offsets[index])
            offsets[index] += len(token[0])
            chunks.append(
                _piece(
                    index,
                    token[0],
                    finish_reason=None,
                    logprobs=logprobs,
                    content_filter_results=SAFE,
                )
            )
    for index in (0, 1):
        chunks.append(_piece(index, "", finish_reason=FINISH[index], logprobs=None))
    chunks.append({**ENVELOPE, "choices": [], "usage": USAGE})
    return chunks


CHUNKS = _chunks()
CHOICE0_TEXTS = [t for t, _ in TOKENS[0]]


def _serve(mock_api: respx.MockRouter, body: bytes, **options: Any) -> None:
    mock_api.post(PATH).mock(side_effect=lambda request: sse_response(body, **options)[0])


def _json(model: Any) -> Any:
    return model.model_dump(mode="json", by_alias=True)


# -- text_deltas and the final completion -----------------------------------------------------------


def test_the_stream_is_a_completion_stream_of_typed_chunks(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    _serve(mock_api, sse(*CHUNKS))
    with client.completions.create(prompt=PROMPT, n=2, stream=True) as stream:
        assert isinstance(stream, CompletionStream)
        chunks = list(stream)
    assert all(isinstance(chunk, CompletionsCreateResponse) for chunk in chunks)
    assert [_json(chunk) for chunk in chunks] == [
        _json(CompletionsCreateResponse.model_validate(c)) for c in CHUNKS
    ]
    assert json.loads(mock_api.calls.last.request.content)["stream"] is True


def test_text_deltas_are_choice_0s_text_piece_by_piece(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    _serve(mock_api, sse(*CHUNKS), chunk_size=17)
    with client.completions.create(prompt=PROMPT, n=2, stream=True) as stream:
        assert list(stream.text_deltas()) == CHOICE0_TEXTS


async def test_async_text_deltas(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    _serve(mock_api, sse(*CHUNKS), chunk_size=17)
    stream = await async_client.completions.create(prompt=PROMPT, n=2, stream=True)
    assert isinstance(stream, AsyncCompletionStream)
    async with stream:
        assert [text async for text in stream.text_deltas()] == CHOICE0_TEXTS


def _iterate(stream: CompletionStream) -> None:
    assert len(list(stream)) == len(CHUNKS)


def _half(stream: CompletionStream) -> None:
    for _ in range(5):
        next(stream)


def _text(stream: CompletionStream) -> None:
    assert list(stream.text_deltas()) == CHOICE0_TEXTS


READS: dict[str, Callable[[CompletionStream], None]] = {
    "iterated": _iterate,
    "partly iterated": _half,
    "text_deltas": _text,
    "not read": lambda stream: None,
}


@pytest.mark.parametrize("read", sorted(READS))
def test_final_completion_is_the_non_streamed_reply(
    read: str, client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    _serve(mock_api, sse(*CHUNKS), chunk_size=23)
    with client.completions.create(prompt=PROMPT, n=2, stream=True) as stream:
        READS[read](stream)
        final = stream.get_final_completion()
        assert stream.get_final_completion() is final  # merged once
    assert isinstance(final, CompletionsCreateResponse)
    assert _json(final) == _json(CompletionsCreateResponse.model_validate(_reply()))
    assert [c.text for c in final.choices] == [" there was a fox", " lived a king"]


@pytest.mark.parametrize("read", ["iterated", "partly iterated", "text_deltas", "not read"])
async def test_async_final_completion_is_the_non_streamed_reply(
    read: str, async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    _serve(mock_api, sse(*CHUNKS), chunk_size=23)
    stream = await async_client.completions.create(prompt=PROMPT, n=2, stream=True)
    async with stream:
        if read == "iterated":
            assert len([chunk async for chunk in stream]) == len(CHUNKS)
        elif read == "partly iterated":
            for _ in range(5):
                await stream.__anext__()
        elif read == "text_deltas":
            assert [text async for text in stream.text_deltas()] == CHOICE0_TEXTS
        final = await stream.get_final_completion()
    assert _json(final) == _json(CompletionsCreateResponse.model_validate(_reply()))


def test_the_accumulator_adds_up_the_same_chunks() -> None:
    accumulator = CompletionAccumulator()
    for chunk in CHUNKS[:4]:
        accumulator.add(CompletionsCreateResponse.model_validate(chunk))
    assert accumulator.text == " there"
    for chunk in CHUNKS[4:]:
        accumulator.add_json(json.dumps(chunk))
    assert accumulator.text == " there was a fox"
    completion = accumulator.completion()
    assert _json(completion) == _json(CompletionsCreateResponse.model_validate(_reply()))


def test_unknown_fields_are_kept(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    chunks = [
        {**_piece(0, "Hi", finish_reason=None), "service_tier": "default"},
        _piece(0, " there", finish_reason=None, safety={"level": "low"}),
        {**_piece(0, "", finish_reason="stop"), "system_fingerprint": "fp_7"},
    ]
    _serve(mock_api, sse(*chunks))
    with client.completions.create(prompt=PROMPT, stream=True) as stream:
        final = stream.get_final_completion()
    assert final.model_extra == {"service_tier": "default", "system_fingerprint": "fp_7"}
    (choice,) = final.choices
    assert (choice.text, choice.finish_reason) == ("Hi there", "stop")
    assert choice.model_extra == {"safety": {"level": "low"}}


def test_a_choice_that_sent_no_text_has_an_empty_one(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    # A content-filtered choice may end without any text: the final one still has its text.
    no_text = {**ENVELOPE, "choices": [{"index": 1, "finish_reason": "content_filter"}]}
    chunks = [_piece(0, "Fine", finish_reason=None), no_text]
    _serve(mock_api, sse(*chunks, _piece(0, "", finish_reason="stop")))
    with client.completions.create(prompt=PROMPT, n=2, stream=True) as stream:
        final = stream.get_final_completion()
    assert [(c.index, c.text, c.finish_reason) for c in final.choices] == [
        (0, "Fine", "stop"),
        (1, "", "content_filter"),
    ]


# -- errors: what arrived is handed over --------------------------------------------------------------


def _read(stream: CompletionStream, how: str, into: list[Any]) -> None:
    """Read ``stream`` the way ``how`` says; what it hands out goes to ``into``."""
    if how == "iterated":
        consume(stream, into)
    elif how == "text_deltas":
        consume(stream.text_deltas(), into)
    else:
        stream.get_final_completion()


ERROR = {"error": {"code": "server_error", "message": "boom"}}
# Choice 1's first token, then choice 0's (see _chunks): choice 0 has " there" so far.
BEFORE_ERROR = CHUNKS[:3]


@pytest.mark.parametrize("read", ["iterated", "text_deltas", "get_final_completion"])
def test_an_error_event_mid_stream_carries_the_partial_completion(
    read: str, client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    _serve(mock_api, sse(*BEFORE_ERROR, ERROR, *CHUNKS[3:]), chunk_size=31)
    received: list[Any] = []
    with (
        client.completions.create(prompt=PROMPT, n=2, stream=True) as stream,
        pytest.raises(APIStreamError, match="boom") as info,
    ):
        _read(stream, read, received)
    if read == "iterated":
        assert [_json(chunk) for chunk in received] == [
            _json(CompletionsCreateResponse.model_validate(c)) for c in BEFORE_ERROR
        ]
    else:
        assert received == ([" there"] if read == "text_deltas" else [])
    partial = info.value.partial
    assert isinstance(partial, CompletionsCreateResponse)
    assert [(c.index, c.text, c.finish_reason) for c in partial.choices] == [
        (0, " there", None),
        (1, " lived", None),
    ]
    assert partial.prompt_filter_results


async def test_async_error_event_mid_stream(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    _serve(mock_api, sse(*BEFORE_ERROR, ERROR), chunk_size=31)
    stream = await async_client.completions.create(prompt=PROMPT, n=2, stream=True)
    async with stream:
        assert await stream.__anext__() is not None
        with pytest.raises(APIStreamError, match="boom") as info:
            await stream.get_final_completion()
    assert [c.text for c in info.value.partial.choices] == [" there", " lived"]


CUTS: dict[str, tuple[bytes, dict[str, Any]]] = {
    "connection drops": (b"", {"error": httpx.RemoteProtocolError("peer closed")}),
    "cut inside an event": (b'data: {"id": "cmpl-42", "choi', {}),
    "body ends between events": (b"", {}),
}


@pytest.mark.parametrize("cut", sorted(CUTS))
@pytest.mark.parametrize("read", ["text_deltas", "get_final_completion"])
def test_a_cut_stream_raises_with_the_partial_completion(
    cut: str, read: str, client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    tail, options = CUTS[cut]
    _serve(mock_api, sse(*CHUNKS[:6], done=False) + tail, chunk_size=41, **options)
    texts: list[str] = []
    with (
        client.completions.create(prompt=PROMPT, n=2, stream=True) as stream,
        pytest.raises(IncompleteStreamError) as info,
    ):
        _read(stream, read, texts)
    assert texts == ([" there", " was"] if read == "text_deltas" else [])
    partial = info.value.partial
    assert isinstance(partial, CompletionsCreateResponse)
    assert partial.id == "cmpl-42"
    assert [(c.text, c.finish_reason) for c in partial.choices] == [
        (" there was", None),
        (" lived a king", None),
    ]
    logprobs = partial.choices[0].logprobs
    assert logprobs is not None
    assert logprobs.tokens == [" there", " was"]


@pytest.mark.parametrize("cut", sorted(CUTS))
async def test_async_cut_stream_raises_with_the_partial_completion(
    cut: str, async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    tail, options = CUTS[cut]
    _serve(mock_api, sse(*CHUNKS[:6], done=False) + tail, chunk_size=41, **options)
    stream = await async_client.completions.create(prompt=PROMPT, n=2, stream=True)
    async with stream:
        with pytest.raises(IncompleteStreamError) as info:
            await stream.get_final_completion()
    assert [c.text for c in info.value.partial.choices] == [" there was", " lived a king"]


def test_get_final_completion_of_a_stream_closed_early_raises_with_what_was_delivered(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    _serve(mock_api, sse(*CHUNKS), chunk_size=23)
    stream = client.completions.create(prompt=PROMPT, n=2, stream=True)
    delivered = [next(stream) for _ in range(4)]
    stream.close()
    with pytest.raises(IncompleteStreamError, match="closed before its end") as info:
        stream.get_final_completion()
    expected = CompletionAccumulator()
    for chunk in delivered:
        expected.add(chunk)
    partial = info.value.partial
    assert _json(partial) == _json(expected.completion())
    assert [c.text for c in partial.choices] == [" there", " lived a"]


def test_a_finished_stream_without_done_is_complete(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    # Every choice has its finish reason: only the marker is missing (a recorded deviation).
    _serve(mock_api, sse(*CHUNKS[:-1], done=False))
    with client.completions.create(prompt=PROMPT, n=2, stream=True) as stream:
        final = stream.get_final_completion()
    assert [c.finish_reason for c in final.choices] == ["stop", "length"]
    assert final.usage is None
    (deviation,) = deviations(final)
    assert "[DONE]" in deviation.message
