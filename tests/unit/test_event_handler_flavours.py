"""An event handler must suit its client: ``def`` hooks on the sync client, hooks that give an
awaitable on the async one. A mismatch is an ``EventHandlerError`` naming the class and the
hook - never a bare ``TypeError`` from deep inside the stream. What can be told from the class
(the other client's handler, an ``async def`` hook on the sync client) is refused before the
request is sent; whether an async client's hook gives an awaitable is checked when it is
called, so decorated hooks, callable objects and plain functions returning one keep working."""

from __future__ import annotations

import functools
import gc
import pickle
import warnings
from collections.abc import Awaitable, Callable, Coroutine
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


async def test_async_client_refuses_a_plain_def_hook_when_it_is_called(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    mock_api.post(RUNS_PATH).mock(return_value=sse_response(sse_body(events())))
    mock_api.post("/threads/runs").mock(return_value=sse_response(sse_body(events())))
    with pytest.raises(EventHandlerError) as info:
        async with async_client.threads.runs.stream(
            THREAD, assistant_id="a", event_handler=PlainDefHooks()
        ) as stream:
            await stream.until_done()
    _check(info.value, "PlainDefHooks", "on_event", "async def")
    assert "returned NoneType, not an awaitable" in str(info.value)
    for stream_call in (
        lambda: async_client.threads.runs.create(
            THREAD, assistant_id="a", stream=True, event_handler=PlainDefHooks()
        ),
        lambda: async_client.threads.create_and_run(
            assistant_id="a", stream=True, event_handler=PlainDefHooks()
        ),
    ):
        opened = await stream_call()
        with pytest.raises(EventHandlerError):
            await opened.until_done()
        assert opened.response.is_closed


def _traced(hook: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., Any]:
    """A tracing decorator as users write them: a plain ``def`` that returns the coroutine."""

    @functools.wraps(hook)
    def wrapper(*args: Any) -> Any:
        return hook(*args)

    return wrapper


class _AsyncCall:
    def __init__(self, seen: list[str]) -> None:
        self.seen = seen

    async def __call__(self, event: Any) -> None:
        self.seen.append(event.event)


async def test_async_client_awaits_any_hook_that_gives_an_awaitable(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    mock_api.post(RUNS_PATH).mock(return_value=sse_response(sse_body(events())))
    seen: list[str] = []

    async def record(event: Any) -> None:
        seen.append(event.event)

    class Decorated(AsyncAssistantEventHandler):
        @_traced
        async def on_event(self, event: Any) -> None:
            seen.append(event.event)

    class CallableObject(AsyncAssistantEventHandler):
        on_event = _AsyncCall(seen)  # type: ignore[assignment]

    class ReturnsAwaitable(AsyncAssistantEventHandler):
        def on_event(self, event: Any) -> Awaitable[None]:  # type: ignore[override]
            return record(event)

    for handler in (Decorated(), CallableObject(), ReturnsAwaitable()):
        async with async_client.threads.runs.stream(
            THREAD, assistant_id="a", event_handler=handler
        ) as stream:
            await stream.until_done()
    assert seen == ["thread.run.created", "thread.run.completed"] * 3


def test_sync_client_refuses_async_hooks_it_can_see_before_sending(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    class Decorated(AssistantEventHandler):
        @_traced
        async def on_event(self, event: Any) -> None:
            pass

    class CallableObject(AssistantEventHandler):
        on_event = _AsyncCall([])  # type: ignore[assignment]

    for handler in (Decorated(), CallableObject()):
        with pytest.raises(EventHandlerError) as info:
            client.threads.runs.stream(THREAD, assistant_id="a", event_handler=handler)
        _check(info.value, type(handler).__name__, "on_event", "plain `def`")
    assert mock_api.calls.call_count == 0


def test_sync_client_refuses_a_hook_that_returns_an_awaitable_when_called(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    mock_api.post(RUNS_PATH).mock(return_value=sse_response(sse_body(events())))

    async def record(event: Any) -> None:
        pass

    class ReturnsCoroutine(AssistantEventHandler):
        def on_event(self, event: Any) -> None:
            return record(event)  # type: ignore[return-value]

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with (
            pytest.raises(EventHandlerError) as info,
            client.threads.runs.stream(
                THREAD, assistant_id="a", event_handler=ReturnsCoroutine()
            ) as stream,
        ):
            stream.until_done()
        gc.collect()
    _check(info.value, "ReturnsCoroutine", "on_event", "plain `def`")
    # The coroutine is closed, not left to warn that it was never awaited.
    assert not [w for w in caught if "never awaited" in str(w.message)]


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
    with pytest.raises(EventHandlerError, match=r"GoodSync"):
        AsyncAssistantStream(response, GoodSync())  # type: ignore[arg-type]


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
