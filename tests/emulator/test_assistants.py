"""Assistants, threads, messages and runs: state, the run state machine, streams, paging."""

from __future__ import annotations

import json
from typing import Any

import anyio
import pytest

from azure_oai_preview import AzureOpenAI, BadRequestError, NotFoundError
from azure_oai_preview.testing import Emulator

from ._support import WEATHER_TOOL, raw


def _setup(client: AzureOpenAI, question: str = "use get_weather") -> tuple[str, str]:
    assistant = client.assistants.create(model="gpt-4o", instructions="Help.", tools=[WEATHER_TOOL])
    thread = client.threads.create(messages=[{"role": "user", "content": question}])
    return assistant.id, thread.id


def test_run_settles_after_creation_by_default(azure_openai_emulator: Emulator) -> None:
    client = azure_openai_emulator.client()
    assistant_id, thread_id = _setup(client, "hello there")
    run = client.threads.runs.create(thread_id, assistant_id=assistant_id)
    assert run.status == "queued"
    assert run.usage is None
    assert run.expires_at is not None
    run = client.threads.runs.retrieve(run.id, thread_id=thread_id)
    assert run.status == "completed"
    assert run.started_at is not None
    assert run.completed_at is not None
    assert run.expires_at is None
    assert run.usage.total_tokens == run.usage.prompt_tokens + run.usage.completion_tokens > 0
    messages = client.threads.messages.list(thread_id, order="asc").data
    assert [m.role for m in messages] == ["user", "assistant"]
    assert messages[1].content[0].text.value == 'You said: "hello there"'
    assert (messages[1].run_id, messages[1].assistant_id) == (run.id, assistant_id)
    steps = client.threads.runs.steps.list(run.id, thread_id=thread_id).data
    assert [(s.type, s.status) for s in steps] == [("message_creation", "completed")]
    assert steps[0].step_details.message_creation.message_id == messages[1].id


def test_function_tool_loop_requires_action_then_completes(azure_openai_emulator: Emulator) -> None:
    client = azure_openai_emulator.client()
    assistant_id, thread_id = _setup(client)
    run = client.threads.runs.create_and_poll(thread_id, assistant_id=assistant_id, poll_interval=0)
    assert run.status == "requires_action"
    calls = run.required_action.submit_tool_outputs.tool_calls
    assert [c.function.name for c in calls] == ["get_weather"]
    assert json.loads(calls[0].function.arguments)["city"] == "Paris"
    with pytest.raises(BadRequestError, match="Expected tool outputs"):
        client.threads.runs.submit_tool_outputs(run.id, thread_id=thread_id, tool_outputs=[])
    with pytest.raises(BadRequestError, match="active"):
        client.threads.messages.create(thread_id, role="user", content="meanwhile")
    # As on the service (OpenAI's answers too): 400 invalid_request_error, not a 409.
    with pytest.raises(
        BadRequestError, match=f"Thread {thread_id} already has an active run"
    ) as busy:
        client.threads.runs.create(thread_id, assistant_id=assistant_id)
    assert type(busy.value) is BadRequestError
    assert busy.value.status_code == 400
    run = client.threads.runs.submit_tool_outputs_and_poll(
        run.id,
        thread_id=thread_id,
        tool_outputs=[{"tool_call_id": calls[0].id, "output": "22C"}],
        poll_interval=0,
    )
    assert run.status == "completed"
    answer = client.threads.messages.list(thread_id, limit=1).data[0]
    assert answer.content[0].text.value == "get_weather returned 22C."
    tool_step = next(
        s
        for s in client.threads.runs.steps.list(run.id, thread_id=thread_id)
        if s.type == "tool_calls"
    )
    assert tool_step.status == "completed"
    assert tool_step.step_details.tool_calls[0].function.output == "22C"
    with pytest.raises(BadRequestError, match="do not accept tool outputs"):
        client.threads.runs.submit_tool_outputs(run.id, thread_id=thread_id, tool_outputs=[])


@pytest.mark.azure_openai_emulator(progress="on_read")
def test_each_read_moves_the_run_one_step(azure_openai_emulator: Emulator) -> None:
    client = azure_openai_emulator.client()
    assistant_id, thread_id = _setup(client, "hi")
    run = client.threads.runs.create(thread_id, assistant_id=assistant_id)
    seen = [run.status] + [
        client.threads.runs.retrieve(run.id, thread_id=thread_id).status for _ in range(3)
    ]
    assert seen == ["queued", "in_progress", "completed", "completed"]


@pytest.mark.azure_openai_emulator(progress="manual")
def test_manual_progress_cancel_and_expiry(azure_openai_emulator: Emulator) -> None:
    client = azure_openai_emulator.client()
    assistant_id, thread_id = _setup(client, "hi")
    run = client.threads.runs.create(thread_id, assistant_id=assistant_id)
    assert client.threads.runs.retrieve(run.id, thread_id=thread_id).status == "queued"
    assert azure_openai_emulator.advance() == 1
    assert azure_openai_emulator.state.run(run.id).status == "in_progress"
    cancelling = client.threads.runs.cancel(run.id, thread_id=thread_id)
    assert cancelling.status == "cancelling"
    azure_openai_emulator.settle()
    cancelled = client.threads.runs.retrieve(run.id, thread_id=thread_id)
    assert cancelled.status == "cancelled"
    assert cancelled.cancelled_at is not None
    with pytest.raises(BadRequestError, match="Cannot cancel"):
        client.threads.runs.cancel(run.id, thread_id=thread_id)
    # a run left waiting for tool outputs expires when the clock passes expires_at
    client.threads.messages.create(thread_id, role="user", content="get_weather please")
    waiting = client.threads.runs.create(thread_id, assistant_id=assistant_id)
    azure_openai_emulator.settle()
    assert azure_openai_emulator.state.run(waiting.id).status == "requires_action"
    azure_openai_emulator.clock.advance(601)
    expired = client.threads.runs.retrieve(waiting.id, thread_id=thread_id)
    assert expired.status == "expired"
    assert [s.status for s in azure_openai_emulator.state.run_step_list(waiting.id)] == ["expired"]


def test_scripted_failure_and_filtered_prompt_fail_the_run(azure_openai_emulator: Emulator) -> None:
    client = azure_openai_emulator.client()
    assistant_id, thread_id = _setup(client, "hi")
    azure_openai_emulator.script.fail_run("rate_limit_exceeded", "Slow down.")
    run = client.threads.runs.create_and_poll(thread_id, assistant_id=assistant_id, poll_interval=0)
    assert run.status == "failed"
    assert run.failed_at is not None
    assert (run.last_error.code, run.last_error.message) == ("rate_limit_exceeded", "Slow down.")
    azure_openai_emulator.filters.block_prompt("forbidden")
    client.threads.messages.create(thread_id, role="user", content="forbidden words")
    run = client.threads.runs.create_and_poll(thread_id, assistant_id=assistant_id, poll_interval=0)
    assert run.status == "failed"
    assert "content management policy" in run.last_error.message


def test_stream_sends_the_documented_events(azure_openai_emulator: Emulator) -> None:
    client = azure_openai_emulator.client()
    assistant_id, thread_id = _setup(client)
    with client.threads.runs.stream(thread_id, assistant_id=assistant_id) as stream:
        names = [e.event for e in stream]
        calls = stream.required_tool_calls
        run = stream.final_run()
    assert names[:5] == [
        "thread.run.created",
        "thread.run.queued",
        "thread.run.in_progress",
        "thread.run.step.created",
        "thread.run.step.in_progress",
    ]
    assert set(names[5:-1]) == {"thread.run.step.delta"}
    assert names[-1] == "thread.run.requires_action"
    assert run.status == "requires_action"
    deltas = [
        json.loads(d)
        for e, d in azure_openai_emulator.history[-1].events()
        if e == "thread.run.step.delta"
    ]
    arguments = "".join(
        d["delta"]["step_details"]["tool_calls"][0]["function"]["arguments"] for d in deltas
    )
    assert json.loads(arguments) == json.loads(calls[0].function.arguments)
    assert azure_openai_emulator.history[-1].events()[-1] == ("done", "[DONE]")
    with client.threads.runs.submit_tool_outputs(
        run.id,
        thread_id=thread_id,
        tool_outputs=[{"tool_call_id": calls[0].id, "output": "sunny"}],
        stream=True,
    ) as stream:
        text = "".join(stream.text_deltas())
        names = [e for e, _ in azure_openai_emulator.history[-1].events()]
    assert text == "get_weather returned sunny."
    assert names[:2] == ["thread.run.step.completed", "thread.run.queued"]
    assert names[-2:] == ["thread.run.completed", "done"]
    assert "thread.message.delta" in names
    assert "thread.message.completed" in names


def test_streamed_tool_step_carries_each_argument_once(azure_openai_emulator: Emulator) -> None:
    # The service announces a tool step without calls; the calls come in the deltas only.
    client = azure_openai_emulator.client()
    assistant_id, thread_id = _setup(client)
    with client.threads.runs.stream(thread_id, assistant_id=assistant_id) as stream:
        stream.until_done()
        snapshot = stream.run_step_snapshots[0]
        calls = stream.required_tool_calls
    announced = [
        json.loads(data)
        for event, data in azure_openai_emulator.history[-1].events()
        if event in ("thread.run.step.created", "thread.run.step.in_progress")
    ]
    assert [a["step_details"] for a in announced] == [{"type": "tool_calls", "tool_calls": []}] * 2
    assert [a["usage"] for a in announced] == [None, None]
    streamed = snapshot.step_details.tool_calls
    assert [(c.id, c.function.name) for c in streamed] == [(c.id, "get_weather") for c in calls]
    assert streamed[0].function.arguments == calls[0].function.arguments
    assert json.loads(streamed[0].function.arguments) == {
        "city": "Paris",
        "unit": "celsius",
        "days": 0,
    }
    # Retrieving the step (not streamed) shows the calls it made.
    step = client.threads.runs.steps.retrieve(
        snapshot.id, thread_id=thread_id, run_id=snapshot.run_id
    )
    assert step.status == "in_progress"
    assert step.step_details.tool_calls[0].function.arguments == calls[0].function.arguments
    assert step.usage is None


def test_run_steps_carry_their_usage_once_they_end(azure_openai_emulator: Emulator) -> None:
    client = azure_openai_emulator.client()
    assistant_id, thread_id = _setup(client)
    run = client.threads.runs.create_and_poll(thread_id, assistant_id=assistant_id, poll_interval=0)
    calls = run.required_action.submit_tool_outputs.tool_calls
    run = client.threads.runs.submit_tool_outputs_and_poll(
        run.id,
        thread_id=thread_id,
        tool_outputs=[{"tool_call_id": calls[0].id, "output": "22C"}],
        poll_interval=0,
    )
    steps = client.threads.runs.steps.list(run.id, thread_id=thread_id, order="asc").data
    assert [(s.type, s.status) for s in steps] == [
        ("tool_calls", "completed"),
        ("message_creation", "completed"),
    ]
    for step in steps:
        usage = step.usage
        assert usage is not None
        assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens
        assert usage.prompt_tokens > 0
    # The run's usage is the sum of its steps'.
    for name in ("prompt_tokens", "completion_tokens", "total_tokens"):
        assert getattr(run.usage, name) == sum(getattr(s.usage, name) for s in steps)
    # A step that ends otherwise (here: the run expires waiting for outputs) has its usage too.
    client.threads.messages.create(thread_id, role="user", content="get_weather again")
    waiting = client.threads.runs.create_and_poll(
        thread_id, assistant_id=assistant_id, poll_interval=0
    )
    azure_openai_emulator.clock.advance(601)
    client.threads.runs.retrieve(waiting.id, thread_id=thread_id)
    (expired,) = azure_openai_emulator.state.run_step_list(waiting.id)
    assert expired.status == "expired"
    assert expired.usage is not None
    assert expired.usage.total_tokens > 0


def test_create_thread_and_run_streams_the_thread_first(azure_openai_emulator: Emulator) -> None:
    client = azure_openai_emulator.client()
    assistant = client.assistants.create(model="gpt-4o")
    with client.threads.create_and_run(
        assistant_id=assistant.id,
        thread={"messages": [{"role": "user", "content": "hi"}]},
        stream=True,
    ) as stream:
        events = [e.event for e in stream]
        messages = stream.final_messages()
    assert events[0] == "thread.created"
    assert events[-1] == "thread.run.completed"
    assert messages[-1].content[0].text.value == 'You said: "hi"'


def test_deletes_delete(azure_openai_emulator: Emulator) -> None:
    client = azure_openai_emulator.client()
    assistant_id, thread_id = _setup(client, "hi")
    client.threads.runs.create_and_poll(thread_id, assistant_id=assistant_id, poll_interval=0)
    assert client.threads.delete(thread_id).deleted is True
    assert client.assistants.delete(assistant_id).deleted is True
    with pytest.raises(NotFoundError):
        client.threads.retrieve(thread_id)
    with pytest.raises(NotFoundError):
        client.assistants.retrieve(assistant_id)
    assert azure_openai_emulator.state.thread_list() == []
    assert azure_openai_emulator.state.runs == {}


def test_updates_and_state_api(azure_openai_emulator: Emulator) -> None:
    client = azure_openai_emulator.client()
    assistant = client.assistants.create(model="gpt-4o", name="first", metadata={"team": "a"})
    client.assistants.update(assistant.id, name="second")
    stored = azure_openai_emulator.state.assistant_list()
    assert [(a.name, a.metadata) for a in stored] == [("second", {"team": "a"})]
    stored[0].name = "changed in the test"  # copies: the emulator is not affected
    assert client.assistants.retrieve(assistant.id).name == "second"


def test_pagination_after_before_limit_order(azure_openai_emulator: Emulator) -> None:
    client = azure_openai_emulator.client()
    ids = [client.assistants.create(model="gpt-4o", name=str(i)).id for i in range(7)]
    newest_first = list(reversed(ids))
    page = client.assistants.list(limit=3)
    assert [a.id for a in page.data] == newest_first[:3]
    assert (page.first_id, page.last_id, page.has_more) == (newest_first[0], newest_first[2], True)
    assert [
        a.id for a in client.assistants.list(limit=2)
    ] == newest_first  # iterating follows cursors
    after = client.assistants.list(limit=3, after=newest_first[2])
    assert [a.id for a in after.data] == newest_first[3:6]
    assert after.has_more
    last = client.assistants.list(limit=3, after=newest_first[5])
    assert [a.id for a in last.data] == newest_first[6:]
    assert not last.has_more
    asc = client.assistants.list(order="asc", limit=100)
    assert [a.id for a in asc.data] == ids
    assert not asc.has_more
    before = client.assistants.list(order="asc", before=ids[5], limit=2)
    assert [a.id for a in before.data] == ids[3:5]
    assert before.has_more
    with raw(azure_openai_emulator) as http:
        assert http.get("/assistants", params={"limit": 0}).status_code == 400
        assert http.get("/assistants", params={"limit": 101}).status_code == 400
        assert (
            http.get("/assistants", params={"after": "asst_unknown"}).json()["error"]["param"]
            == "after"
        )
    empty = client.threads.messages.list(client.threads.create().id)
    assert (empty.data, empty.has_more) == ([], False)


def test_messages_filter_by_run(azure_openai_emulator: Emulator) -> None:
    client = azure_openai_emulator.client()
    assistant_id, thread_id = _setup(client, "hi")
    run = client.threads.runs.create_and_poll(thread_id, assistant_id=assistant_id, poll_interval=0)
    by_run = client.threads.messages.list(thread_id, run_id=run.id).data
    assert [m.role for m in by_run] == ["assistant"]


async def _async_tool_loop(emulator: Emulator) -> str:
    async with emulator.async_client() as client:
        assistant = await client.assistants.create(model="gpt-4o", tools=[WEATHER_TOOL])
        thread = await client.threads.create(messages=[{"role": "user", "content": "get_weather?"}])
        run = await client.threads.runs.create_and_poll(
            thread.id, assistant_id=assistant.id, poll_interval=0
        )
        call: Any = run.required_action.submit_tool_outputs.tool_calls[0]
        stream = await client.threads.runs.submit_tool_outputs(
            run.id,
            thread_id=thread.id,
            tool_outputs=[{"tool_call_id": call.id, "output": "ok"}],
            stream=True,
        )
        async with stream:
            return "".join([text async for text in stream.text_deltas()])


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_async_tool_loop_under_asyncio_and_trio(
    azure_openai_emulator: Emulator, backend: str
) -> None:
    assert (
        anyio.run(_async_tool_loop, azure_openai_emulator, backend=backend)
        == "get_weather returned ok."
    )
