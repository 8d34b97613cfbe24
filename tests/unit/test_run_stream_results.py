"""What a run stream adds up to: every delta field merged by the one rule, and the partial
result an interrupted run stream hands over."""

from __future__ import annotations

import json
from typing import Any

import pytest
from _assistants_support import delta_text, run, sse_body, sse_response, stream_message, stream_step
from _support import consume
from hypothesis import given, settings
from hypothesis import strategies as st

from azure_oai_preview import (
    APIStreamError,
    AssistantEventHandler,
    AssistantStream,
    AsyncAssistantEventHandler,
    AsyncAssistantStream,
    IncompleteStreamError,
)
from azure_oai_preview._assistant_stream import RunStreamSnapshot

MSG = "msg_abc123"


def content_delta(*parts: dict[str, Any], **delta: Any) -> dict[str, Any]:
    return {"id": MSG, "object": "thread.message.delta", "delta": {"content": list(parts), **delta}}


def stream_of(events: list[tuple[str, Any]], *, done: bool = True) -> AssistantStream:
    return AssistantStream(sse_response(sse_body(events, done=done)))


def snapshot_of(events: list[tuple[str, Any]]) -> dict[str, Any]:
    stream = stream_of(
        [
            ("thread.run.created", run("in_progress")),
            ("thread.message.created", stream_message()),
            *events,
            ("thread.run.completed", run("completed")),
        ]
    )
    stream.until_done()
    (message,) = stream.message_snapshots
    return message.model_dump(mode="json", exclude_unset=True)


# -- every delta field, known or not --------------------------------------------------------------


def test_an_unknown_text_part_split_in_two_comes_out_whole() -> None:
    refusal = {"index": 0, "type": "refusal"}
    message = snapshot_of(
        [
            ("thread.message.delta", content_delta({**refusal, "refusal": "I can"})),
            ("thread.message.delta", content_delta({**refusal, "refusal": "not help."})),
        ]
    )
    assert message["content"] == [{"type": "refusal", "refusal": "I cannot help."}]


def test_unknown_fields_of_text_parts_and_deltas_are_merged() -> None:
    def text(value: str, **extra: Any) -> dict[str, Any]:
        return {"index": 0, "type": "text", "text": {"value": value, **extra}}

    message = snapshot_of(
        [
            ("thread.message.delta", content_delta(text("Hel", voice="so"))),
            ("thread.message.delta", content_delta(text("lo", voice="ft"), mood="ca")),
            ("thread.message.delta", content_delta(text("!"), mood="lm")),
        ]
    )
    assert message["content"] == [
        {"type": "text", "text": {"value": "Hello!", "voice": "soft", "annotations": []}}
    ]
    assert message["mood"] == "calm"
    assert message["id"] == MSG


def test_an_unknown_tool_call_streams_its_text() -> None:
    step = stream_step(
        id="step_1", type="tool_calls", step_details={"type": "tool_calls", "tool_calls": []}
    )
    browse = {"index": 0, "type": "browser"}

    def delta(**browser: Any) -> dict[str, Any]:
        return {
            "id": "step_1",
            "object": "thread.run.step.delta",
            "delta": {
                "step_details": {
                    "type": "tool_calls",
                    "tool_calls": [{**browse, "id": "call_b", "browser": browser}],
                }
            },
        }

    stream = stream_of(
        [
            ("thread.run.created", run("in_progress")),
            ("thread.run.step.created", step),
            ("thread.run.step.delta", delta(query="azure ", pages=1)),
            ("thread.run.step.delta", delta(query="openai", pages=2)),
            ("thread.run.completed", run("completed")),
        ]
    )
    (snapshot,) = stream.final_run_steps()
    (call,) = snapshot.model_dump(mode="json", exclude_unset=True)["step_details"]["tool_calls"]
    assert call == {
        "type": "browser",
        "id": "call_b",
        "browser": {"query": "azure openai", "pages": 2},
    }


@settings(max_examples=80, deadline=None)
@given(
    st.text(min_size=1, max_size=60),
    st.text(min_size=1, max_size=60),
    st.lists(st.integers(0, 99), max_size=8),
    st.lists(st.integers(0, 99), max_size=8),
)
def test_any_rechunking_of_a_message_adds_up_to_the_whole(
    text: str, refusal: str, text_cuts: list[int], refusal_cuts: list[int]
) -> None:
    def split(value: str, cuts: list[int]) -> list[str]:
        points = sorted({cut % (len(value) + 1) for cut in cuts})
        return [
            value[a:b] for a, b in zip([0, *points], [*points, len(value)], strict=True) if b > a
        ]

    events = [
        ("thread.message.delta", delta_text(MSG, 0, piece)) for piece in split(text, text_cuts)
    ]
    events += [
        ("thread.message.delta", content_delta({"index": 1, "type": "refusal", "refusal": piece}))
        for piece in split(refusal, refusal_cuts)
    ]
    content = snapshot_of(events)["content"]
    assert content[0]["text"]["value"] == text
    assert content[1] == {"type": "refusal", "refusal": refusal}


def test_a_delta_whose_content_is_not_an_array_is_kept_raw() -> None:
    # Off-spec: merged by the rule like any value (it used to break the stream).
    odd = {"id": MSG, "object": "thread.message.delta", "delta": {"content": "odd"}}
    for read in (list, AssistantStream.until_done):
        stream = stream_of(
            [
                ("thread.run.created", run("in_progress")),
                ("thread.message.created", stream_message()),
                ("thread.message.delta", delta_text(MSG, 0, "Hi")),
                ("thread.message.delta", odd),
                ("thread.run.completed", run("completed")),
            ]
        )
        read(stream)
        (message,) = stream.message_snapshots
        assert message.content == "odd"  # pyright: ignore[reportUnnecessaryComparison]


# -- a run stream that ends early keeps what arrived -----------------------------------------------

STARTED = [
    ("thread.run.created", run("queued")),
    ("thread.run.in_progress", run("in_progress")),
    ("thread.message.created", stream_message()),
    ("thread.message.delta", delta_text(MSG, 0, "Deep ")),
    ("thread.message.delta", delta_text(MSG, 0, "learning")),
]


def _check_partial(error: IncompleteStreamError | APIStreamError) -> RunStreamSnapshot:
    partial = error.partial
    assert isinstance(partial, RunStreamSnapshot)
    assert partial.run is not None
    assert partial.run.status == "in_progress"
    (message,) = partial.messages
    assert message.content[0].text.value == "Deep learning"
    assert partial.run_steps == []
    return partial


def test_a_cut_run_stream_carries_the_partial_run() -> None:
    with pytest.raises(IncompleteStreamError, match="in_progress") as info:
        stream_of(STARTED, done=False).until_done()
    _check_partial(info.value)


async def test_a_cut_async_run_stream_carries_the_partial_run() -> None:
    stream = AsyncAssistantStream(sse_response(sse_body(STARTED, done=False)))
    with pytest.raises(IncompleteStreamError) as info:
        await stream.until_done()
    _check_partial(info.value)


TRUNCATED = '{"id": "msg_abc123", "object": "thread.message.delta", "delta": {"content": [{"ind'


def test_a_known_event_cut_off_raises_with_its_name_and_data() -> None:
    stream = stream_of([*STARTED, ("thread.message.delta", TRUNCATED)], done=False)
    received: list[Any] = []
    with pytest.raises(IncompleteStreamError, match=r"thread\.message\.delta") as info:
        consume(stream, received)
    assert len(received) == len(STARTED)
    assert info.value.event == "thread.message.delta"
    assert info.value.data == TRUNCATED
    _check_partial(info.value)


async def test_a_known_async_event_cut_off_raises() -> None:
    body = sse_body([*STARTED, ("thread.run.step.created", TRUNCATED[:20])], done=False)
    stream = AsyncAssistantStream(sse_response([body[i : i + 5] for i in range(0, len(body), 5)]))
    with pytest.raises(IncompleteStreamError) as info:
        await stream.until_done()
    assert info.value.event == "thread.run.step.created"
    _check_partial(info.value)


def test_an_error_event_carries_the_partial_run() -> None:
    error = {"code": "server_error", "message": "Sorry"}
    with pytest.raises(APIStreamError) as info:
        stream_of([*STARTED, ("error", error)], done=False).until_done()
    _check_partial(info.value)
    assert json.dumps(info.value.data) == json.dumps(error)


# -- a body read in one piece ---------------------------------------------------------------------

WORDS = [f" word{i}" for i in range(3000)]
LONG_ANSWER = [
    ("thread.run.created", run("in_progress")),
    ("thread.message.created", stream_message()),
    *(("thread.message.delta", delta_text(MSG, 0, word)) for word in WORDS),
    ("thread.run.completed", run("completed")),
]


def test_a_run_stream_read_in_one_piece_longer_than_a_slice() -> None:
    # Decoded a slice at a time, with events cut at the slice boundaries.
    body = sse_body(LONG_ANSWER)
    assert len(body) > 3 * 64 * 1024
    events = list(AssistantStream(sse_response(body)))
    assert len(events) == len(LONG_ANSWER)
    stream = AssistantStream(sse_response(body))
    (message,) = stream.final_messages()
    assert message.content[0].text.value == "".join(WORDS)
    assert stream.current_run is not None
    assert stream.current_run.status == "completed"


async def test_an_async_run_stream_read_in_one_piece_longer_than_a_slice() -> None:
    stream = AsyncAssistantStream(sse_response(sse_body(LONG_ANSWER)))
    (message,) = await stream.final_messages()
    assert message.content[0].text.value == "".join(WORDS)


def test_until_done_hands_every_event_to_the_handler_and_iteration_still_yields() -> None:
    # until_done reads without yielding each event to itself; the handler sees them all,
    # and a stream iterated after a partial read yields the rest.
    seen: list[str] = []

    class Recorder(AssistantEventHandler):
        def on_event(self, event: Any) -> None:
            seen.append(event.event)

    stream = AssistantStream(sse_response(sse_body(LONG_ANSWER[:50])), Recorder())
    first = [next(stream).event for _ in range(3)]
    stream.until_done()
    assert seen == [name for name, _ in LONG_ANSWER[:50]]
    assert first == seen[:3]
    assert list(stream) == []


# -- read quietly: plain text deltas applied from their JSON --------------------------------------


def _text_part(index: int, value: str, **more: Any) -> dict[str, Any]:
    return {"index": index, "type": "text", "text": {"value": value, **more}}


_deltas = st.one_of(
    # Plain text deltas (the quiet path takes those continuing a part) ...
    st.builds(lambda i, v: content_delta(_text_part(i, v)), st.integers(0, 2), st.text(max_size=5)),
    st.builds(lambda v: delta_text("msg_other", 0, v), st.text(min_size=1, max_size=5)),
    # ... and what it must leave to the typed path.
    st.builds(
        lambda i, v: content_delta(
            _text_part(i, v, annotations=[{"index": 0, "type": "file_path", "text": "f"}])
        ),
        st.integers(0, 2),
        st.text(max_size=3),
    ),
    st.builds(lambda v: content_delta(_text_part(0, v, voice="x")), st.text(max_size=3)),
    st.builds(lambda v: content_delta(_text_part(0, v), role="assistant"), st.text(max_size=3)),
    st.builds(lambda v: {**content_delta(_text_part(0, v)), "extra": 1}, st.text(max_size=3)),
    st.just(content_delta({"index": 1, "type": "image_file", "image_file": {"file_id": "f"}})),
    st.just(content_delta(_text_part(0, "a"), _text_part(1, "b"))),
    st.just({"id": MSG, "object": "thread.message.delta", "delta": {"content": "odd"}}),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_deltas, max_size=12), st.booleans())
def test_until_done_adds_up_to_what_iterating_does(deltas: list[dict[str, Any]], cut: bool) -> None:
    events = [
        ("thread.run.created", run("in_progress")),
        ("thread.message.created", stream_message()),
        ("thread.message.created", stream_message(id="msg_other")),
        ("thread.message.in_progress", stream_message()),
        *(("thread.message.delta", delta) for delta in deltas),
    ]
    if not cut:
        events.append(("thread.run.completed", run("completed")))

    def read(stream: AssistantStream, quietly: bool) -> tuple[Any, ...]:
        try:
            if quietly:
                stream.until_done()
            else:
                for _ in stream:
                    pass
        except IncompleteStreamError as error:
            assert cut
            partial = [m.model_dump(mode="json", warnings=False) for m in error.partial.messages]
        else:
            partial = None
        messages = [m.model_dump(mode="json", warnings=False) for m in stream.message_snapshots]
        current = stream.current_event
        return (
            messages,
            partial,
            current.model_dump(mode="json", warnings=False) if current else None,
        )

    assert read(stream_of(events, done=not cut), True) == read(
        stream_of(events, done=not cut), False
    )


def test_the_last_event_read_quietly_is_built_when_asked_for() -> None:
    stream = stream_of([*STARTED, ("thread.message.delta", delta_text(MSG, 0, "!"))], done=False)
    with pytest.raises(IncompleteStreamError) as info:
        stream.until_done()
    assert info.value.partial.messages[0].content[0].text.value == "Deep learning!"
    event = stream.current_event
    assert event is not None
    assert event.event == "thread.message.delta"
    assert event.data.delta.content[0].text.value == "!"
    assert stream.current_event is event


@settings(max_examples=100, deadline=None)
@given(st.text(min_size=1), st.integers(0, 2**40), st.text(min_size=1))
def test_a_plain_text_delta_validates_strictly(message_id: str, index: int, value: str) -> None:
    # The quiet path appends such a delta without validating it: it must be one that
    # validates strictly (no deviation to report) as the typed path would see it.
    from azure_oai_preview._assistant_stream._accumulator import (
        _plain_text,  # pyright: ignore[reportPrivateUsage]
    )
    from azure_oai_preview.models import ThreadMessageDelta

    data = json.dumps(delta_text(message_id, index, value))
    assert _plain_text(json.loads(data)) == (message_id, index, value)
    event = ThreadMessageDelta.model_validate_json(
        f'{{"event": "thread.message.delta", "data": {data}}}', strict=True
    )
    (part,) = event.data.delta.content or []
    assert (event.data.id, part.index, part.text.value) == (message_id, index, value)


# -- a stream closed before its end has no final result -------------------------------------------

ANSWERED = [*STARTED, ("thread.run.completed", run("completed"))]
FINAL_HELPERS = ["until_done", "final_run", "final_messages", "final_run_steps"]


def _closed_early(how: str) -> AssistantStream:
    """A stream of ``ANSWERED`` left after its first text piece, in one of the ways users do."""
    stream = stream_of(ANSWERED)
    if how == "with block":
        with stream:
            for _ in stream.text_deltas():
                break
    elif how == "close":
        while next(stream).event != "thread.message.delta":
            pass
        stream.close()
    else:
        assert how == "handler raised"

        class Failing(AssistantEventHandler):
            def on_text_delta(self, delta: Any, snapshot: Any) -> None:
                raise RuntimeError("handler bug")

        stream = AssistantStream(sse_response(sse_body(ANSWERED)), Failing())
        with pytest.raises(RuntimeError, match="handler bug"):
            stream.until_done()
    return stream


@pytest.mark.parametrize("helper", FINAL_HELPERS)
@pytest.mark.parametrize("how", ["with block", "close", "handler raised"])
def test_final_helpers_of_a_stream_closed_early_raise_with_the_partial(
    how: str, helper: str
) -> None:
    # They used to return the partial state quietly: a requires_action loop checking
    # final_run().status could then leave with a run still in progress.
    stream = _closed_early(how)
    with pytest.raises(IncompleteStreamError, match="closed before its end") as info:
        getattr(stream, helper)()
    partial = info.value.partial
    assert isinstance(partial, RunStreamSnapshot)
    assert partial.run is not None
    assert partial.run.status == "in_progress"
    (message,) = partial.messages
    assert message.content[0].text.value.startswith("Deep ")
    # The snapshots stay readable as what arrived.
    assert stream.current_run is not None
    assert stream.current_run.status == "in_progress"


def test_a_stream_left_without_closing_is_read_on_by_the_final_helpers() -> None:
    # Leaving text_deltas() without closing the stream does not end it: the rest is read.
    stream = stream_of(ANSWERED)
    for _ in stream.text_deltas():
        break
    assert stream.final_run().status == "completed"
    with stream:
        assert stream.final_messages()[0].content[0].text.value == "Deep learning"
    # Read to its end and closed: the final results stay available.
    assert stream.final_run().status == "completed"


@pytest.mark.parametrize("helper", FINAL_HELPERS)
async def test_async_final_helpers_of_a_stream_closed_early_raise(helper: str) -> None:
    stream = AsyncAssistantStream(sse_response(sse_body(ANSWERED)))
    async with stream:
        async for _ in stream.text_deltas():
            break
    with pytest.raises(IncompleteStreamError, match="closed before its end") as info:
        await getattr(stream, helper)()
    assert info.value.partial.run.status == "in_progress"


async def test_async_final_helpers_after_a_handler_raised() -> None:
    class Failing(AsyncAssistantEventHandler):
        async def on_text_delta(self, delta: Any, snapshot: Any) -> None:
            raise RuntimeError("handler bug")

    stream = AsyncAssistantStream(sse_response(sse_body(ANSWERED)), Failing())
    with pytest.raises(RuntimeError, match="handler bug"):
        await stream.until_done()
    with pytest.raises(IncompleteStreamError, match="closed before its end"):
        await stream.final_run()
    complete = AsyncAssistantStream(sse_response(sse_body(ANSWERED)))
    async with complete:
        assert (await complete.final_run()).status == "completed"
    assert (await complete.final_run()).status == "completed"
