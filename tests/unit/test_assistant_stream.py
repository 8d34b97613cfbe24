"""Run streams: typed events, accumulated snapshots, handlers, and streams that end badly."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import respx
from _assistants_support import (
    REQUIRED_ACTION,
    WEATHER_TOOL,
    answer_events,
    delta_text,
    function_call_events,
    run,
    sse,
    sse_body,
    sse_response,
    stream_message,
    stream_step,
    thread_body,
    tool_delta,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from azure_oai_preview import (
    APIResponseValidationError,
    APIStreamError,
    AssistantEventHandler,
    AssistantStream,
    AsyncAssistantEventHandler,
    AsyncAssistantStream,
    AsyncAzureOpenAI,
    AzureOpenAI,
    BadRequestError,
    IncompleteStreamError,
    UnknownStreamEvent,
)
from azure_oai_preview.models._manifest import STREAM_EVENTS

THREAD, RUN, MSG = "thread_abc123", "run_abc123", "msg_abc123"
RUNS_PATH = f"/threads/{THREAD}/runs"


def content_delta(*parts: dict[str, Any]) -> dict[str, Any]:
    return {"id": MSG, "object": "thread.message.delta", "delta": {"content": list(parts)}}


CITATION = {
    "type": "file_citation",
    "text": "【4:0†source】",
    "start_index": 24,
    "end_index": 36,
    "file_citation": {"file_id": "file-doc", "quote": "deep learning is"},
}
FILE_PATH = {
    "type": "file_path",
    "text": "sandbox:/mnt/data/out.csv",
    "start_index": 40,
    "end_index": 65,
    "file_path": {"file_id": "file-out"},
}
FINAL_TEXT = "Deep learning means 🧠 learning【4:0†source】 see sandbox:/mnt/data/out.csv"


def code_step_events() -> list[tuple[str, Any]]:
    step = stream_step(
        id="step_code", type="tool_calls", step_details={"type": "tool_calls", "tool_calls": []}
    )
    code = {"index": 0, "type": "code_interpreter"}
    return [
        ("thread.run.step.created", step),
        ("thread.run.step.in_progress", step),
        (
            "thread.run.step.delta",
            tool_delta(
                "step_code",
                {**code, "id": "call_ci", "code_interpreter": {"input": "", "outputs": []}},
            ),
        ),
        (
            "thread.run.step.delta",
            tool_delta("step_code", {**code, "code_interpreter": {"input": "print(1"}}),
        ),
        (
            "thread.run.step.delta",
            tool_delta("step_code", {**code, "code_interpreter": {"input": "+1)"}}),
        ),
        (
            "thread.run.step.delta",
            tool_delta(
                "step_code",
                {
                    **code,
                    "code_interpreter": {"outputs": [{"index": 0, "type": "logs", "logs": "2"}]},
                },
            ),
        ),
        (
            "thread.run.step.delta",
            tool_delta(
                "step_code",
                {
                    **code,
                    "code_interpreter": {"outputs": [{"index": 0, "type": "logs", "logs": "\n"}]},
                },
            ),
        ),
        (
            "thread.run.step.delta",
            tool_delta(
                "step_code",
                {
                    **code,
                    "code_interpreter": {
                        "outputs": [{"index": 1, "type": "image", "image": {"file_id": "file-img"}}]
                    },
                },
            ),
        ),
        (
            "thread.run.step.delta",
            tool_delta(
                "step_code", {"index": 1, "id": "call_fs", "type": "file_search", "file_search": {}}
            ),
        ),
    ]


def message_events() -> list[tuple[str, Any]]:
    message = stream_message()
    return [
        ("thread.message.created", message),
        ("thread.message.in_progress", message),
        ("thread.message.delta", delta_text(MSG, 0, "Deep learning ")),
        (
            "thread.message.delta",
            content_delta(
                {"index": 1, "type": "image_file", "image_file": {"file_id": "file-img"}}
            ),
        ),
        ("thread.message.delta", delta_text(MSG, 0, "means 🧠 learning")),
        ("thread.message.delta", delta_text(MSG, 2, "Second part.")),
        (
            "thread.message.delta",
            content_delta(
                {
                    "index": 0,
                    "type": "text",
                    "text": {"value": "【4:0†source】", "annotations": [{"index": 0, **CITATION}]},
                }
            ),
        ),
        ("thread.message.delta", delta_text(MSG, 0, " see sandbox:/mnt/data/out.csv")),
        (
            "thread.message.delta",
            content_delta(
                {
                    "index": 0,
                    "type": "text",
                    "text": {
                        "annotations": [
                            {"index": 1, **{k: v for k, v in FILE_PATH.items() if k != "file_path"}}
                        ]
                    },
                }
            ),
        ),
        (
            "thread.message.delta",
            content_delta(
                {
                    "index": 0,
                    "type": "text",
                    "text": {
                        "annotations": [
                            {"index": 1, "type": "file_path", "file_path": {"file_id": "file-out"}}
                        ]
                    },
                }
            ),
        ),
    ]


def final_message() -> dict[str, Any]:
    return stream_message(
        status="completed",
        completed_at=1699063299,
        content=[
            {"type": "text", "text": {"value": FINAL_TEXT, "annotations": [CITATION, FILE_PATH]}},
            {"type": "image_file", "image_file": {"file_id": "file-img"}},
            {"type": "text", "text": {"value": "Second part.", "annotations": []}},
        ],
    )


def full_events() -> list[tuple[str, Any]]:
    """A complete run: every kind of accumulation, ending normally."""
    return [
        ("thread.run.created", run("queued")),
        ("thread.run.queued", run("queued")),
        ("thread.run.in_progress", run("in_progress")),
        *code_step_events(),
        (
            "thread.run.step.completed",
            stream_step(
                id="step_code",
                type="tool_calls",
                status="completed",
                step_details={
                    "type": "tool_calls",
                    "tool_calls": [
                        {
                            "id": "call_ci",
                            "type": "code_interpreter",
                            "code_interpreter": {
                                "input": "print(1+1)",
                                "outputs": [
                                    {"type": "logs", "logs": "2\n"},
                                    {"type": "image", "image": {"file_id": "file-img"}},
                                ],
                            },
                        },
                        {"id": "call_fs", "type": "file_search", "file_search": {}},
                    ],
                },
            ),
        ),
        ("thread.run.step.created", stream_step()),
        *message_events(),
        ("thread.message.completed", final_message()),
        ("thread.run.step.completed", stream_step(status="completed")),
        ("thread.run.completed", run("completed", completed_at=1699063300)),
    ]


def stream_of(
    events: list[tuple[str, Any]], *, done: bool = True, handler: Any = None
) -> AssistantStream:
    return AssistantStream(sse_response(sse_body(events, done=done)), handler)


def async_stream_of(
    events: list[tuple[str, Any]], *, done: bool = True, handler: Any = None
) -> AsyncAssistantStream:
    return AsyncAssistantStream(sse_response(sse_body(events, done=done)), handler)


def dumps(items: list[Any]) -> list[Any]:
    return [
        (
            type(item).__name__,
            item.data if isinstance(item, UnknownStreamEvent) else item.model_dump(mode="json"),
        )
        for item in items
    ]


# -- events -------------------------------------------------------------------------------------

DATA_TYPES = {
    "thread.created": "ThreadObject",
    "thread.run.step.delta": "RunStepDeltaObject",
    "thread.message.delta": "MessageDeltaObject",
}


def every_event() -> list[tuple[str, Any]]:
    events: list[tuple[str, Any]] = [("thread.created", thread_body())]
    for name in STREAM_EVENTS:
        if name in ("error", "done", "thread.created"):
            continue
        if name.startswith("thread.run.step."):
            data = (
                tool_delta("step_1", {"index": 0, "type": "file_search", "file_search": {}})
                if name.endswith("delta")
                else stream_step(id="step_1")
            )
        elif name.startswith("thread.run."):
            data = run(
                name.rsplit(".", 1)[1],
                required_action=REQUIRED_ACTION if name.endswith("requires_action") else None,
            )
        else:
            data = (
                content_delta({"index": 0, "type": "text", "text": {"value": "x"}})
                if name.endswith("delta")
                else stream_message()
            )
        events.append((name, data))
    return events


def test_every_event_type_maps_to_its_class() -> None:
    events = list(stream_of(every_event()))
    assert [e.event for e in events] == [name for name, _ in every_event()]
    assert len(events) == len(STREAM_EVENTS) - 2
    for event in events:
        assert type(event).__name__ == STREAM_EVENTS[event.event]
        kind = event.event
        expected = DATA_TYPES.get(kind) or (
            "RunStepObject"
            if kind.startswith("thread.run.step.")
            else "RunObject"
            if kind.startswith("thread.run.")
            else "MessageObject"
        )
        assert type(event.data).__name__ == expected


def test_unknown_events_are_delivered_not_raised() -> None:
    events = [
        ("thread.run.created", run("queued")),
        ("thread.run.step.reticulating", {"id": "step_1", "progress": 0.5}),
        ("thread.mystery", "not json at all"),
        ("thread.run.completed", run("completed")),
    ]
    got = list(stream_of(events))
    assert got[1] == UnknownStreamEvent(
        event="thread.run.step.reticulating", data={"id": "step_1", "progress": 0.5}
    )
    assert got[2] == UnknownStreamEvent(event="thread.mystery", data="not json at all")
    assert [type(e).__name__ for e in got] == [
        "ThreadRunCreated",
        "UnknownAssistantStreamEvent",
        "UnknownAssistantStreamEvent",
        "ThreadRunCompleted",
    ]


def test_event_without_a_name_is_unknown_message() -> None:
    body = b"data: {}\n\n" + sse("thread.run.completed", run("completed")) + sse("done", "[DONE]")
    got = list(AssistantStream(sse_response(body)))
    assert got[0] == UnknownStreamEvent(event="message", data={})


def test_off_spec_data_of_a_known_event_is_kept() -> None:
    broken = run("in_progress", created_at="yesterday")
    got = list(
        stream_of([("thread.run.in_progress", broken), ("thread.run.completed", run("completed"))])
    )
    assert type(got[0]).__name__ == "ThreadRunInProgress"
    assert got[0].data.created_at == "yesterday"
    assert got[0].data.status == "in_progress"


def test_error_event_raises_the_typed_error() -> None:
    events = [
        ("thread.run.created", run("queued")),
        ("error", {"code": "server_error", "message": "Sorry, something went wrong."}),
    ]
    stream = AssistantStream(sse_response(sse_body(events, done=False)))
    assert next(stream).event == "thread.run.created"
    with pytest.raises(APIStreamError) as raised:
        next(stream)
    assert raised.value.code == "server_error"
    assert raised.value.message == "Sorry, something went wrong."
    assert stream.response.is_closed


def test_request_id_reaches_stream_errors() -> None:
    response = httpx.Response(
        200,
        headers={"content-type": "text/event-stream", "apim-request-id": "req-42"},
        content=sse("thread.run.created", run("queued")),
    )
    with pytest.raises(IncompleteStreamError, match="req-42"):
        list(AssistantStream(response))


# -- how streams end -----------------------------------------------------------------------------


def test_stream_without_done_while_running_is_incomplete() -> None:
    stream = stream_of(full_events()[:12], done=False)
    with pytest.raises(IncompleteStreamError, match="in_progress"):
        stream.until_done()


@pytest.mark.parametrize(
    "status", ["completed", "failed", "cancelled", "expired", "requires_action"]
)
def test_stream_without_done_after_a_final_status_is_complete(status: str) -> None:
    stream = stream_of(
        [("thread.run.created", run("queued")), (f"thread.run.{status}", run(status))], done=False
    )
    assert stream.final_run().status == status


def test_stream_cut_mid_event_is_incomplete() -> None:
    body = sse_body(full_events())
    cut = body[: body.index(b"thread.run.completed") + 40]
    with pytest.raises(IncompleteStreamError):
        list(AssistantStream(sse_response(cut)))


def test_empty_stream_is_incomplete() -> None:
    with pytest.raises(IncompleteStreamError, match="before any run event"):
        list(AssistantStream(sse_response(b"")))


def test_broken_connection_is_incomplete() -> None:
    class Broken(httpx.SyncByteStream):
        def __iter__(self) -> Any:
            yield sse("thread.run.created", run("queued"))
            raise httpx.RemoteProtocolError("peer closed connection")

    response = httpx.Response(200, headers={"content-type": "text/event-stream"}, stream=Broken())
    with pytest.raises(IncompleteStreamError, match="RemoteProtocolError"):
        list(AssistantStream(response))


def test_context_manager_closes_early_without_error() -> None:
    with stream_of(full_events()) as stream:
        first = next(iter(stream))
        assert first.event == "thread.run.created"
    assert stream.response.is_closed
    assert list(stream) == []


def test_final_run_without_any_run_event() -> None:
    stream = stream_of([("thread.created", thread_body())])
    with pytest.raises(IncompleteStreamError):
        stream.final_run()


# -- accumulation --------------------------------------------------------------------------------


def test_message_deltas_merge_into_the_snapshot() -> None:
    stream = stream_of([("thread.run.created", run("in_progress")), *message_events()], done=False)
    with pytest.raises(IncompleteStreamError):
        stream.until_done()
    snapshot = stream.current_message_snapshot
    assert snapshot is not None
    assert snapshot.id == MSG
    assert snapshot.status == "in_progress"
    text, image, second = snapshot.content
    assert text.text.value == FINAL_TEXT
    assert [a.model_dump(mode="json") for a in text.text.annotations] == [CITATION, FILE_PATH]
    assert image.image_file.file_id == "file-img"
    assert second.text.value == "Second part."


def test_completed_message_replaces_the_snapshot() -> None:
    stream = stream_of(full_events())
    messages = stream.final_messages()
    assert len(messages) == 1
    assert messages[0].model_dump(mode="json", exclude_unset=True) == final_message()


def test_tool_call_deltas_merge_into_the_step_snapshot() -> None:
    stream = stream_of(
        [("thread.run.created", run("in_progress")), *code_step_events()], done=False
    )
    with pytest.raises(IncompleteStreamError):
        stream.until_done()
    step = stream.current_run_step_snapshot
    assert step is not None
    code, search = step.step_details.tool_calls
    assert code.id == "call_ci"
    assert code.code_interpreter.input == "print(1+1)"
    logs, image = code.code_interpreter.outputs
    assert logs.logs == "2\n"
    assert image.image.file_id == "file-img"
    assert search.type == "file_search"
    assert search.id == "call_fs"


def test_function_call_deltas_and_required_tool_calls() -> None:
    events = function_call_events()
    stream = stream_of(events)
    final = stream.final_run()
    assert final.status == "requires_action"
    (call,) = stream.required_tool_calls
    assert call.id == "call_001"
    assert json.loads(call.function.arguments) == {"city": "Paris"}
    (step,) = stream.run_step_snapshots
    (function_call,) = step.step_details.tool_calls
    assert function_call.function.name == "get_weather"
    assert function_call.function.arguments == '{"city":"Paris"}'
    assert function_call.function.output is None


def test_latest_run_is_kept_and_thread_remembered() -> None:
    stream = stream_of([("thread.created", thread_body(id=THREAD)), *full_events()])
    assert stream.current_run is None
    run_ = stream.final_run()
    assert run_.status == "completed"
    assert stream.current_run is run_
    assert stream.thread is not None
    assert stream.thread.id == THREAD
    assert [s.id for s in stream.final_run_steps()] == ["step_code", "step_abc123"]
    assert stream.required_tool_calls == []


def test_text_deltas() -> None:
    pieces = list(stream_of(full_events()).text_deltas())
    assert (
        "".join(pieces)
        == "Deep learning means 🧠 learningSecond part.【4:0†source】 see sandbox:/mnt/data/out.csv"
    )


def test_deltas_before_created_still_accumulate() -> None:
    events = [
        ("thread.run.created", run("in_progress")),
        ("thread.message.delta", delta_text("msg_x", 0, "orphan")),
    ]
    stream = stream_of([*events, ("thread.run.completed", run("completed"))])
    stream.until_done()
    (message,) = stream.message_snapshots
    assert message.id == "msg_x"
    assert message.content[0].text.value == "orphan"


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=10**6), max_size=40))
def test_rechunking_gives_identical_events_and_snapshots(cuts: list[int]) -> None:
    body = sse_body(full_events())
    points = sorted({c % (len(body) + 1) for c in cuts})
    chunks = [body[a:b] for a, b in zip([0, *points], [*points, len(body)], strict=True) if b > a]
    reference = stream_of(full_events())
    expected = dumps(list(reference))
    stream = AssistantStream(sse_response(chunks))
    assert dumps(list(stream)) == expected
    assert dumps(stream.message_snapshots) == dumps(reference.message_snapshots)
    assert dumps(stream.run_step_snapshots) == dumps(reference.run_step_snapshots)


def test_bytewise_chunks_mid_snapshot_match(caplog: pytest.LogCaptureFixture) -> None:
    events = [*message_events(), ("thread.run.completed", run("completed"))]
    body = sse_body(events, done=False)
    whole = stream_of(events, done=False)
    bytewise = AssistantStream(sse_response([body[i : i + 1] for i in range(len(body))]))
    for a, b in zip(whole, bytewise, strict=True):
        assert dumps([a]) == dumps([b])
        assert dumps([whole.current_message_snapshot]) == dumps([bytewise.current_message_snapshot])
    # Snapshots of a message still being written are partial by nature, not spec deviations.
    assert "deviates" not in caplog.text


# -- handlers ------------------------------------------------------------------------------------


class Recorder(AssistantEventHandler):
    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []

    def on_event(self, event: Any) -> None:
        self.calls.append(("event", event.event))

    def on_run_step_created(self, run_step: Any) -> None:
        self.calls.append(("step_created", run_step.id))

    def on_run_step_delta(self, delta: Any, snapshot: Any) -> None:
        self.calls.append(("step_delta", snapshot.id))

    def on_run_step_done(self, run_step: Any) -> None:
        self.calls.append(("step_done", run_step.status))

    def on_tool_call_created(self, tool_call: Any) -> None:
        self.calls.append(("tool_created", tool_call.id))

    def on_tool_call_delta(self, delta: Any, snapshot: Any) -> None:
        self.calls.append(("tool_delta", snapshot.type))

    def on_tool_call_done(self, tool_call: Any) -> None:
        self.calls.append(("tool_done", tool_call.model_dump(mode="json", exclude_unset=True)))

    def on_requires_action(self, run: Any, tool_calls: Any) -> None:
        self.calls.append(("requires_action", [c.id for c in tool_calls]))

    def on_message_created(self, message: Any) -> None:
        self.calls.append(("message_created", message.id))

    def on_message_delta(self, delta: Any, snapshot: Any) -> None:
        self.calls.append(("message_delta", len(snapshot.content)))

    def on_message_done(self, message: Any) -> None:
        self.calls.append(("message_done", message.status))

    def on_text_created(self, text: Any) -> None:
        self.calls.append(("text_created", text.value))

    def on_text_delta(self, delta: Any, snapshot: Any) -> None:
        self.calls.append(("text_delta", (delta.value, snapshot.value)))

    def on_text_done(self, text: Any) -> None:
        self.calls.append(("text_done", text.value))

    def on_image_file_done(self, image_file: Any) -> None:
        self.calls.append(("image_done", image_file.file_id))

    def on_end(self) -> None:
        self.calls.append(("end", None))

    def on_exception(self, exception: Exception) -> None:
        self.calls.append(("exception", type(exception).__name__))


class AsyncRecorder(AsyncAssistantEventHandler):
    """Forwards every hook to a sync Recorder, so both styles are compared call for call."""

    def __init__(self) -> None:
        self.sync = Recorder()
        self.calls = self.sync.calls


def _forward(hook: str) -> Any:
    async def forward(self: AsyncRecorder, *args: Any) -> None:
        getattr(self.sync, hook)(*args)

    return forward


for _hook in (name for name in vars(Recorder) if name.startswith("on_")):
    setattr(AsyncRecorder, _hook, _forward(_hook))


def without_events(calls: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [call for call in calls if call[0] != "event"]


EXPECTED_FULL_CALLS: list[tuple[str, Any]] = [
    ("step_created", "step_code"),
    ("step_delta", "step_code"),
    ("tool_created", "call_ci"),
    ("tool_delta", "code_interpreter"),
    ("step_delta", "step_code"),
    ("tool_delta", "code_interpreter"),
    ("step_delta", "step_code"),
    ("tool_delta", "code_interpreter"),
    ("step_delta", "step_code"),
    ("tool_delta", "code_interpreter"),
    ("step_delta", "step_code"),
    ("tool_delta", "code_interpreter"),
    ("step_delta", "step_code"),
    ("tool_delta", "code_interpreter"),
    ("step_delta", "step_code"),
    ("tool_created", "call_fs"),
    ("tool_delta", "file_search"),
    (
        "tool_done",
        {
            "id": "call_ci",
            "type": "code_interpreter",
            "code_interpreter": {
                "input": "print(1+1)",
                "outputs": [
                    {"type": "logs", "logs": "2\n"},
                    {"type": "image", "image": {"file_id": "file-img"}},
                ],
            },
        },
    ),
    ("tool_done", {"id": "call_fs", "type": "file_search", "file_search": {}}),
    ("step_done", "completed"),
    ("step_created", "step_abc123"),
    ("message_created", MSG),
    ("message_delta", 1),
    ("text_created", "Deep learning "),
    ("text_delta", ("Deep learning ", "Deep learning ")),
    ("message_delta", 2),
    ("message_delta", 2),
    ("text_delta", ("means 🧠 learning", "Deep learning means 🧠 learning")),
    ("message_delta", 3),
    ("text_created", "Second part."),
    ("text_delta", ("Second part.", "Second part.")),
    ("message_delta", 3),
    ("text_delta", ("【4:0†source】", "Deep learning means 🧠 learning【4:0†source】")),
    ("message_delta", 3),
    ("text_delta", (" see sandbox:/mnt/data/out.csv", FINAL_TEXT)),
    ("message_delta", 3),
    ("text_delta", (None, FINAL_TEXT)),
    ("message_delta", 3),
    ("text_delta", (None, FINAL_TEXT)),
    ("text_done", FINAL_TEXT),
    ("image_done", "file-img"),
    ("text_done", "Second part."),
    ("message_done", "completed"),
    ("step_done", "completed"),
    ("end", None),
]


def test_handler_methods_are_called_in_order() -> None:
    recorder = Recorder()
    stream = stream_of(full_events(), handler=recorder)
    assert recorder.stream is stream
    assert stream.event_handler is recorder
    stream.until_done()
    assert without_events(recorder.calls) == EXPECTED_FULL_CALLS
    assert [c[1] for c in recorder.calls if c[0] == "event"] == [name for name, _ in full_events()]


def test_iterating_also_drives_the_handler() -> None:
    recorder = Recorder()
    events = list(stream_of(full_events(), handler=recorder))
    assert len(events) == len(full_events())
    assert without_events(recorder.calls) == EXPECTED_FULL_CALLS


def test_handler_sees_exceptions_which_are_raised_again() -> None:
    recorder = Recorder()
    with pytest.raises(IncompleteStreamError):
        stream_of(full_events()[:5], done=False, handler=recorder).until_done()
    assert recorder.calls[-1] == ("exception", "IncompleteStreamError")
    assert ("end", None) not in recorder.calls


def test_handler_with_only_some_hooks() -> None:
    class TextOnly(AssistantEventHandler):
        def __init__(self) -> None:
            self.text = ""

        def on_text_delta(self, delta: Any, snapshot: Any) -> None:
            self.text = snapshot.value

    handler = TextOnly()
    stream_of(full_events(), handler=handler).until_done()
    assert handler.text == FINAL_TEXT


def test_requires_action_calls_the_handler_with_the_tool_calls() -> None:
    recorder = Recorder()
    stream_of(function_call_events(), handler=recorder).until_done()
    calls = without_events(recorder.calls)
    assert ("requires_action", ["call_001"]) in calls
    done = [c for c in calls if c[0] == "tool_done"]
    assert done == [
        (
            "tool_done",
            {
                "id": "call_001",
                "type": "function",
                "function": {
                    "name": "get_weather",
                    "arguments": '{"city":"Paris"}',
                    "output": None,
                },
            },
        )
    ]
    assert calls.index(done[0]) < calls.index(("requires_action", ["call_001"]))


# -- through the client --------------------------------------------------------------------------


def test_create_stream_sends_stream_true(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    route = mock_api.post(RUNS_PATH).mock(return_value=sse_response(sse_body(full_events())))
    stream = client.threads.runs.create(THREAD, assistant_id="asst_abc123", stream=True)
    assert isinstance(stream, AssistantStream)
    assert stream.final_run().status == "completed"
    request = route.calls.last.request
    assert json.loads(request.content) == {"assistant_id": "asst_abc123", "stream": True}
    assert request.headers["accept"].startswith("text/event-stream")


def test_function_tool_round_trip(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    mock_api.post(RUNS_PATH).mock(return_value=sse_response(sse_body(function_call_events())))
    submit = mock_api.post(f"{RUNS_PATH}/{RUN}/submit_tool_outputs").mock(
        return_value=sse_response(sse_body(answer_events()))
    )
    with client.threads.runs.stream(
        THREAD, assistant_id="asst_abc123", tools=[WEATHER_TOOL]
    ) as stream:
        run_ = stream.final_run()
    assert run_.status == "requires_action"
    outputs = [
        {"tool_call_id": call.id, "output": "18C and sunny"} for call in stream.required_tool_calls
    ]
    with client.threads.runs.submit_tool_outputs(
        run_.id, thread_id=THREAD, tool_outputs=outputs, stream=True
    ) as more:
        text = "".join(more.text_deltas())
    assert text == "It is 18C and sunny in Paris."
    assert more.final_run().status == "completed"
    assert json.loads(submit.calls.last.request.content) == {
        "tool_outputs": outputs,
        "stream": True,
    }


def test_handler_answers_tool_calls_from_inside_the_stream(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    mock_api.post(RUNS_PATH).mock(return_value=sse_response(sse_body(function_call_events())))
    mock_api.post(f"{RUNS_PATH}/{RUN}/submit_tool_outputs").mock(
        return_value=sse_response(sse_body(answer_events()))
    )
    answers: list[str] = []

    class Answering(AssistantEventHandler):
        def on_requires_action(self, run: Any, tool_calls: Any) -> None:
            outputs = [{"tool_call_id": c.id, "output": "18C"} for c in tool_calls]
            follow_up = client.threads.runs.submit_tool_outputs(
                run.id,
                thread_id=run.thread_id,
                tool_outputs=outputs,
                stream=True,
                event_handler=Collect(),
            )
            follow_up.until_done()

    class Collect(AssistantEventHandler):
        def on_text_done(self, text: Any) -> None:
            answers.append(text.value)

    with client.threads.runs.stream(
        THREAD, assistant_id="asst_abc123", event_handler=Answering()
    ) as stream:
        stream.until_done()
    assert answers == ["It is 18C and sunny in Paris."]


def test_create_and_run_stream(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    route = mock_api.post("/threads/runs").mock(
        return_value=sse_response(sse_body([("thread.created", thread_body()), *full_events()]))
    )
    stream = client.threads.create_and_run(
        assistant_id="asst_abc123",
        thread={"messages": [{"role": "user", "content": "hi"}]},
        stream=True,
    )
    assert stream.final_messages()[0].content[0].text.value == FINAL_TEXT
    assert stream.thread is not None
    assert json.loads(route.calls.last.request.content)["stream"] is True


def test_stream_request_answered_with_json_is_an_error(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    mock_api.post(RUNS_PATH).respond(200, json=run("queued"))
    with pytest.raises(APIResponseValidationError, match="non-stream"):
        client.threads.runs.create(THREAD, assistant_id="asst_abc123", stream=True)


def test_stream_request_failing_with_a_status(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    mock_api.post(RUNS_PATH).respond(
        400, json={"error": {"code": "invalid_request", "message": "Thread is busy"}}
    )
    with pytest.raises(BadRequestError, match="Thread is busy"):
        client.threads.runs.stream(THREAD, assistant_id="asst_abc123")


def test_sync_client_refuses_an_async_handler(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    mock_api.post(RUNS_PATH).mock(return_value=sse_response(sse_body(full_events())))
    with pytest.raises(TypeError, match="AssistantEventHandler"):
        client.threads.runs.stream(
            THREAD, assistant_id="asst_abc123", event_handler=AsyncRecorder()
        )  # type: ignore[arg-type]


def test_raw_response_of_a_stream(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    mock_api.post(RUNS_PATH).mock(return_value=sse_response(sse_body(full_events())))
    raw = client.with_raw_response.threads.runs.stream(THREAD, assistant_id="asst_abc123")
    assert raw.headers["content-type"] == "text/event-stream"
    assert raw.parse().final_run().status == "completed"


# -- async ----------------------------------------------------------------------------------------


async def test_async_events_match_sync() -> None:
    sync_events = dumps(list(stream_of(full_events())))
    stream = async_stream_of(full_events())
    assert dumps([event async for event in stream]) == sync_events
    assert (await stream.final_run()).status == "completed"


async def test_async_handler_mirrors_sync() -> None:
    recorder = AsyncRecorder()
    stream = async_stream_of(full_events(), handler=recorder)
    assert recorder.stream is stream
    await stream.until_done()
    assert without_events(recorder.calls) == EXPECTED_FULL_CALLS


async def test_async_accumulation_and_helpers() -> None:
    stream = async_stream_of([("thread.created", thread_body()), *full_events()])
    pieces = [piece async for piece in stream.text_deltas()]
    assert "".join(pieces).startswith("Deep learning means")
    messages = await stream.final_messages()
    assert messages[0].content[0].text.value == FINAL_TEXT
    steps = await stream.final_run_steps()
    assert steps[0].step_details.tool_calls[0].code_interpreter.input == "print(1+1)"


async def test_async_stream_endings() -> None:
    with pytest.raises(IncompleteStreamError):
        await async_stream_of(full_events()[:6], done=False).until_done()
    finished = async_stream_of([("thread.run.completed", run("completed"))], done=False)
    assert (await finished.final_run()).status == "completed"
    events = [
        ("thread.run.created", run("queued")),
        ("error", {"code": "rate_limit_exceeded", "message": "Slow down"}),
    ]
    recorder = AsyncRecorder()
    with pytest.raises(APIStreamError, match="Slow down"):
        await async_stream_of(events, done=False, handler=recorder).until_done()
    assert recorder.calls[-1] == ("exception", "APIStreamError")


async def test_async_context_manager_closes_early() -> None:
    async with async_stream_of(full_events()) as stream:
        first = await stream.__anext__()
        assert first.event == "thread.run.created"
    assert stream.response.is_closed


async def test_async_runs_stream_as_context_manager(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    mock_api.post(RUNS_PATH).mock(return_value=sse_response(sse_body(function_call_events())))
    mock_api.post(f"{RUNS_PATH}/{RUN}/submit_tool_outputs").mock(
        return_value=sse_response(sse_body(answer_events()))
    )
    async with async_client.threads.runs.stream(THREAD, assistant_id="asst_abc123") as stream:
        run_ = await stream.final_run()
    assert stream.response.is_closed
    outputs = [{"tool_call_id": c.id, "output": "18C"} for c in stream.required_tool_calls]
    more = await async_client.threads.runs.submit_tool_outputs(
        run_.id, thread_id=THREAD, tool_outputs=outputs, stream=True
    )
    assert isinstance(more, AsyncAssistantStream)
    async with more:
        assert "".join([p async for p in more.text_deltas()]) == "It is 18C and sunny in Paris."


async def test_async_runs_stream_awaited(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    mock_api.post(RUNS_PATH).mock(return_value=sse_response(sse_body(full_events())))
    recorder = AsyncRecorder()
    stream = await async_client.threads.runs.stream(
        THREAD, assistant_id="asst_abc123", event_handler=recorder
    )
    await stream.until_done()
    assert recorder.calls[-1] == ("end", None)


async def test_async_create_and_run_stream(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    mock_api.post("/threads/runs").mock(
        return_value=sse_response(sse_body([("thread.created", thread_body()), *full_events()]))
    )
    stream = await async_client.threads.create_and_run(assistant_id="asst_abc123", stream=True)
    assert (await stream.final_run()).status == "completed"
    assert stream.thread is not None


async def test_async_client_refuses_a_sync_handler(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    mock_api.post(RUNS_PATH).mock(return_value=sse_response(sse_body(full_events())))
    with pytest.raises(TypeError, match="AsyncAssistantEventHandler"):
        await async_client.threads.runs.create(
            THREAD, assistant_id="a", stream=True, event_handler=Recorder()
        )


async def test_async_raw_stream(async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter) -> None:
    mock_api.post(RUNS_PATH).mock(return_value=sse_response(sse_body(full_events())))
    raw = await async_client.with_raw_response.threads.runs.stream(
        THREAD, assistant_id="asst_abc123"
    )
    assert (await raw.parse().final_run()).status == "completed"


async def test_async_rechunked_bytewise() -> None:
    body = sse_body(full_events())
    stream = AsyncAssistantStream(sse_response([body[i : i + 7] for i in range(0, len(body), 7)]))
    assert dumps([e async for e in stream]) == dumps(list(stream_of(full_events())))


# -- hostile data ----------------------------------------------------------------------------------

HOSTILE = {
    "delta data is a string": [("thread.message.delta", json.dumps("garbage"))],
    "delta data is a list": [("thread.message.delta", [1, 2])],
    "content part of an unknown type without index": [
        (
            "thread.message.delta",
            content_delta({"type": "video", "url": "https://example.com/v.mp4"}),
        )
    ],
    "message delta without delta": [
        ("thread.message.delta", {"id": MSG, "object": "thread.message.delta"})
    ],
    "step delta data is a list": [("thread.run.step.delta", ["x"])],
    "completed message is a string": [("thread.message.completed", json.dumps("x"))],
    "run data is a string": [("thread.run.in_progress", json.dumps("x"))],
}


class Everything(AssistantEventHandler):
    """Overrides every hook, so that every snapshot is built for every event."""

    def on_event(self, event: Any) -> None: ...
    def on_run_step_delta(self, delta: Any, snapshot: Any) -> None: ...
    def on_tool_call_delta(self, delta: Any, snapshot: Any) -> None: ...
    def on_tool_call_created(self, tool_call: Any) -> None: ...
    def on_message_delta(self, delta: Any, snapshot: Any) -> None: ...
    def on_text_delta(self, delta: Any, snapshot: Any) -> None: ...
    def on_text_created(self, text: Any) -> None: ...
    def on_message_done(self, message: Any) -> None: ...
    def on_text_done(self, text: Any) -> None: ...


@pytest.mark.parametrize("case", sorted(HOSTILE))
@pytest.mark.parametrize("with_handler", [False, True], ids=["events", "handler"])
def test_off_spec_data_never_breaks_the_stream(case: str, with_handler: bool) -> None:
    events = [
        ("thread.run.created", run("queued")),
        *HOSTILE[case],
        ("thread.run.completed", run("completed")),
    ]
    stream = stream_of(events, handler=Everything() if with_handler else None)
    delivered = list(stream)
    assert len(delivered) == len(events)
    assert stream.final_run().status == "completed"
    assert isinstance(stream.message_snapshots, list)
    assert isinstance(stream.run_step_snapshots, list)
    assert list(stream_of(events).text_deltas()) == []


def test_a_newer_services_run_event_still_updates_the_run() -> None:
    # thread.run.incomplete exists in later api-versions; this spec does not know it.
    stream = stream_of(
        [("thread.run.created", run("queued")), ("thread.run.incomplete", run("incomplete"))],
        done=False,
    )
    events = list(stream)
    assert isinstance(events[1], UnknownStreamEvent)
    assert stream.final_run().status == "incomplete"


def test_assistant_stream_event_alias_is_exported() -> None:
    import typing

    from azure_oai_preview import AssistantStreamEvent, models

    # One source of truth: the generated union itself, with its fallback member for events
    # this spec does not know (error and done are members too; they raise and end).
    assert AssistantStreamEvent is models.AssistantStreamEvent
    assert UnknownStreamEvent is models.UnknownAssistantStreamEvent

    def members(tp: Any) -> set[Any]:
        args = typing.get_args(tp)
        if not args:
            return {tp}
        if typing.get_origin(tp) is typing.Annotated:
            return members(args[0])
        return set().union(*(members(arg) for arg in args))

    expected = {getattr(models, cls) for cls in STREAM_EVENTS.values()}
    assert members(AssistantStreamEvent) == expected | {UnknownStreamEvent}


def test_trio_stream_with_handler(mock_api: respx.MockRouter) -> None:
    import trio
    from _assistants_support import BASE_ENDPOINT

    mock_api.post(RUNS_PATH).mock(return_value=sse_response(sse_body(full_events())))
    recorder = AsyncRecorder()

    async def main() -> str:
        async with AsyncAzureOpenAI(endpoint=BASE_ENDPOINT, api_key="k") as client:
            async with client.threads.runs.stream(
                THREAD, assistant_id="asst_abc123", event_handler=recorder
            ) as stream:
                await stream.until_done()
            return str((await stream.final_run()).status)

    assert trio.run(main) == "completed"
    assert without_events(recorder.calls) == EXPECTED_FULL_CALLS
