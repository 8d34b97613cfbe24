"""Polling helpers: runs, threads+runs, vector store files and batches, sync, asyncio and trio."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx
import trio
from _assistants_support import WEATHER_TOOL, file_batch_body, run_body, vector_store_file_body
from _support import Clock

from azure_oai_preview import AsyncAzureOpenAI, AzureOpenAI, PollTimeoutError

THREAD, RUN = "thread_abc123", "run_abc123"
RUN_PATH = f"/threads/{THREAD}/runs/{RUN}"
REQUIRED_ACTION = {
    "type": "submit_tool_outputs",
    "submit_tool_outputs": {
        "tool_calls": [
            {
                "id": "call_1",
                "type": "function",
                "function": {"name": "get_weather", "arguments": "{}"},
            }
        ]
    },
}


def statuses(*names: str, **changes: Any) -> Callable[[httpx.Request], httpx.Response]:
    """A retrieve endpoint that answers with these run statuses in turn (the last repeats)."""
    answers = list(names)

    def answer(request: httpx.Request) -> httpx.Response:
        status = answers.pop(0) if len(answers) > 1 else answers[0]
        extra = {"required_action": REQUIRED_ACTION} if status == "requires_action" else {}
        return httpx.Response(200, json=run_body(status=status, **extra, **changes))

    return answer


# -- sync ------------------------------------------------------------------------------------------


def test_create_and_poll_until_completed(
    client: AzureOpenAI, mock_api: respx.MockRouter, clock: Clock
) -> None:
    create = mock_api.post(f"/threads/{THREAD}/runs").respond(200, json=run_body(status="queued"))
    retrieve = mock_api.get(RUN_PATH).mock(
        side_effect=statuses("in_progress", "in_progress", "completed")
    )
    run = client.threads.runs.create_and_poll(THREAD, assistant_id="asst_abc123", poll_interval=0.5)
    assert run.status == "completed"
    assert json.loads(create.calls.last.request.content) == {"assistant_id": "asst_abc123"}
    assert retrieve.call_count == 3
    assert clock.slept == [0.5, 0.5, 0.5]


def test_poll_stops_at_requires_action(
    client: AzureOpenAI, mock_api: respx.MockRouter, clock: Clock
) -> None:
    mock_api.get(RUN_PATH).mock(side_effect=statuses("queued", "requires_action"))
    run = client.threads.runs.poll(RUN, thread_id=THREAD)
    assert run.status == "requires_action"
    assert run.required_action is not None
    assert clock.slept == [1.0], "the first retrieval happens at once, then one default interval"


@pytest.mark.parametrize("final", ["completed", "failed", "cancelled", "expired", "incomplete"])
def test_poll_stops_at_every_final_status(
    client: AzureOpenAI, mock_api: respx.MockRouter, clock: Clock, final: str
) -> None:
    mock_api.get(RUN_PATH).mock(side_effect=statuses("cancelling", final))
    assert client.threads.runs.poll(RUN, thread_id=THREAD, poll_interval=2).status == final


def test_settled_run_is_not_polled(
    client: AzureOpenAI, mock_api: respx.MockRouter, clock: Clock
) -> None:
    mock_api.post(f"/threads/{THREAD}/runs").respond(200, json=run_body(status="completed"))
    retrieve = mock_api.get(RUN_PATH).respond(200, json=run_body(status="completed"))
    assert (
        client.threads.runs.create_and_poll(THREAD, assistant_id="asst_abc123").status
        == "completed"
    )
    assert not retrieve.called
    assert clock.slept == []


def test_timeout_raises_with_the_last_run(
    client: AzureOpenAI, mock_api: respx.MockRouter, clock: Clock
) -> None:
    mock_api.post(f"/threads/{THREAD}/runs").respond(200, json=run_body(status="queued"))
    retrieve = mock_api.get(RUN_PATH).mock(side_effect=statuses("in_progress"))
    with pytest.raises(PollTimeoutError) as raised:
        client.threads.runs.create_and_poll(
            THREAD, assistant_id="asst_abc123", poll_interval=2, timeout=5
        )
    error = raised.value
    assert error.last.status == "in_progress"
    assert error.timeout == 5
    assert "run_abc123" in str(error)
    assert "in_progress" in str(error)
    assert isinstance(error, TimeoutError)
    # Sleeps never overshoot the deadline, and the last retrieval happens at it.
    assert clock.slept == [2, 2, 1]
    assert retrieve.call_count == 3
    assert clock.now == 1005.0


def test_zero_timeout_on_an_unsettled_run(
    client: AzureOpenAI, mock_api: respx.MockRouter, clock: Clock
) -> None:
    mock_api.post(f"/threads/{THREAD}/runs").respond(200, json=run_body(status="queued"))
    with pytest.raises(PollTimeoutError):
        client.threads.runs.create_and_poll(THREAD, assistant_id="asst_abc123", timeout=0)
    assert clock.slept == []


@pytest.mark.parametrize(("interval", "timeout"), [(-1, None), (1, -1)])
def test_invalid_intervals_are_refused(
    client: AzureOpenAI,
    mock_api: respx.MockRouter,
    clock: Clock,
    interval: float,
    timeout: float | None,
) -> None:
    with pytest.raises(ValueError, match=">= 0"):
        client.threads.runs.poll(RUN, thread_id=THREAD, poll_interval=interval, timeout=timeout)
    assert not mock_api.calls


@pytest.mark.parametrize(("interval", "timeout"), [(-1, None), (1, -1)])
def test_invalid_intervals_are_refused_before_the_create_call(
    client: AzureOpenAI,
    mock_api: respx.MockRouter,
    clock: Clock,
    interval: float,
    timeout: float | None,
) -> None:
    # Wrong arguments fail before any network call: nothing is created only to fail polling.
    timing: dict[str, Any] = {"poll_interval": interval, "timeout": timeout}
    helpers: list[Callable[[], object]] = [
        lambda: client.threads.runs.create_and_poll(THREAD, assistant_id="a", **timing),
        lambda: client.threads.create_and_run_poll(assistant_id="a", **timing),
        lambda: client.threads.runs.submit_tool_outputs_and_poll(
            RUN, thread_id=THREAD, tool_outputs=[], **timing
        ),
        lambda: client.vector_stores.files.create_and_poll("vs_1", file_id="f", **timing),
        lambda: client.vector_stores.file_batches.create_and_poll("vs_1", file_ids=["f"], **timing),
    ]
    for helper in helpers:
        with pytest.raises(ValueError, match=">= 0"):
            helper()
    assert not mock_api.calls


def test_create_and_run_poll_follows_the_new_thread(
    client: AzureOpenAI, mock_api: respx.MockRouter, clock: Clock
) -> None:
    mock_api.post("/threads/runs").respond(
        200, json=run_body(status="queued", thread_id="thread_new")
    )
    retrieve = mock_api.get("/threads/thread_new/runs/run_abc123").mock(
        side_effect=statuses("completed", thread_id="thread_new")
    )
    run = client.threads.create_and_run_poll(
        assistant_id="asst_abc123",
        thread={"messages": [{"role": "user", "content": "hi"}]},
        poll_interval=0.1,
    )
    assert run.thread_id == "thread_new"
    assert retrieve.call_count == 1


def test_submit_tool_outputs_and_poll(
    client: AzureOpenAI, mock_api: respx.MockRouter, clock: Clock
) -> None:
    submit = mock_api.post(f"{RUN_PATH}/submit_tool_outputs").respond(
        200, json=run_body(status="queued", tools=[WEATHER_TOOL])
    )
    mock_api.get(RUN_PATH).mock(side_effect=statuses("in_progress", "completed"))
    outputs = [{"tool_call_id": "call_1", "output": "sunny"}]
    run = client.threads.runs.submit_tool_outputs_and_poll(
        RUN, thread_id=THREAD, tool_outputs=outputs
    )
    assert run.status == "completed"
    assert json.loads(submit.calls.last.request.content) == {"tool_outputs": outputs}


def test_vector_store_file_batch_and_file_polling(
    client: AzureOpenAI, mock_api: respx.MockRouter, clock: Clock
) -> None:
    mock_api.post("/vector_stores/vs_abc123/file_batches").respond(
        200, json=file_batch_body(status="in_progress")
    )
    batches = iter([file_batch_body(status="in_progress"), file_batch_body(status="completed")])
    mock_api.get("/vector_stores/vs_abc123/file_batches/vsfb_abc123").mock(
        side_effect=lambda request: httpx.Response(200, json=next(batches))
    )
    batch = client.vector_stores.file_batches.create_and_poll(
        "vs_abc123", file_ids=["file-abc123"], poll_interval=3
    )
    assert batch.status == "completed"
    assert clock.slept == [3, 3]

    mock_api.get("/vector_stores/vs_abc123/files/file-abc123").respond(
        200, json=vector_store_file_body(status="failed")
    )
    assert (
        client.vector_stores.files.poll("file-abc123", vector_store_id="vs_abc123").status
        == "failed"
    )
    mock_api.post("/vector_stores/vs_abc123/files").respond(
        200, json=vector_store_file_body(status="completed")
    )
    assert (
        client.vector_stores.files.create_and_poll("vs_abc123", file_id="file-abc123").status
        == "completed"
    )


def test_raw_view_polls_with_plain_results(
    client: AzureOpenAI, mock_api: respx.MockRouter, clock: Clock
) -> None:
    mock_api.get(RUN_PATH).mock(side_effect=statuses("queued", "completed"))
    run = client.with_raw_response.threads.runs.poll(RUN, thread_id=THREAD)
    assert run.status == "completed"


# -- async -----------------------------------------------------------------------------------------


async def test_async_create_and_poll(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter, clock: Clock
) -> None:
    mock_api.post(f"/threads/{THREAD}/runs").respond(200, json=run_body(status="queued"))
    mock_api.get(RUN_PATH).mock(side_effect=statuses("in_progress", "requires_action"))
    run = await async_client.threads.runs.create_and_poll(
        THREAD, assistant_id="asst_abc123", poll_interval=0.25
    )
    assert run.status == "requires_action"
    assert clock.slept == [0.25, 0.25]


async def test_async_timeout(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter, clock: Clock
) -> None:
    mock_api.get(RUN_PATH).mock(side_effect=statuses("in_progress"))
    with pytest.raises(PollTimeoutError):
        await async_client.threads.runs.poll(RUN, thread_id=THREAD, poll_interval=1, timeout=2.5)
    assert clock.slept == [1, 1, 0.5]


async def test_async_create_and_run_poll_and_batches(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter, clock: Clock
) -> None:
    mock_api.post("/threads/runs").respond(200, json=run_body(status="queued"))
    mock_api.get(RUN_PATH).mock(side_effect=statuses("completed"))
    assert (
        await async_client.threads.create_and_run_poll(assistant_id="asst_abc123")
    ).status == "completed"
    mock_api.get("/vector_stores/vs_abc123/file_batches/vsfb_abc123").respond(
        200, json=file_batch_body(status="cancelled")
    )
    batch = await async_client.vector_stores.file_batches.poll(
        "vsfb_abc123", vector_store_id="vs_abc123"
    )
    assert batch.status == "cancelled"


def test_trio_poll_uses_anyio_sleep(mock_api: respx.MockRouter, clock: Clock) -> None:
    mock_api.get(RUN_PATH).mock(side_effect=statuses("queued", "in_progress", "completed"))

    async def main() -> str:
        async with AsyncAzureOpenAI(
            endpoint="https://example-resource.openai.azure.com", api_key="k"
        ) as client:
            run = await client.threads.runs.poll(RUN, thread_id=THREAD, poll_interval=0.75)
            return str(run.status)

    assert trio.run(main) == "completed"
    assert clock.slept == [0.75, 0.75]


def test_real_sleep_is_used_without_patching(
    client: AzureOpenAI, mock_api: respx.MockRouter, monkeypatch: pytest.MonkeyPatch
) -> None:
    slept: list[float] = []
    monkeypatch.setattr("azure_oai_preview._polling.time.sleep", slept.append)
    mock_api.get(RUN_PATH).mock(side_effect=statuses("queued", "completed"))
    client.threads.runs.poll(RUN, thread_id=THREAD, poll_interval=0.01)
    assert slept == [0.01]
