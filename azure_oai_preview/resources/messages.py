"""``client.threads.messages``: the messages of a thread."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from typing_extensions import Unpack

from .._call import Call
from .._resource import M, Resource, operation
from ._crud import body_call, list_call, plain_call

if TYPE_CHECKING:
    from .._pagination import AsyncCursorPage, CursorPage
    from ..models import MessageObject
    from ..models._params import CreateMessageParams, ModifyMessageParams

__all__ = ["Messages"]


def create_message(
    thread_id: str, **params: Unpack[CreateMessageParams]
) -> Call[MessageObject, MessageObject]:
    """Add a message to a thread (``Create_Message``): ``role`` and ``content`` are required."""
    return body_call(
        "Create_Message", "CreateMessageRequest", "MessageObject", params, thread_id=thread_id
    )


def list_messages(
    thread_id: str,
    *,
    limit: int | None = None,
    order: Literal["asc", "desc"] | None = None,
    after: str | None = None,
    before: str | None = None,
    run_id: str | None = None,
) -> Call[CursorPage[MessageObject], AsyncCursorPage[MessageObject]]:
    """List the messages of a thread (``List_Messages``), newest first unless ``order="asc"``.

    ``run_id`` keeps only the messages that run wrote; it applies to every following page.
    """
    query = {"limit": limit, "order": order, "after": after, "before": before, "run_id": run_id}
    return list_call("List_Messages", "ListMessagesResponse", query, thread_id=thread_id)


def retrieve_message(message_id: str, *, thread_id: str) -> Call[MessageObject, MessageObject]:
    """Retrieve a message (``Get_Message``)."""
    return plain_call("Get_Message", "MessageObject", thread_id=thread_id, message_id=message_id)


def update_message(
    message_id: str, *, thread_id: str, **params: Unpack[ModifyMessageParams]
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


class Messages(Resource[M]):
    """``client.threads.messages``: what the user and the assistant said on a thread."""

    create = operation(create_message)
    list = operation(list_messages)
    retrieve = operation(retrieve_message)
    update = operation(update_message)
