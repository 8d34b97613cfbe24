"""The run streams, their handlers, and how run-streaming calls open them.

:class:`AssistantStream` and :class:`AsyncAssistantStream` are the two loops that feed a
:class:`~._machine.RunStreamMachine` and call the hooks it plans; everything they show
(``current_run``, snapshots...) is read from it. :class:`AssistantEventHandler` and
:class:`AsyncAssistantEventHandler` are the two flavours of the one hook table
:class:`~._handlers.EventHooks`. A stream that stops before ``done`` and before its run
settled raises :class:`~azure_oai_preview.IncompleteStreamError` (with ``partial``);
closing a stream early (``with`` block, :meth:`~AssistantStream.close`) is not an error, but
the helpers that promise a final result (``until_done``, ``final_run``...) then raise it.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Generator, Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

import httpx

from .._closing import AsyncClosesOnExit, ClosesOnExit
from .._exceptions import EventHandlerError, request_id_of
from .._json import json_list
from .._resource import AsyncMode, AsyncRawMode, SyncMode, SyncRawMode
from .._sse import SSEDecoder
from .._streaming import (
    ReleasesWhenDropped,
    adrain,
    aensure_event_stream,
    drain,
    ensure_event_stream,
)
from ._accumulator import RAW_TYPES
from ._events import DONE
from ._handlers import EventHandlerFor, EventHooks, overridden_hooks
from ._machine import RunStreamMachine

if TYPE_CHECKING:
    from typing_extensions import Self

    from .._call import AsyncExecutor, Call, SyncExecutor
    from ..models import (
        AssistantStreamEvent,
        MessageObject,
        RunObject,
        RunStepObject,
        RunToolCallObject,
        ThreadObject,
    )

__all__ = [
    "AssistantEventHandler",
    "AssistantStream",
    "AssistantStreamReader",
    "AsyncAssistantEventHandler",
    "AsyncAssistantStream",
    "AsyncAssistantStreamManager",
]

HandlerT = TypeVar("HandlerT", bound="AssistantEventHandler | AsyncAssistantEventHandler")
StreamT = TypeVar("StreamT")


class AssistantEventHandler(
    EventHooks[None, "AssistantStream"], EventHandlerFor[SyncMode | SyncRawMode]
):
    """Override the methods for the events you care about; pass an instance as ``event_handler=``.

    The stream calls them as it reads (whether you iterate it or call
    :meth:`AssistantStream.until_done`). ``self.stream`` is the stream being read, for its
    snapshots (``current_run``, ``required_tool_calls``, ...). Methods you do not override
    cost nothing: snapshots are only built for the ones you do.
    """

    def _nothing(self) -> None:
        return None


async def _nothing_to_do() -> None:
    return None


class AsyncAssistantEventHandler(
    EventHooks[Awaitable[None], "AsyncAssistantStream"], EventHandlerFor[AsyncMode | AsyncRawMode]
):
    """The async twin of :class:`AssistantEventHandler`: the same methods, as coroutines."""

    def _nothing(self) -> Awaitable[None]:
        return _nothing_to_do()


class _StreamView(Generic[HandlerT], ReleasesWhenDropped):
    """What both streams show about the run so far (nothing here does I/O)."""

    response: httpx.Response
    request_id: str | None
    _machine: RunStreamMachine
    _handler: HandlerT | None

    def _start(self, response: httpx.Response, handler: HandlerT | None) -> None:
        self.response = response
        self.request_id = request_id_of(response.headers)
        self._handler = handler
        self._machine = RunStreamMachine(self.request_id, handler)

    @property
    def event_handler(self) -> HandlerT | None:
        return self._handler

    @property
    def current_event(self) -> AssistantStreamEvent | None:
        """The last event read."""
        return self._machine.current_event

    @property
    def current_run(self) -> RunObject | None:
        """The latest run object the stream carried."""
        return self._machine.acc.run

    @property
    def thread(self) -> ThreadObject | None:
        """The thread the stream created (``create_and_run``), if any."""
        return self._machine.acc.thread

    @property
    def current_message_snapshot(self) -> MessageObject | None:
        """The message being written, with the deltas so far merged in."""
        acc = self._machine.acc
        return None if acc.current_message_id is None else acc.message(acc.current_message_id)

    @property
    def current_run_step_snapshot(self) -> RunStepObject | None:
        """The run step in progress, with the deltas so far merged in."""
        acc = self._machine.acc
        return None if acc.current_step_id is None else acc.step(acc.current_step_id)

    @property
    def required_tool_calls(self) -> list[RunToolCallObject]:
        """The function calls to answer with ``runs.submit_tool_outputs`` (empty unless the
        run is ``requires_action``)."""
        return self._machine.acc.required_tool_calls

    @property
    def message_snapshots(self) -> list[MessageObject]:
        """Every message seen so far, as merged snapshots."""
        return self._machine.acc.messages

    @property
    def run_step_snapshots(self) -> list[RunStepObject]:
        """Every run step seen so far, as merged snapshots."""
        return self._machine.acc.steps

    def _final_run(self) -> RunObject:
        run = self._machine.acc.run
        if run is None:
            raise self._machine.no_run()
        return run

    def __repr__(self) -> str:
        run = self._machine.acc.run
        return f"<{type(self).__name__} run={getattr(run, 'id', None)!r} status={str(getattr(run, 'status', None))!r}>"


def _text_pieces(event: Any) -> Iterator[str]:
    if getattr(event, "event", None) != "thread.message.delta":
        return
    delta = getattr(event.data, "delta", None)
    # Only typed text is text: an off-spec event holds raw values where the typed ones
    # would be (a string for ``content``, a number for a ``value``...).
    for part in json_list(getattr(delta, "content", None)):
        if type(part) not in RAW_TYPES and part.type == "text":
            value = getattr(getattr(part, "text", None), "value", None)
            if type(value) is str and value:
                yield value


def _events(
    response: httpx.Response, machine: RunStreamMachine, handler: AssistantEventHandler | None
) -> Generator[AssistantStreamEvent, None, None]:
    # A function of what it reads, never of the stream (see ReleasesWhenDropped).
    byte_iter = response.iter_bytes()
    sse = SSEDecoder()
    try:
        try:
            for data in byte_iter:
                for item in sse.feed(data):
                    event = machine.feed(item)
                    if event is DONE:
                        break
                    if handler is not None:
                        for hook, args in machine.hooks(event):
                            result = hook(*args)
                            if result is not None:
                                _returned(handler, hook, result)
                    if not machine.quiet:
                        yield event
                if machine.done:
                    drain(byte_iter)
                    break
            else:
                machine.ended(sse)
        except (httpx.TransportError, httpx.DecodingError) as exc:
            raise machine.broken(exc) from exc
        if handler is not None:
            handler.on_end()
    except Exception as exc:
        if handler is not None:
            handler.on_exception(exc)
        raise
    finally:
        response.close()


async def _aevents(
    response: httpx.Response,
    machine: RunStreamMachine,
    handler: AsyncAssistantEventHandler | None,
) -> AsyncGenerator[AssistantStreamEvent, None]:
    byte_iter = response.aiter_bytes()
    sse = SSEDecoder()
    try:
        try:
            async for data in byte_iter:
                for item in sse.feed(data):
                    event = machine.feed(item)
                    if event is DONE:
                        break
                    if handler is not None:
                        for hook, args in machine.hooks(event):
                            await _awaitable(handler, hook, hook(*args))
                    if not machine.quiet:
                        yield event
                if machine.done:
                    await adrain(byte_iter)
                    break
            else:
                machine.ended(sse)
        except (httpx.TransportError, httpx.DecodingError) as exc:
            raise machine.broken(exc) from exc
        if handler is not None:
            await _awaitable(handler, handler.on_end, handler.on_end())
    except Exception as exc:
        if handler is not None:
            await _awaitable(handler, handler.on_exception, handler.on_exception(exc))
        raise
    finally:
        await response.aclose()


class AssistantStream(_StreamView[AssistantEventHandler], ClosesOnExit):
    """The events of a run as they happen, with the snapshots they add up to.

    Iterate it (``for event in stream``) for typed events, or call :meth:`until_done` to let
    an :class:`AssistantEventHandler` react; both can be combined. Use it as a context
    manager (or call :meth:`close`) to release the connection early - not an error.
    """

    def __init__(
        self, response: httpx.Response, event_handler: AssistantEventHandler | None = None
    ) -> None:
        if error := handler_error(event_handler, for_async=False):
            response.close()
            raise error
        self._start(response, event_handler)
        if event_handler is not None:
            event_handler.stream = self
        self._iterator = _events(response, self._machine, event_handler)

    def __iter__(self) -> Iterator[AssistantStreamEvent]:
        # The stream itself, not its generator: whoever iterates keeps the stream alive,
        # so it is dropped (and its connection released) only when nobody reads it.
        return self

    def __next__(self) -> AssistantStreamEvent:
        return next(self._iterator)

    def text_deltas(self) -> Iterator[str]:
        """Only the pieces of message text, as they arrive."""
        for event in self._iterator:
            yield from _text_pieces(event)

    def until_done(self) -> Self:
        """Read the rest of the stream (calling the handler, if any).

        Raises :class:`~azure_oai_preview.IncompleteStreamError` (``partial``: a
        ``RunStreamSnapshot``) when the stream cannot be read to its end: it was closed
        early (a ``with`` block left, :meth:`close`), or an error - a broken connection, an
        ``error`` event, a handler method that raised - stopped it before.
        """
        with self._machine.quietly():
            for _ in self._iterator:
                pass
        self._machine.require_end()
        return self

    def final_run(self) -> RunObject:
        """Read the rest of the stream; the run as it last was (completed, requires_action, ...).

        Raises ``IncompleteStreamError`` like :meth:`until_done`: a stream closed before its
        end has no final run.
        """
        return self.until_done()._final_run()

    def final_messages(self) -> list[MessageObject]:
        """Read the rest of the stream; every message it wrote, complete (raises like
        :meth:`until_done`)."""
        return self.until_done().message_snapshots

    def final_run_steps(self) -> list[RunStepObject]:
        """Read the rest of the stream; every run step it took, complete (raises like
        :meth:`until_done`)."""
        return self.until_done().run_step_snapshots

    def close(self) -> None:
        """Stop reading and release the connection."""
        self._iterator.close()
        self.response.close()


class AsyncAssistantStream(_StreamView[AsyncAssistantEventHandler], AsyncClosesOnExit):
    """The async twin of :class:`AssistantStream`: ``async for event in stream``, ``async with``."""

    def __init__(
        self, response: httpx.Response, event_handler: AsyncAssistantEventHandler | None = None
    ) -> None:
        if error := handler_error(event_handler, for_async=True):
            raise error  # (through the client, the call was refused before it was sent)
        self._start(response, event_handler)
        if event_handler is not None:
            event_handler.stream = self
        self._iterator = _aevents(response, self._machine, event_handler)

    def __aiter__(self) -> AsyncIterator[AssistantStreamEvent]:
        return self

    async def __anext__(self) -> AssistantStreamEvent:
        return await self._iterator.__anext__()

    async def text_deltas(self) -> AsyncIterator[str]:
        """Only the pieces of message text, as they arrive."""
        async for event in self._iterator:
            for piece in _text_pieces(event):
                yield piece

    async def until_done(self) -> Self:
        """Read the rest of the stream (awaiting the handler, if any); raises
        ``IncompleteStreamError`` like :meth:`AssistantStream.until_done`."""
        with self._machine.quietly():
            async for _ in self._iterator:
                pass
        self._machine.require_end()
        return self

    async def final_run(self) -> RunObject:
        """Read the rest of the stream; the run as it last was (raises like :meth:`until_done`)."""
        return (await self.until_done())._final_run()

    async def final_messages(self) -> list[MessageObject]:
        """Read the rest of the stream; every message it wrote (raises like :meth:`until_done`)."""
        return (await self.until_done()).message_snapshots

    async def final_run_steps(self) -> list[RunStepObject]:
        """Read the rest of the stream; every run step it took (raises like :meth:`until_done`)."""
        return (await self.until_done()).run_step_snapshots

    async def close(self) -> None:
        """Stop reading and release the connection."""
        await self._iterator.aclose()
        await self.response.aclose()


# -- wiring into calls --------------------------------------------------------------------------


class AssistantStreamReader:
    """Result reader of the run-streaming calls: checks the answer is an event stream, then
    opens the stream with the handler (checked to suit the client when the call is built,
    so that a wrong one is refused before anything is sent)."""

    __slots__ = ("event_handler",)

    def __init__(self, event_handler: object, *, for_async: bool) -> None:
        if error := handler_error(event_handler, for_async=for_async):
            raise error
        self.event_handler = event_handler

    def read_sync(
        self, response: httpx.Response, executor: SyncExecutor, call: Call[Any, Any], /
    ) -> AssistantStream:
        ensure_event_stream(response)
        return AssistantStream(response, cast("AssistantEventHandler | None", self.event_handler))

    async def read_async(
        self, response: httpx.Response, executor: AsyncExecutor, call: Call[Any, Any], /
    ) -> AsyncAssistantStream:
        await aensure_event_stream(response)
        return AsyncAssistantStream(
            response, cast("AsyncAssistantEventHandler | None", self.event_handler)
        )


def handler_error(handler: object, *, for_async: bool) -> EventHandlerError | None:
    """Why ``handler`` does not suit the sync (or async) client, as far as its class shows,
    or None.

    It must be an instance of the client's handler class; on the sync client no hook it
    overrides may be an ``async def`` (it would never be awaited). What the class cannot
    show - whether an async client's hook gives an awaitable - is checked when the hook is
    called (:func:`_awaitable`, :func:`_returned`).
    """
    if handler is None:
        return None
    if for_async:
        right, other, client = AsyncAssistantEventHandler, AssistantEventHandler, "async"
        fix = "subclass AssistantEventHandler and use the sync AzureOpenAI client"
    else:
        right, other, client = AssistantEventHandler, AsyncAssistantEventHandler, "sync"
        fix = "subclass AsyncAssistantEventHandler and use AsyncAzureOpenAI"
    if isinstance(handler, type):
        name = handler.__name__
        return EventHandlerError(
            f"got the class {name}, not a handler: pass an instance, {name}()", handler=name
        )
    name = type(handler).__name__
    if isinstance(handler, other):
        return EventHandlerError(
            f"the {client} client needs an {right.__name__}, not {name} (an "
            f"{other.__name__}); {fix}",
            handler=name,
        )
    if not isinstance(handler, right):
        return EventHandlerError(f"expected an {right.__name__}, got {name}", handler=name)
    if for_async:
        # Whether a hook gives an awaitable cannot be told before it is called (a decorated
        # hook, a callable object, a plain def returning one): its result is checked when it
        # is called (_awaitable). On the sync client an ``async def`` hook is plainly wrong.
        return None
    for hook in overridden_hooks(type(handler)):
        if _is_async_callable(getattr(type(handler), hook.__name__)):
            return EventHandlerError(
                f"{name}.{hook.__name__} is an `async def`, but the sync client calls hooks "
                f"without awaiting them: write it as a plain `def`, or {fix}",
                handler=name,
                hook=hook.__name__,
            )
    return None


def _is_async_callable(function: object) -> bool:
    """Whether calling ``function`` gives a coroutine, as far as can be told without calling
    it: an ``async def`` behind decorators that keep ``__wrapped__``, or an object whose class
    has an ``async def __call__``."""
    if isinstance(function, (staticmethod, classmethod)):
        function = cast("Any", function).__func__
    if callable(function):
        function = inspect.unwrap(function)
    call: object = getattr(type(function), "__call__", None)  # noqa: B004
    return (
        inspect.iscoroutinefunction(function)
        or inspect.isasyncgenfunction(function)
        or (not inspect.isfunction(function) and inspect.iscoroutinefunction(call))
    )


def _hook_name(hook: object) -> str:
    return getattr(hook, "__name__", None) or type(hook).__name__


def _returned(handler: object, hook: object, result: object) -> None:
    """A sync client's hook returned a value: an awaitable (an async hook the class check
    could not see, never to run) is an error; anything else is ignored, as it always was."""
    if not inspect.isawaitable(result):
        return
    if inspect.iscoroutine(result):
        result.close()  # no "never awaited" warning on top of the error
    name = _hook_name(hook)
    raise EventHandlerError(
        f"{type(handler).__name__}.{name} returned an awaitable, which the sync client does "
        "not await: write the hook as a plain `def`, or subclass AsyncAssistantEventHandler "
        "and use AsyncAzureOpenAI",
        handler=type(handler).__name__,
        hook=name,
    )


def _awaitable(handler: object, hook: object, result: object) -> Any:
    """``result`` of calling an async client's hook, to be awaited; EventHandlerError (naming
    the hook) when it is not awaitable - a plain ``def`` hook on the async client."""
    if inspect.isawaitable(result):
        return result
    name = _hook_name(hook)
    raise EventHandlerError(
        f"{type(handler).__name__}.{name} returned {type(result).__name__}, not an awaitable, "
        f"but the async client awaits every hook: write it as `async def {name}(...)`, or "
        "subclass AssistantEventHandler and use the sync AzureOpenAI client",
        handler=type(handler).__name__,
        hook=name,
    )


class AsyncAssistantStreamManager(Generic[StreamT]):
    """What async ``runs.stream(...)`` returns: await it, or use it directly with ``async with``.

    ``async with client.threads.runs.stream(...) as stream:`` opens the stream on entry and
    closes it on exit; ``stream = await client.threads.runs.stream(...)`` just opens it.
    """

    __slots__ = ("_open", "_stream")

    def __init__(self, open_stream: Callable[[], Any]) -> None:
        self._open = open_stream
        self._stream: Any = None

    def __await__(self) -> Generator[Any, None, StreamT]:
        return self._open().__await__()

    async def __aenter__(self) -> StreamT:
        self._stream = await self._open()
        return self._stream

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._stream is not None:
            await self._stream.close()
