"""An event handler must suit its client: ``def`` hooks on the sync client, ``async def`` hooks on
the async one. A mismatch is an ``EventHandlerError`` naming the class and the hook, raised
before the request is sent - never a bare ``TypeError`` from deep inside the stream."""

from __future__ import annotations

import pickle
from typing import Any

import httpx
import pytest
import respx
from _assistants_support import run, sse_body, sse_response

from azure_oai_preview import (
    AssistantEventHandler,
    AssistantStream,
    AsyncAssistantEventHandler,
    AsyncAssistantStream,
    AsyncAzureOpenAI,
    AzureOpenAI,
    EventHandlerError,
)

THREAD, RUN = "thread_abc123", "run_abc123"
RUNS_PATH = f"/threads/{THREAD}/runs"


def events() -> list[tuple[str, Any]]:
    return [("thread.run.created", run("queued")), ("thread.run.completed", run("completed"))]


class PlainDefHooks(AsyncAssistantEventHandler):
    """The mistake: an async handler whose hook is a plain ``def``."""

    def on_event(self, event: Any) -> None:  # type: ignore[override]
        pass


class AsyncDefHooks(AssistantEventHandler):
    """The converse: a sync handler whose hook is an ``async def`` (never awaited)."""

    async def on_end(self) -> None:  # type: ignore[override]
        pass


class GoodAsync(AsyncAssistantEventHandler):
    def __init__(self) -> None:
        self.events: list[str] = []

    async def on_event(self, event: Any) -> None:
        self.events.append(event.event)


class GoodSync(AssistantEventHandler):
    def __init__(self) -> None:
        self.events: list[str] = []

    def on_event(self, event: Any) -> None:
        self.events.append(event.event)


def _check(error: EventHandlerError, handler: str, hook: str | None, advice: str) -> None:
    assert isinstance(error, TypeError), "still a TypeError, as a wrong handler always was"
    assert error.handler == handler
    assert error.hook == hook
    assert handler in str(error)
    if hook is not None:
        assert f"{handler}.{hook}" in str(error)
    assert advice in str(error)


async def test_async_client_refuses_a_plain_def_hook_before_sending(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    route = mock_api.post(RUNS_PATH).mock(return_value=sse_response(sse_body(events())))
    with pytest.raises(EventHandlerError) as info:
        async with async_client.threads.runs.stream(
            THREAD, assistant_id="a", event_handler=PlainDefHooks()
        ):
            pass
    _check(info.value, "PlainDefHooks", "on_event", "async def")
    with pytest.raises(EventHandlerError):
        await async_client.threads.runs.create(
            THREAD, assistant_id="a", stream=True, event_handler=PlainDefHooks()
        )
    with pytest.raises(EventHandlerError):
        await async_client.threads.runs.submit_tool_outputs(
            RUN, thread_id=THREAD, tool_outputs=[], stream=True, event_handler=PlainDefHooks()
        )
    with pytest.raises(EventHandlerError):
        await async_client.threads.create_and_run(
            assistant_id="a", stream=True, event_handler=PlainDefHooks()
        )
    assert mock_api.calls.call_count == 0, "nothing is sent"
    assert not route.called


def test_sync_client_refuses_an_async_def_hook_before_sending(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    mock_api.post(RUNS_PATH).mock(return_value=sse_response(sse_body(events())))
    with pytest.raises(EventHandlerError) as info:
        client.threads.runs.stream(THREAD, assistant_id="a", event_handler=AsyncDefHooks())
    _check(info.value, "AsyncDefHooks", "on_end", "AsyncAssistantEventHandler")
    with pytest.raises(EventHandlerError):
        client.threads.create_and_run(assistant_id="a", stream=True, event_handler=AsyncDefHooks())
    assert mock_api.calls.call_count == 0


async def test_wrong_flavour_is_refused_before_sending(
    client: AzureOpenAI, async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    mock_api.post(RUNS_PATH).mock(return_value=sse_response(sse_body(events())))
    with pytest.raises(EventHandlerError) as info:
        await async_client.threads.runs.stream(
            THREAD,
            assistant_id="a",
            event_handler=GoodSync(),  # pyright: ignore[reportArgumentType]
        )
    _check(info.value, "GoodSync", None, "AsyncAssistantEventHandler")
    with pytest.raises(EventHandlerError) as info:
        client.threads.runs.submit_tool_outputs(
            RUN,
            thread_id=THREAD,
            tool_outputs=[],
            stream=True,
            event_handler=GoodAsync(),  # pyright: ignore[reportArgumentType]
        )
    _check(info.value, "GoodAsync", None, "AssistantEventHandler")
    assert mock_api.calls.call_count == 0


def test_a_handler_class_instead_of_an_instance_is_refused(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    with pytest.raises(EventHandlerError, match=r"GoodSync\(\)") as info:
        client.threads.runs.stream(
            THREAD,
            assistant_id="a",
            event_handler=GoodSync,  # pyright: ignore[reportArgumentType]
        )
    assert info.value.handler == "GoodSync"
    assert mock_api.calls.call_count == 0


def test_a_stream_built_directly_checks_its_handler() -> None:
    response = httpx.Response(200, content=sse_body(events()))
    with pytest.raises(EventHandlerError, match=r"AsyncDefHooks\.on_end"):
        AssistantStream(response, AsyncDefHooks())
    with pytest.raises(EventHandlerError, match=r"PlainDefHooks\.on_event"):
        AsyncAssistantStream(response, PlainDefHooks())


def test_the_error_survives_pickling() -> None:
    response = httpx.Response(200, content=sse_body(events()))
    with pytest.raises(EventHandlerError) as info:
        AssistantStream(response, AsyncDefHooks())
    copy = pickle.loads(pickle.dumps(info.value))
    assert (copy.handler, copy.hook, str(copy)) == ("AsyncDefHooks", "on_end", str(info.value))


async def test_suitable_handlers_still_run(
    client: AzureOpenAI, async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    mock_api.post(RUNS_PATH).mock(return_value=sse_response(sse_body(events())))
    sync_handler, async_handler = GoodSync(), GoodAsync()
    with client.threads.runs.stream(THREAD, assistant_id="a", event_handler=sync_handler) as s:
        s.until_done()
    async with async_client.threads.runs.stream(
        THREAD, assistant_id="a", event_handler=async_handler
    ) as stream:
        await stream.until_done()
    assert sync_handler.events == async_handler.events
    assert sync_handler.events == ["thread.run.created", "thread.run.completed"]
