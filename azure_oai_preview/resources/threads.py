"""``client.threads``: conversation threads, and running an assistant on a new one."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Literal

from typing_extensions import Unpack

from .._call import Call
from .._polling import DEFAULT_POLL_INTERVAL, Flow, flow_operation, then_poll
from .._resource import M, Resource, operation, streaming_operation
from ._crud import body_call, plain_call
from .messages import Messages
from .runs import EventHandler, Runs, poll_from, stream_call

if TYPE_CHECKING:
    from .._assistant_stream import AssistantStream, AsyncAssistantStream
    from ..models import DeleteThreadResponse, RunObject, ThreadObject
    from ..models._params import CreateThreadAndRunParams, CreateThreadParams, ModifyThreadParams

__all__ = ["Threads"]


def create_thread(**params: Unpack[CreateThreadParams]) -> Call[ThreadObject, ThreadObject]:
    """Create a thread (``Create_Thread``), optionally with initial ``messages``."""
    return body_call("Create_Thread", "CreateThreadRequest", "ThreadObject", params)


def retrieve_thread(thread_id: str) -> Call[ThreadObject, ThreadObject]:
    """Retrieve a thread (``Get_Thread``)."""
    return plain_call("Get_Thread", "ThreadObject", thread_id=thread_id)


def update_thread(
    thread_id: str, **params: Unpack[ModifyThreadParams]
) -> Call[ThreadObject, ThreadObject]:
    """Modify a thread's ``tool_resources`` or ``metadata`` (``Modify_Thread``)."""
    return body_call(
        "Modify_Thread", "ModifyThreadRequest", "ThreadObject", params, thread_id=thread_id
    )


def delete_thread(thread_id: str) -> Call[DeleteThreadResponse, DeleteThreadResponse]:
    """Delete a thread (``Delete_Thread``); returns the deletion status."""
    return plain_call("Delete_Thread", "DeleteThreadResponse", thread_id=thread_id)


def create_and_run(
    *, stream: Literal[False] | None = None, **params: Unpack[CreateThreadAndRunParams]
) -> Call[RunObject, RunObject]:
    """Create a thread and start a run on it in one request (``Create_Thread_And_Run``).

    ``thread`` holds the new thread's messages. With ``stream=True`` the result is an
    :class:`~azure_oai_preview.AssistantStream` (its ``thread`` is the created thread).
    """
    return body_call("Create_Thread_And_Run", "CreateThreadAndRunRequest", "RunObject", params)


def create_and_run_stream(
    *,
    stream: Literal[True],
    event_handler: EventHandler | None = None,
    **params: Unpack[CreateThreadAndRunParams],
) -> Call[AssistantStream, AsyncAssistantStream]:
    """Create a thread, start a run and stream its events."""
    return stream_call("Create_Thread_And_Run", "CreateThreadAndRunRequest", params, event_handler)


def create_and_run_poll(
    *,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    timeout: float | None = None,
    **params: Unpack[CreateThreadAndRunParams],
) -> Flow[RunObject]:
    """Create a thread, start a run and wait until it settles (see ``runs.poll``)."""
    return then_poll(create_and_run(**params), poll_from(None, poll_interval, timeout))


class Threads(Resource[M]):
    """Threads: the conversation an assistant runs on."""

    create = operation(create_thread)
    retrieve = operation(retrieve_thread)
    update = operation(update_thread)
    delete = operation(delete_thread)
    create_and_run = streaming_operation(create_and_run, create_and_run_stream)
    create_and_run_poll = flow_operation(create_and_run_poll)

    @cached_property
    def messages(self) -> Messages[M]:
        return Messages(self._core)

    @cached_property
    def runs(self) -> Runs[M]:
        return Runs(self._core)
