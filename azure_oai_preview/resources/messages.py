"""``client.threads.messages``: the messages of a thread."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from typing_extensions import Unpack

from .._call import Call
from .._options import RequestOptions
from .._resource import M, Resource, method
from ._crud import body_call, list_call, plain_call

if TYPE_CHECKING:
    from .._pagination import AsyncCursorPage, CursorPage
    from ..models import MessageObject
    from ._args import CreateMessageArgs, ModifyMessageArgs

__all__ = ["Messages"]


class Messages(Resource[M]):
    """``client.threads.messages``: what the user and the assistant said on a thread."""

    @method
    def create(
        self, thread_id: str, **params: Unpack[CreateMessageArgs]
    ) -> Call[MessageObject, MessageObject]:
        """Add a message to a thread (``Create_Message``): ``role`` and ``content`` are required."""
        return body_call(
            "Create_Message", "CreateMessageRequest", "MessageObject", params, thread_id=thread_id
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
        run_id: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Call[CursorPage[MessageObject], AsyncCursorPage[MessageObject]]:
        """List the messages of a thread (``List_Messages``), newest first unless ``order="asc"``.

        ``run_id`` keeps only the messages that run wrote; it applies to every following page.
        """
        query = {"limit": limit, "order": order, "after": after, "before": before, "run_id": run_id}
        return list_call(
            "List_Messages", "ListMessagesResponse", query, options, thread_id=thread_id
        )

    @method
    def retrieve(
        self, message_id: str, *, thread_id: str, **options: Unpack[RequestOptions]
    ) -> Call[MessageObject, MessageObject]:
        """Retrieve a message (``Get_Message``)."""
        return plain_call(
            "Get_Message", "MessageObject", options, thread_id=thread_id, message_id=message_id
        )

    @method
    def update(
        self, message_id: str, *, thread_id: str, **params: Unpack[ModifyMessageArgs]
    ) -> Call[MessageObject, MessageObject]:
        """Modify a message's ``metadata`` (``Modify_Message``)."""
        return body_call(
            "Modify_Message",
            "ModifyMessageRequest",
            "MessageObject",
            params,
            thread_id=thread_id,
            message_id=message_id,
        )
