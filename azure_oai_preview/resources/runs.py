"""``client.threads.runs`` and ``client.threads.runs.steps``: runs of an assistant on a thread.

A run is started with :meth:`Runs.create` (a ``RunObject`` to poll), ``create(...,
stream=True)`` or :meth:`Runs.stream` (an :class:`~azure_oai_preview.AssistantStream` of its
events), or :meth:`Runs.create_and_poll` (waits until it settles). A run that needs function
results stops in ``requires_action``; answer with :meth:`Runs.submit_tool_outputs` (again
plain, streamed or polled).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar, overload

from typing_extensions import ParamSpec, Self, Unpack

from .._assistant_stream import (
    AssistantEventHandler,
    AssistantStream,
    AssistantStreamReader,
    AsyncAssistantEventHandler,
    AsyncAssistantStream,
    AsyncAssistantStreamManager,
)
from .._call import Call
from .._polling import (
    DEFAULT_POLL_INTERVAL,
    Flow,
    flow_operation,
    poll_until,
    run_settled,
    then_poll,
)
from .._resource import M, Resource, operation, streaming_operation
from ._crud import body_call, list_call, plain_call

if TYPE_CHECKING:
    from .._pagination import AsyncCursorPage, CursorPage
    from .._resource import AsyncMode, AsyncRawMode, SyncMode, SyncRawMode
    from .._transport import AsyncCore, RawResponse, SyncCore
    from ..models import RunObject, RunStepObject
    from ..models._params import CreateRunParams, ModifyRunParams, SubmitToolOutputsToRunParams

__all__ = ["Runs", "Steps", "stream_call"]

P = ParamSpec("P")
S = TypeVar("S")
AS = TypeVar("AS")

EventHandler = AssistantEventHandler | AsyncAssistantEventHandler


def stream_call(
    operation_id: str,
    request: str,
    params: Mapping[str, Any],
    event_handler: EventHandler | None,
    **ids: str,
) -> Call[AssistantStream, AsyncAssistantStream]:
    """A run-starting call with ``stream: true``, read as an assistant event stream."""
    call = body_call(operation_id, request, "RunObject", {**params, "stream": True}, **ids)
    return Call(
        operation=call.operation,
        path_params=call.path_params,
        body=call.body,
        reader=AssistantStreamReader(event_handler),
        stream=True,
        accept="text/event-stream, application/json",
    )


class stream_operation(Generic[P, S, AS]):
    """A method that opens a stream: on async resources it is also an async context manager.

    ``with runs.stream(...) as s`` (sync) and ``async with runs.stream(...) as s`` (async)
    read alike; ``s = await runs.stream(...)`` works too.
    """

    __slots__ = ("builder",)

    def __init__(self, builder: Callable[P, Call[S, AS]]) -> None:
        self.builder = builder

    @overload
    def __get__(self, instance: None, owner: Any) -> Self: ...
    @overload
    def __get__(self, instance: Resource[SyncMode], owner: Any) -> Callable[P, S]: ...
    @overload
    def __get__(
        self, instance: Resource[AsyncMode], owner: Any
    ) -> Callable[P, AsyncAssistantStreamManager[AS]]: ...
    @overload
    def __get__(
        self, instance: Resource[SyncRawMode], owner: Any
    ) -> Callable[P, RawResponse[S]]: ...
    @overload
    def __get__(
        self, instance: Resource[AsyncRawMode], owner: Any
    ) -> Callable[P, Coroutine[Any, Any, RawResponse[AS]]]: ...
    def __get__(self, instance: Resource[Any] | None, owner: Any) -> Any:
        if instance is None:
            return self
        from .._transport import AsyncCore

        core: SyncCore | AsyncCore = instance._core
        builder = self.builder
        if isinstance(core, AsyncCore):
            async_core = core
            if async_core.raw:

                async def open_raw(*args: Any, **kwargs: Any) -> Any:
                    return await async_core.execute(builder(*args, **kwargs))

                return functools.update_wrapper(open_raw, builder)

            def open_async(*args: Any, **kwargs: Any) -> Any:
                async def opened() -> Any:
                    return await async_core.execute(builder(*args, **kwargs))

                return AsyncAssistantStreamManager[Any](opened)

            return functools.update_wrapper(open_async, builder)
        sync_core = core

        def open_sync(*args: Any, **kwargs: Any) -> Any:
            return sync_core.execute(builder(*args, **kwargs))

        return functools.update_wrapper(open_sync, builder)


# -- runs -----------------------------------------------------------------------------------------


def create_run(
    thread_id: str, *, stream: Literal[False] | None = None, **params: Unpack[CreateRunParams]
) -> Call[RunObject, RunObject]:
    """Start a run of ``assistant_id`` on a thread (``Create_Run``).

    Returns the run as created (``queued``); poll it, or use :meth:`Runs.create_and_poll`.
    With ``stream=True`` the result is an :class:`~azure_oai_preview.AssistantStream`.
    """
    return body_call("Create_Run", "CreateRunRequest", "RunObject", params, thread_id=thread_id)


def create_run_stream(
    thread_id: str,
    *,
    stream: Literal[True],
    event_handler: EventHandler | None = None,
    **params: Unpack[CreateRunParams],
) -> Call[AssistantStream, AsyncAssistantStream]:
    """Start a run and stream its events (``Create_Run`` with ``stream: true``)."""
    return stream_call("Create_Run", "CreateRunRequest", params, event_handler, thread_id=thread_id)


def stream_run(
    thread_id: str, *, event_handler: EventHandler | None = None, **params: Unpack[CreateRunParams]
) -> Call[AssistantStream, AsyncAssistantStream]:
    """Start a run and stream its events; use the result as a context manager.

    ``event_handler`` (an :class:`~azure_oai_preview.AssistantEventHandler`, or the async
    one on the async client) is called as the events are read; ``stream.until_done()``
    reads them all.
    """
    return stream_call("Create_Run", "CreateRunRequest", params, event_handler, thread_id=thread_id)


def list_runs(
    thread_id: str,
    *,
    limit: int | None = None,
    order: Literal["asc", "desc"] | None = None,
    after: str | None = None,
    before: str | None = None,
) -> Call[CursorPage[RunObject], AsyncCursorPage[RunObject]]:
    """List the runs of a thread (``List_Runs``); iterate the page to walk all of them."""
    query = {"limit": limit, "order": order, "after": after, "before": before}
    return list_call("List_Runs", "ListRunsResponse", query, thread_id=thread_id)


def retrieve_run(run_id: str, *, thread_id: str) -> Call[RunObject, RunObject]:
    """Retrieve a run (``Get_Run``)."""
    return plain_call("Get_Run", "RunObject", thread_id=thread_id, run_id=run_id)


def update_run(
    run_id: str, *, thread_id: str, **params: Unpack[ModifyRunParams]
) -> Call[RunObject, RunObject]:
    """Modify a run's ``metadata`` (``Modify_Run``)."""
    return body_call(
        "Modify_Run", "ModifyRunRequest", "RunObject", params, thread_id=thread_id, run_id=run_id
    )


def cancel_run(run_id: str, *, thread_id: str) -> Call[RunObject, RunObject]:
    """Cancel a run that is in progress (``Cancel_Run``); it moves to ``cancelling``."""
    return plain_call("Cancel_Run", "RunObject", thread_id=thread_id, run_id=run_id)


def submit_tool_outputs(
    run_id: str,
    *,
    thread_id: str,
    stream: Literal[False] | None = None,
    **params: Unpack[SubmitToolOutputsToRunParams],
) -> Call[RunObject, RunObject]:
    """Answer the function calls of a run in ``requires_action`` (``Submit_Tool_Outputs_To_Run``).

    ``tool_outputs`` is a list of ``{"tool_call_id": ..., "output": ...}``, one per call in
    ``run.required_action.submit_tool_outputs.tool_calls``. With ``stream=True`` the run's
    further events are streamed like :meth:`Runs.stream`.
    """
    return body_call(
        "Submit_Tool_Outputs_To_Run",
        "SubmitToolOutputsRunRequest",
        "RunObject",
        params,
        thread_id=thread_id,
        run_id=run_id,
    )


def submit_tool_outputs_stream(
    run_id: str,
    *,
    thread_id: str,
    stream: Literal[True],
    event_handler: EventHandler | None = None,
    **params: Unpack[SubmitToolOutputsToRunParams],
) -> Call[AssistantStream, AsyncAssistantStream]:
    """Answer the function calls and stream the run's further events."""
    return stream_call(
        "Submit_Tool_Outputs_To_Run",
        "SubmitToolOutputsRunRequest",
        params,
        event_handler,
        thread_id=thread_id,
        run_id=run_id,
    )


def poll_run(
    run_id: str,
    *,
    thread_id: str,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    timeout: float | None = None,
) -> Flow[RunObject]:
    """Retrieve the run every ``poll_interval`` seconds until it settles.

    Settled means a final status (``completed``, ``failed``, ``cancelled``, ``expired``,
    ``incomplete``) or ``requires_action``. Raises :class:`~azure_oai_preview.PollTimeoutError`
    (with the last run seen) after ``timeout`` seconds; None waits as long as it takes.
    """
    return poll_until(
        lambda: retrieve_run(run_id, thread_id=thread_id),
        run_settled,
        poll_interval=poll_interval,
        timeout=timeout,
    )


def poll_from(
    thread_id: str | None, poll_interval: float, timeout: float | None
) -> Callable[[Any], Flow[RunObject]]:
    """A poll of the run a create or submit call returned (skipped when it has settled).

    ``thread_id`` None takes the thread from the run itself (``create_and_run``).
    """

    def poll(run: Any) -> Flow[RunObject]:
        thread = thread_id or run.thread_id
        return poll_until(
            lambda: retrieve_run(run.id, thread_id=thread),
            run_settled,
            poll_interval=poll_interval,
            timeout=timeout,
            current=run,
        )

    return poll


def create_run_and_poll(
    thread_id: str,
    *,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    timeout: float | None = None,
    **params: Unpack[CreateRunParams],
) -> Flow[RunObject]:
    """Start a run and wait until it settles (see :meth:`Runs.poll`)."""
    return then_poll(create_run(thread_id, **params), poll_from(thread_id, poll_interval, timeout))


def submit_tool_outputs_and_poll(
    run_id: str,
    *,
    thread_id: str,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    timeout: float | None = None,
    **params: Unpack[SubmitToolOutputsToRunParams],
) -> Flow[RunObject]:
    """Answer the function calls, then wait until the run settles again."""
    submit = submit_tool_outputs(run_id, thread_id=thread_id, **params)
    return then_poll(submit, poll_from(thread_id, poll_interval, timeout))


# -- steps ----------------------------------------------------------------------------------------


def list_run_steps(
    run_id: str,
    *,
    thread_id: str,
    limit: int | None = None,
    order: Literal["asc", "desc"] | None = None,
    after: str | None = None,
    before: str | None = None,
) -> Call[CursorPage[RunStepObject], AsyncCursorPage[RunStepObject]]:
    """List the steps of a run (``List_Run_Steps``): messages written, tools called."""
    query = {"limit": limit, "order": order, "after": after, "before": before}
    return list_call(
        "List_Run_Steps", "ListRunStepsResponse", query, thread_id=thread_id, run_id=run_id
    )


def retrieve_run_step(
    step_id: str, *, thread_id: str, run_id: str
) -> Call[RunStepObject, RunStepObject]:
    """Retrieve a run step (``Get_Run_Step``)."""
    return plain_call(
        "Get_Run_Step", "RunStepObject", thread_id=thread_id, run_id=run_id, step_id=step_id
    )


class Steps(Resource[M]):
    """``client.threads.runs.steps``: what a run did, step by step."""

    list = operation(list_run_steps)
    retrieve = operation(retrieve_run_step)


class Runs(Resource[M]):
    """``client.threads.runs``: runs of an assistant on a thread."""

    create = streaming_operation(create_run, create_run_stream)
    stream = stream_operation(stream_run)
    list = operation(list_runs)
    retrieve = operation(retrieve_run)
    update = operation(update_run)
    cancel = operation(cancel_run)
    submit_tool_outputs = streaming_operation(submit_tool_outputs, submit_tool_outputs_stream)
    poll = flow_operation(poll_run)
    create_and_poll = flow_operation(create_run_and_poll)
    submit_tool_outputs_and_poll = flow_operation(submit_tool_outputs_and_poll)

    @cached_property
    def steps(self) -> Steps[M]:
        return Steps(self._core)
