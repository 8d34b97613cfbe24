"""Malformed stream events: what is no chunk raises, what is an off-spec chunk is kept.

A chat or completions event whose data is JSON but not an object (``null``, an array, a
string, a number) is no chunk: the stream raises ``IncompleteStreamError`` (with the answer
so far and the event's text), however it is read - it used to end iteration silently
(``data: null`` looked like the end marker) or hand a list to code typed for a chunk. A chunk
that is an object with off-spec fields is delivered (its deviations recorded) and no reader
trips over it. Run streams deliver off-spec events too; snapshots, hooks and
``text_deltas()`` take only their typed parts (fuzzed below).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest
import respx
from _assistants_support import function_call_events, sse_body
from _assistants_support import sse_response as run_sse_response
from _support import (
    AZURE_PROMPT_FILTER_CHUNK,
    USER_MESSAGES,
    aconsume,
    chat_chunk,
    consume,
    sse,
    sse_response,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_assistant_stream import full_events

from azure_oai_preview import (
    APIStreamError,
    AssistantEventHandler,
    AssistantStream,
    AsyncAzureOpenAI,
    AzureOpenAI,
    IncompleteStreamError,
    deviations,
)
from azure_oai_preview._assistant_stream._handlers import EventHooks
from azure_oai_preview.models import CreateChatCompletionResponse

CHAT_PATH = "/deployments/gpt-4o/chat/completions"
COMPLETIONS_PATH = "/deployments/gpt-4o/completions"

NOT_CHUNKS = {"null": "null", "array": "[1, 2]", "string": '"str"', "number": "3"}
KINDS = {"null": "null", "array": "an array", "string": "a string", "number": "an integer"}


def _around(event: dict[str, Any] | str) -> bytes:
    """'Hel', then ``event``, then 'lo' and the end: what arrived before ``event`` is 'Hel'."""
    return sse(
        chat_chunk({"role": "assistant", "content": "Hel"}),
        event,
        chat_chunk({"content": "lo"}),
        chat_chunk({}, finish_reason="stop"),
    )


def _serve(mock_api: respx.MockRouter, path: str, body: bytes) -> None:
    mock_api.post(path).mock(side_effect=lambda request: sse_response(body)[0])


def _partial_text(error: IncompleteStreamError) -> str | None:
    partial = error.partial
    assert isinstance(partial, CreateChatCompletionResponse)
    return partial.choices[0].message.content


# -- chat: an event that is no chunk --------------------------------------------------------------

READS: dict[str, Callable[[Any, list[Any]], Any]] = {
    "iterate": lambda stream, into: consume(stream, into),
    "text_deltas": lambda stream, into: consume(stream.text_deltas(), into),
    "get_final_completion": lambda stream, into: stream.get_final_completion(),
    "text_deltas, then the final": lambda stream, into: (
        consume(stream.text_deltas(), into),
        stream.get_final_completion(),
    ),
}


@pytest.mark.parametrize("read", sorted(READS))
@pytest.mark.parametrize("kind", sorted(NOT_CHUNKS))
def test_an_event_that_is_no_chunk_raises_however_the_stream_is_read(
    client: AzureOpenAI, mock_api: respx.MockRouter, kind: str, read: str
) -> None:
    data = NOT_CHUNKS[kind]
    _serve(mock_api, CHAT_PATH, _around(data))
    received: list[Any] = []
    stream = client.chat.completions.create(messages=USER_MESSAGES, stream=True)
    with stream, pytest.raises(IncompleteStreamError, match=f"{KINDS[kind]}, not a chunk") as info:
        READS[read](stream, received)
    # Not mistaken for the end marker (data: null used to end iteration quietly at 'Hel').
    assert info.value.data == data
    assert _partial_text(info.value) == "Hel"
    assert len(received) <= 1  # the chunk before it (or its text), nothing after
    with pytest.raises(IncompleteStreamError):
        stream.get_final_completion()


@pytest.mark.parametrize("kind", sorted(NOT_CHUNKS))
async def test_async_an_event_that_is_no_chunk_raises(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter, kind: str
) -> None:
    _serve(mock_api, CHAT_PATH, _around(NOT_CHUNKS[kind]))
    reads: dict[str, Callable[[Any], Awaitable[Any]]] = {
        "iterate": lambda stream: aconsume(stream, []),
        "text_deltas": lambda stream: aconsume(stream.text_deltas(), []),
        "get_final_completion": lambda stream: stream.get_final_completion(),
    }
    for read in reads.values():
        stream = await async_client.chat.completions.create(messages=USER_MESSAGES, stream=True)
        async with stream:
            with pytest.raises(IncompleteStreamError, match="not a chunk") as info:
                await read(stream)
        assert info.value.data == NOT_CHUNKS[kind]
        assert _partial_text(info.value) == "Hel"


def test_a_completions_event_that_is_no_chunk_raises(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    text = {"id": "c", "object": "text_completion", "created": 1, "model": "m"}
    first = {**text, "choices": [{"index": 0, "text": "Hel", "finish_reason": None}]}
    _serve(mock_api, COMPLETIONS_PATH, sse(first, "null", first))
    received: list[Any] = []
    with pytest.raises(IncompleteStreamError, match="null, not a chunk") as info:
        consume(client.completions.create(prompt="hi", stream=True), received)
    assert len(received) == 1
    assert info.value.partial.choices[0].text == "Hel"


async def test_async_completions_event_that_is_no_chunk_raises(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    _serve(mock_api, COMPLETIONS_PATH, sse("[1]"))
    with pytest.raises(IncompleteStreamError, match="an array, not a chunk"):
        await aconsume(await async_client.completions.create(prompt="hi", stream=True), [])


# -- chat: off-spec chunks are kept, and no reader trips over them --------------------------------

OFF_SPEC = {
    "delta is a string": {**chat_chunk(), "choices": [{"index": 0, "delta": "XX"}]},
    "choices is a string": {**chat_chunk(), "choices": "abc"},
    "a choice is a number": {**chat_chunk(), "choices": [5]},
    "content is a number": chat_chunk({"content": 5}),
    "tool_calls is a string": chat_chunk({"tool_calls": "x"}),
    "a tool call is a number": chat_chunk({"tool_calls": [3]}),
}


@pytest.mark.parametrize("case", sorted(OFF_SPEC))
def test_an_off_spec_chunk_is_delivered_and_text_deltas_keeps_the_typed_text(
    client: AzureOpenAI, mock_api: respx.MockRouter, case: str
) -> None:
    _serve(mock_api, CHAT_PATH, _around(OFF_SPEC[case]))
    with client.chat.completions.create(messages=USER_MESSAGES, stream=True) as stream:
        chunks = list(stream)
    assert len(chunks) == 4
    assert deviations(chunks[1])  # kept, with what broke the spec recorded
    with client.chat.completions.create(messages=USER_MESSAGES, stream=True) as stream:
        # Used to raise AttributeError ('str' object has no attribute 'content', ...).
        assert "".join(stream.text_deltas()) == "Hello"
        final = stream.get_final_completion()
    assert final.choices  # (the merge keeps raw values by its rule; see _delta)


@pytest.mark.parametrize("case", sorted(OFF_SPEC))
async def test_async_off_spec_chunk_is_delivered(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter, case: str
) -> None:
    _serve(mock_api, CHAT_PATH, _around(OFF_SPEC[case]))
    stream = await async_client.chat.completions.create(messages=USER_MESSAGES, stream=True)
    async with stream:
        assert "".join([text async for text in stream.text_deltas()]) == "Hello"
        await stream.get_final_completion()


# -- fuzz: any field of any event made off-spec ---------------------------------------------------

_OFF_SPEC_VALUES = st.sampled_from(
    ["x", 7, 2.5, True, None, [], [1], [None], [{"index": "q"}], {}, {"z": 1}]
)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if path:
        yield path
    if isinstance(value, dict):
        for key, item in value.items():  # pyright: ignore[reportUnknownVariableType]
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):  # pyright: ignore[reportUnknownVariableType, reportUnknownArgumentType]
            yield from _paths(item, (*path, index))


def _replaced(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    value = copy.deepcopy(value)
    target = value
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = new
    return value


@st.composite
def _mutated(draw: st.DrawFn, events: list[Any]) -> tuple[int, tuple[Any, ...], Any]:
    """One event of ``events`` with one of its fields (at any depth) made off-spec."""
    position = draw(st.sampled_from([i for i, e in enumerate(events) if _paths(_data(e))]))
    path = draw(st.sampled_from(list(_paths(_data(events[position])))))
    return position, path, draw(_OFF_SPEC_VALUES)


def _data(event: Any) -> Any:
    return event[1] if isinstance(event, tuple) else event


CHAT_EVENTS: list[Any] = [
    AZURE_PROMPT_FILTER_CHUNK,
    chat_chunk({"role": "assistant", "content": "Hel"}),
    chat_chunk({"tool_calls": [{"index": 0, "id": "c1", "function": {"name": "f"}}]}),
    chat_chunk({"tool_calls": [{"index": 0, "function": {"arguments": "{}"}}]}),
    chat_chunk({"content": "lo"}, logprobs={"content": [{"token": "lo", "logprob": -1.0}]}),
    chat_chunk({"context": {"citations": [{"content": "c"}], "intent": "x"}}),
    chat_chunk({}, finish_reason="stop", content_filter_results={"hate": {"filtered": False}}),
    {**chat_chunk(), "choices": [], "usage": {"prompt_tokens": 1, "total_tokens": 3}},
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_mutated(CHAT_EVENTS), st.sampled_from(sorted(READS)))
def test_no_off_spec_chunk_breaks_a_reader(
    mutation: tuple[int, tuple[Any, ...], Any], read: str
) -> None:
    from azure_oai_preview import ChatCompletionStream
    from azure_oai_preview.models import CreateChatCompletionStreamResponse

    position, path, value = mutation
    events = list(CHAT_EVENTS)
    events[position] = _replaced(events[position], path, value)
    stream = ChatCompletionStream(sse_response(sse(*events))[0], CreateChatCompletionStreamResponse)
    received: list[Any] = []
    READS[read](stream, received)  # no AttributeError, TypeError...
    assert all(type(item) is not str or item for item in received)


RUN_BASES = {"full": full_events(), "function call": function_call_events()}


def _all_hooks() -> AssistantEventHandler:
    """A handler overriding every hook, each touching what it is given."""
    names = [name for name in vars(EventHooks) if name.startswith("on_")]
    seen: list[str] = []

    def hook(name: str) -> Callable[..., None]:
        def method(self: Any, *args: Any) -> None:
            seen.append(f"{name}{args!r}")

        return method

    handler_type = type("AllHooks", (AssistantEventHandler,), {n: hook(n) for n in names})
    handler: AssistantEventHandler = handler_type()
    return handler


RUN_READS: dict[str, Callable[[AssistantStream], Any]] = {
    "iterate": lambda stream: [repr(event) for event in stream],
    "text_deltas": lambda stream: "".join(stream.text_deltas()),
    "until_done": lambda stream: stream.until_done(),
    "snapshots while iterating": lambda stream: [
        (stream.current_message_snapshot, stream.current_run_step_snapshot) for _ in stream
    ],
}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(sorted(RUN_BASES)).flatmap(
        lambda base: st.tuples(st.just(base), _mutated(RUN_BASES[base]))
    ),
    st.sampled_from(sorted(RUN_READS)),
    st.booleans(),
)
def test_no_off_spec_run_event_breaks_a_reader(
    case: tuple[str, tuple[int, tuple[Any, ...], Any]], read: str, with_handler: bool
) -> None:
    base, (position, path, value) = case
    events = list(RUN_BASES[base])
    name, data = events[position]
    events[position] = (name, _replaced(data, path, value))
    handler = _all_hooks() if with_handler else None
    stream = AssistantStream(run_sse_response(sse_body(events)), handler)
    try:
        RUN_READS[read](stream)
        stream.final_messages()
        stream.final_run_steps()
        calls = stream.required_tool_calls
    except (IncompleteStreamError, APIStreamError):
        return  # typed errors are fine (a run made off-spec may not look settled)
    assert all(not isinstance(call, dict) for call in calls)


def test_run_events_with_raw_objects_where_typed_ones_belong() -> None:
    # Each of these used to raise AttributeError or TypeError in a snapshot, a hook or
    # text_deltas(); they are delivered, and only their typed parts are used.
    message = full_events()
    odd = [
        ("thread.message.delta", {"id": "msg_abc123", "object": "x", "delta": [1]}),
        ("thread.message.delta", {"id": {"not": "hashable"}, "object": "x", "delta": {}}),
        (
            "thread.message.delta",
            {"id": "msg_abc123", "object": "x", "delta": {"content": [5, {"index": "q"}]}},
        ),
        ("thread.run.step.delta", {"id": "step_code", "object": "x", "delta": 7}),
    ]
    events = [*message[:-1], *odd, message[-1]]
    plain = AssistantStream(run_sse_response(sse_body(events)))
    assert len(list(plain)) == len(events)
    text = "".join(AssistantStream(run_sse_response(sse_body(events))).text_deltas())
    assert text == "".join(AssistantStream(run_sse_response(sse_body(message))).text_deltas())
    handled = AssistantStream(run_sse_response(sse_body(events)), _all_hooks())
    assert handled.final_run().status == "completed"
    assert json.dumps([m.model_dump(mode="json", warnings=False) for m in handled.final_messages()])
