"""``client.threads.runs`` and ``client.threads.runs.steps``: runs of an assistant on a thread.

A run is started with :meth:`Runs.create` (a ``RunObject`` to poll), ``create(...,
stream=True)`` or :meth:`Runs.stream` (an :class:`~azure_oai_preview.AssistantStream` of its
events), or :meth:`Runs.create_and_poll` (waits until it settles). A run that needs function
results stops in ``requires_action``; answer with :meth:`Runs.submit_tool_outputs` (again
plain, streamed or polled).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any, Concatenate, Literal, TypeVar, overload

from typing_extensions import ParamSpec, Unpack

from .._assistant_stream._handlers import EventHandlerFor
from .._assistant_stream._streams import (
    AssistantStream,
    AssistantStreamReader,
    AsyncAssistantStream,
    AsyncAssistantStreamManager,
)
from .._call import Call
from .._exceptions import InvalidRequestError
from .._options import PollOptions, RequestOptions, take_poll_options
from .._polling import (
    DEFAULT_POLL_INTERVAL,
    Flow,
    check_poll_timing,
    poll_until,
    run_settled,
    then_poll,
)
from .._resource import (
    Execution,
    M,
    Method,
    Resource,
    async_raw_view,
    async_view,
    method,
    overloaded,
    polling,
    raw_view,
    sync_view,
)
from ._common import wants_stream
from ._crud import body_call, list_call, plain_call

if TYPE_CHECKING:
    from .._pagination import AsyncCursorPage, CursorPage
    from .._raw import RawResponse
    from .._transport import AsyncCore, SyncCore
    from ..models import RunObject, RunStepObject
    from ._args import (
        CreateRunAndPollArgs,
        CreateRunArgs,
        ModifyRunArgs,
        SubmitToolOutputsAndPollArgs,
        SubmitToolOutputsToRunArgs,
    )

__all__ = ["Runs", "Steps", "opens_stream", "run_call", "run_then_poll"]

P = ParamSpec("P")
S = TypeVar("S")
AS = TypeVar("AS")


def run_call(
    operation_id: str,
    request: str,
    params: Mapping[str, Any],
    *,
    stream: bool | None,
    event_handler: EventHandlerFor[Any] | None,
    for_async: bool,
    **ids: str,
) -> Call[Any, Any]:
    """A run-starting call: a ``RunObject``, or with ``stream`` its assistant event stream.

    ``for_async`` says which client builds it: ``event_handler`` must suit that client
    (:class:`~azure_oai_preview.EventHandlerError` otherwise, before anything is sent).
    """
    stream = wants_stream(operation_id, stream)
    if event_handler is not None and not stream:
        raise InvalidRequestError(operation_id, [("event_handler", "needs stream=True")])
    reader = AssistantStreamReader(event_handler, for_async=for_async) if stream else None
    return body_call(operation_id, request, "RunObject", params, stream_reader=reader, **ids)


def _get_run(run_id: str, thread_id: str, options: Mapping[str, Any]) -> Call[RunObject, RunObject]:
    return plain_call("Get_Run", "RunObject", options, thread_id=thread_id, run_id=run_id)


def poll_from(
    thread_id: str | None,
    poll_interval: float,
    timeout: float | None,
    options: Mapping[str, Any],
) -> Callable[[Any], Flow[RunObject]]:
    """A poll of the run a create or submit call returned (skipped when it has settled).

    ``thread_id`` None takes the thread from the run itself (``create_and_run``). The timing
    is checked now, before the create or submit call is sent.
    """
    check_poll_timing(poll_interval, timeout)

    def poll(run: Any) -> Flow[RunObject]:
        thread = thread_id or run.thread_id
        return poll_until(
            lambda: _get_run(run.id, thread, options),
            run_settled,
            poll_interval=poll_interval,
            timeout=timeout,
            current=run,
        )

    return poll


def run_then_poll(
    operation_id: str,
    request: str,
    params: Mapping[str, Any],
    *,
    poll_interval: float,
    timeout: float | None,
    thread_id: str | None,
    **ids: str,
) -> Flow[RunObject]:
    """Start (or resume) a run with one request, then poll it until it settles.

    ``params`` holds the request's fields and the polling helper's per-request options:
    ``extra_body`` goes with this request only, the rest with every request.
    """
    fields, first, each = take_poll_options(params)
    path = {**ids, "thread_id": thread_id} if thread_id is not None else ids
    start = run_call(
        operation_id,
        request,
        {**fields, **first},
        stream=None,
        event_handler=None,
        for_async=False,  # (no handler to check)
        **path,
    )
    return then_poll(start, poll_from(thread_id, poll_interval, timeout, each))


class _OpenStream(Execution):
    """``runs.stream``: on the async client the method returns an
    :class:`~azure_oai_preview._assistant_stream.AsyncAssistantStreamManager`, so that
    ``async with runs.stream(...) as s`` reads like the sync ``with``; ``await`` works too."""

    __slots__ = ()

    def bind(self, core: SyncCore | AsyncCore, build: Callable[..., Any]) -> Callable[..., Any]:
        if not core.is_async or core.raw:
            return super().bind(core, build)
        execute = self.runner(core)

        def open_async(*args: Any, **kwargs: Any) -> AsyncAssistantStreamManager[Any]:
            async def opened() -> Any:
                return await execute(build(*args, **kwargs))

            return AsyncAssistantStreamManager[Any](opened)

        return open_async


OPEN_STREAM = _OpenStream()


def opens_stream(
    builder: Callable[Concatenate[Any, P], Call[S, AS]],
) -> Method[
    Callable[P, S],
    Callable[P, AsyncAssistantStreamManager[AS]],
    Callable[P, RawResponse[S]],
    Callable[P, Coroutine[Any, Any, RawResponse[AS]]],
]:
    """Decorates a builder of a stream-opening call run with :data:`OPEN_STREAM`."""
    return Method(builder, OPEN_STREAM)


class Steps(Resource[M]):
    """``client.threads.runs.steps``: what a run did, step by step."""

    @method
    def list(
        self,
        run_id: str,
        *,
        thread_id: str,
        limit: int | None = None,
        order: Literal["asc", "desc"] | None = None,
        after: str | None = None,
        before: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Call[CursorPage[RunStepObject], AsyncCursorPage[RunStepObject]]:
        """List the steps of a run (``List_Run_Steps``): messages written, tools called."""
        query = {"limit": limit, "order": order, "after": after, "before": before}
        return list_call(
            "List_Run_Steps",
            "ListRunStepsResponse",
            query,
            options,
            thread_id=thread_id,
            run_id=run_id,
        )

    @method
    def retrieve(
        self, step_id: str, *, thread_id: str, run_id: str, **options: Unpack[RequestOptions]
    ) -> Call[RunStepObject, RunStepObject]:
        """Retrieve a run step (``Get_Run_Step``)."""
        return plain_call(
            "Get_Run_Step",
            "RunStepObject",
            options,
            thread_id=thread_id,
            run_id=run_id,
            step_id=step_id,
        )


class Runs(Resource[M]):
    """``client.threads.runs``: runs of an assistant on a thread."""

    @overload
    def _create(
        self,
        thread_id: str,
        *,
        stream: Literal[False] | None = None,
        **params: Unpack[CreateRunArgs],
    ) -> Call[RunObject, RunObject]: ...
    @overload
    def _create(
        self,
        thread_id: str,
        *,
        stream: Literal[True],
        event_handler: EventHandlerFor[M] | None = None,
        **params: Unpack[CreateRunArgs],
    ) -> Call[AssistantStream, AsyncAssistantStream]: ...
    def _create(
        self,
        thread_id: str,
        *,
        stream: bool | None = None,
        event_handler: EventHandlerFor[M] | None = None,
        **params: Unpack[CreateRunArgs],
    ) -> Call[Any, Any]:
        """Start a run of ``assistant_id`` on a thread (``Create_Run``).

        Returns the run as created (``queued``); poll it, or use :meth:`Runs.create_and_poll`.
        With ``stream=True`` the result is an :class:`~azure_oai_preview.AssistantStream` of
        its events (``event_handler`` is called as they are read).
        """
        return run_call(
            "Create_Run",
            "CreateRunRequest",
            params,
            stream=stream,
            event_handler=event_handler,
            for_async=self._core.is_async,
            thread_id=thread_id,
        )

    create = overloaded(
        sync_view(_create), async_view(_create), raw_view(_create), async_raw_view(_create)
    )

    @opens_stream
    def stream(
        self,
        thread_id: str,
        *,
        event_handler: EventHandlerFor[M] | None = None,
        **params: Unpack[CreateRunArgs],
    ) -> Call[AssistantStream, AsyncAssistantStream]:
        """Start a run and stream its events (``Create_Run``); use the result as a context manager.

        ``event_handler`` (an :class:`~azure_oai_preview.AssistantEventHandler`, or the async
        one on the async client) is called as the events are read; ``stream.until_done()``
        reads them all. On the async client: ``async with client.threads.runs.stream(...)``.
        """
        return run_call(
            "Create_Run",
            "CreateRunRequest",
            params,
            stream=True,
            event_handler=event_handler,
            for_async=self._core.is_async,
            thread_id=thread_id,
        )

    @method
    def list(
        self,
        thread_id: str,
        *,
        limit: int | None = None,
        order: Literal["asc", "desc"] | None = None,
        after: str | None = None,
        before: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Call[CursorPage[RunObject], AsyncCursorPage[RunObject]]:
        """List the runs of a thread (``List_Runs``); iterate the page to walk all of them."""
        query = {"limit": limit, "order": order, "after": after, "before": before}
        return list_call("List_Runs", "ListRunsResponse", query, options, thread_id=thread_id)

    @method
    def retrieve(
        self, run_id: str, *, thread_id: str, **options: Unpack[RequestOptions]
    ) -> Call[RunObject, RunObject]:
        """Retrieve a run (``Get_Run``)."""
        return _get_run(run_id, thread_id, options)

    @method
    def update(
        self, run_id: str, *, thread_id: str, **params: Unpack[ModifyRunArgs]
    ) -> Call[RunObject, RunObject]:
        """Modify a run's ``metadata`` (``Modify_Run``)."""
        return body_call(
            "Modify_Run",
            "ModifyRunRequest",
            "RunObject",
            params,
            thread_id=thread_id,
            run_id=run_id,
        )

    @method
    def cancel(
        self, run_id: str, *, thread_id: str, **options: Unpack[RequestOptions]
    ) -> Call[RunObject, RunObject]:
        """Cancel a run that is in progress (``Cancel_Run``); it moves to ``cancelling``."""
        return plain_call("Cancel_Run", "RunObject", options, thread_id=thread_id, run_id=run_id)

    @overload
    def _submit_tool_outputs(
        self,
        run_id: str,
        *,
        thread_id: str,
        stream: Literal[False] | None = None,
        **params: Unpack[SubmitToolOutputsToRunArgs],
    ) -> Call[RunObject, RunObject]: ...
    @overload
    def _submit_tool_outputs(
        self,
        run_id: str,
        *,
        thread_id: str,
        stream: Literal[True],
        event_handler: EventHandlerFor[M] | None = None,
        **params: Unpack[SubmitToolOutputsToRunArgs],
    ) -> Call[AssistantStream, AsyncAssistantStream]: ...
    def _submit_tool_outputs(
        self,
        run_id: str,
        *,
        thread_id: str,
        stream: bool | None = None,
        event_handler: EventHandlerFor[M] | None = None,
        **params: Unpack[SubmitToolOutputsToRunArgs],
    ) -> Call[Any, Any]:
        """Answer the function calls of a run in ``requires_action`` (``Submit_Tool_Outputs_To_Run``).

        ``tool_outputs`` is a list of ``{"tool_call_id": ..., "output": ...}``, one per call in
        ``run.required_action.submit_tool_outputs.tool_calls``. With ``stream=True`` the run's
        further events are streamed like :meth:`Runs.stream`.
        """
        return run_call(
            "Submit_Tool_Outputs_To_Run",
            "SubmitToolOutputsRunRequest",
            params,
            stream=stream,
            event_handler=event_handler,
            for_async=self._core.is_async,
            thread_id=thread_id,
            run_id=run_id,
        )

    submit_tool_outputs = overloaded(
        sync_view(_submit_tool_outputs),
        async_view(_submit_tool_outputs),
        raw_view(_submit_tool_outputs),
        async_raw_view(_submit_tool_outputs),
    )

    @polling
    def poll(
        self,
        run_id: str,
        *,
        thread_id: str,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        timeout: float | None = None,
        **options: Unpack[PollOptions],
    ) -> Flow[RunObject]:
        """Retrieve the run every ``poll_interval`` seconds until it settles.

        Settled means a final status (``completed``, ``failed``, ``cancelled``, ``expired``,
        ``incomplete``) or ``requires_action``. Raises :class:`~azure_oai_preview.PollTimeoutError`
        (with the last run seen) after ``timeout`` seconds; None waits as long as it takes.
        ``request_timeout``, ``max_retries``, ``extra_headers`` and ``extra_query`` apply to
        each retrieval.
        """
        _, _, each = take_poll_options(options)
        return poll_until(
            lambda: _get_run(run_id, thread_id, each),
            run_settled,
            poll_interval=poll_interval,
            timeout=timeout,
        )

    @polling
    def create_and_poll(
        self,
        thread_id: str,
        *,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        timeout: float | None = None,
        **params: Unpack[CreateRunAndPollArgs],
    ) -> Flow[RunObject]:
        """Start a run and wait until it settles (see :meth:`Runs.poll`; ``extra_body`` goes
        with the create request)."""
        return run_then_poll(
            "Create_Run",
            "CreateRunRequest",
            params,
            poll_interval=poll_interval,
            timeout=timeout,
            thread_id=thread_id,
        )

    @polling
    def submit_tool_outputs_and_poll(
        self,
        run_id: str,
        *,
        thread_id: str,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        timeout: float | None = None,
        **params: Unpack[SubmitToolOutputsAndPollArgs],
    ) -> Flow[RunObject]:
        """Answer the function calls, then wait until the run settles again."""
        return run_then_poll(
            "Submit_Tool_Outputs_To_Run",
            "SubmitToolOutputsRunRequest",
            params,
            poll_interval=poll_interval,
            timeout=timeout,
            thread_id=thread_id,
            run_id=run_id,
        )

    @cached_property
    def steps(self) -> Steps[M]:
        return Steps(self._core)
