"""``client.threads``: conversation threads, and running an assistant on a new one."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal, overload

from typing_extensions import Unpack

from .._assistant_stream._handlers import EventHandlerFor
from .._call import Call
from .._options import RequestOptions
from .._polling import DEFAULT_POLL_INTERVAL, Flow
from .._resource import (
    M,
    Resource,
    async_raw_view,
    async_view,
    method,
    overloaded,
    polling,
    raw_view,
    sync_view,
)
from ._crud import body_call, plain_call
from .messages import Messages
from .runs import Runs, run_call, run_then_poll

if TYPE_CHECKING:
    from .._assistant_stream import AssistantStream, AsyncAssistantStream
    from ..models import DeleteThreadResponse, RunObject, ThreadObject
    from ._args import (
        CreateThreadAndRunArgs,
        CreateThreadAndRunPollArgs,
        CreateThreadArgs,
        ModifyThreadArgs,
    )

__all__ = ["Threads"]


class Threads(Resource[M]):
    """Threads: the conversation an assistant runs on."""

    @method
    def create(self, **params: Unpack[CreateThreadArgs]) -> Call[ThreadObject, ThreadObject]:
        """Create a thread (``Create_Thread``), optionally with initial ``messages``."""
        return body_call("Create_Thread", "CreateThreadRequest", "ThreadObject", params)

    @method
    def retrieve(
        self, thread_id: str, **options: Unpack[RequestOptions]
    ) -> Call[ThreadObject, ThreadObject]:
        """Retrieve a thread (``Get_Thread``)."""
        return plain_call("Get_Thread", "ThreadObject", options, thread_id=thread_id)

    @method
    def update(
        self, thread_id: str, **params: Unpack[ModifyThreadArgs]
    ) -> Call[ThreadObject, ThreadObject]:
        """Modify a thread's ``tool_resources`` or ``metadata`` (``Modify_Thread``)."""
        return body_call(
            "Modify_Thread", "ModifyThreadRequest", "ThreadObject", params, thread_id=thread_id
        )

    @method
    def delete(
        self, thread_id: str, **options: Unpack[RequestOptions]
    ) -> Call[DeleteThreadResponse, DeleteThreadResponse]:
        """Delete a thread (``Delete_Thread``); returns the deletion status."""
        return plain_call("Delete_Thread", "DeleteThreadResponse", options, thread_id=thread_id)

    @overload
    def _create_and_run(
        self, *, stream: Literal[False] | None = None, **params: Unpack[CreateThreadAndRunArgs]
    ) -> Call[RunObject, RunObject]: ...
    @overload
    def _create_and_run(
        self,
        *,
        stream: Literal[True],
        event_handler: EventHandlerFor[M] | None = None,
        **params: Unpack[CreateThreadAndRunArgs],
    ) -> Call[AssistantStream, AsyncAssistantStream]: ...
    def _create_and_run(
        self,
        *,
        stream: bool | None = None,
        event_handler: EventHandlerFor[M] | None = None,
        **params: Unpack[CreateThreadAndRunArgs],
    ) -> Call[Any, Any]:
        """Create a thread and start a run on it in one request (``Create_Thread_And_Run``).

        ``thread`` holds the new thread's messages. With ``stream=True`` the result is an
        :class:`~azure_oai_preview.AssistantStream` (its ``thread`` is the created thread).
        """
        return run_call(
            "Create_Thread_And_Run",
            "CreateThreadAndRunRequest",
            params,
            stream=stream,
            event_handler=event_handler,
            for_async=self._core.is_async,
        )

    create_and_run = overloaded(
        sync_view(_create_and_run),
        async_view(_create_and_run),
        raw_view(_create_and_run),
        async_raw_view(_create_and_run),
    )

    @polling
    def create_and_run_poll(
        self,
        *,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        timeout: float | None = None,
        **params: Unpack[CreateThreadAndRunPollArgs],
    ) -> Flow[RunObject]:
        """Create a thread, start a run and wait until it settles (see ``runs.poll``)."""
        return run_then_poll(
            "Create_Thread_And_Run",
            "CreateThreadAndRunRequest",
            params,
            poll_interval=poll_interval,
            timeout=timeout,
            thread_id=None,
        )

    @cached_property
    def messages(self) -> Messages[M]:
        return Messages(self._core)

    @cached_property
    def runs(self) -> Runs[M]:
        return Runs(self._core)
