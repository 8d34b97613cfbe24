"""``client.assistants``: create, list, retrieve, update and delete assistants."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from typing_extensions import Unpack

from .._call import Call
from .._resource import M, Resource, operation
from ._crud import body_call, list_call, plain_call

if TYPE_CHECKING:
    from .._pagination import AsyncCursorPage, CursorPage
    from ..models import AssistantObject, DeleteAssistantResponse
    from ..models._params import CreateAssistantParams, ModifyAssistantParams

__all__ = ["Assistants"]


def create_assistant(
    **params: Unpack[CreateAssistantParams],
) -> Call[AssistantObject, AssistantObject]:
    """Create an assistant (``Create_Assistant``); ``model`` is the deployment name."""
    return body_call("Create_Assistant", "CreateAssistantRequest", "AssistantObject", params)


def list_assistants(
    *,
    limit: int | None = None,
    order: Literal["asc", "desc"] | None = None,
    after: str | None = None,
    before: str | None = None,
) -> Call[CursorPage[AssistantObject], AsyncCursorPage[AssistantObject]]:
    """List assistants (``List_Assistants``), newest first unless ``order="asc"``.

    Returns a page; iterate it to walk all assistants across pages.
    """
    return list_call(
        "List_Assistants",
        "ListAssistantsResponse",
        {"limit": limit, "order": order, "after": after, "before": before},
    )


def retrieve_assistant(assistant_id: str) -> Call[AssistantObject, AssistantObject]:
    """Retrieve an assistant (``Get_Assistant``)."""
    return plain_call("Get_Assistant", "AssistantObject", assistant_id=assistant_id)


def update_assistant(
    assistant_id: str, **params: Unpack[ModifyAssistantParams]
) -> Call[AssistantObject, AssistantObject]:
    """Modify an assistant (``Modify_Assistant``); only the fields given are changed."""
    return body_call(
        "Modify_Assistant",
        "ModifyAssistantRequest",
        "AssistantObject",
        params,
        assistant_id=assistant_id,
    )


def delete_assistant(assistant_id: str) -> Call[DeleteAssistantResponse, DeleteAssistantResponse]:
    """Delete an assistant (``Delete_Assistant``); returns the deletion status."""
    return plain_call("Delete_Assistant", "DeleteAssistantResponse", assistant_id=assistant_id)


class Assistants(Resource[M]):
    """Assistants: a model, instructions and tools that runs on threads use."""

    create = operation(create_assistant)
    list = operation(list_assistants)
    retrieve = operation(retrieve_assistant)
    update = operation(update_assistant)
    delete = operation(delete_assistant)
