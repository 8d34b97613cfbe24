"""``client.assistants``: create, list, retrieve, update and delete assistants."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from typing_extensions import Unpack

from .._call import Call
from .._options import RequestOptions
from .._resource import M, Resource, method
from ._crud import body_call, list_call, plain_call

if TYPE_CHECKING:
    from .._pagination import AsyncCursorPage, CursorPage
    from ..models import AssistantObject, DeleteAssistantResponse
    from ._args import CreateAssistantArgs, ModifyAssistantArgs

__all__ = ["Assistants"]


class Assistants(Resource[M]):
    """Assistants: a model, instructions and tools that runs on threads use."""

    @method
    def create(
        self, **params: Unpack[CreateAssistantArgs]
    ) -> Call[AssistantObject, AssistantObject]:
        """Create an assistant (``Create_Assistant``); ``model`` is the deployment name."""
        return body_call("Create_Assistant", "CreateAssistantRequest", "AssistantObject", params)

    @method
    def list(
        self,
        *,
        limit: int | None = None,
        order: Literal["asc", "desc"] | None = None,
        after: str | None = None,
        before: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Call[CursorPage[AssistantObject], AsyncCursorPage[AssistantObject]]:
        """List assistants (``List_Assistants``), newest first unless ``order="asc"``.

        Returns a page; iterate it to walk all assistants across pages (with the same
        per-call options).
        """
        query = {"limit": limit, "order": order, "after": after, "before": before}
        return list_call("List_Assistants", "ListAssistantsResponse", query, options)

    @method
    def retrieve(
        self, assistant_id: str, **options: Unpack[RequestOptions]
    ) -> Call[AssistantObject, AssistantObject]:
        """Retrieve an assistant (``Get_Assistant``)."""
        return plain_call("Get_Assistant", "AssistantObject", options, assistant_id=assistant_id)

    @method
    def update(
        self, assistant_id: str, **params: Unpack[ModifyAssistantArgs]
    ) -> Call[AssistantObject, AssistantObject]:
        """Modify an assistant (``Modify_Assistant``); only the fields given are changed."""
        return body_call(
            "Modify_Assistant",
            "ModifyAssistantRequest",
            "AssistantObject",
            params,
            assistant_id=assistant_id,
        )

    @method
    def delete(
        self, assistant_id: str, **options: Unpack[RequestOptions]
    ) -> Call[DeleteAssistantResponse, DeleteAssistantResponse]:
        """Delete an assistant (``Delete_Assistant``); returns the deletion status."""
        return plain_call(
            "Delete_Assistant", "DeleteAssistantResponse", options, assistant_id=assistant_id
        )
