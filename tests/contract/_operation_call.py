"""The entry of the contract call tables (``_calls``, ``_authoring_calls``): one realistic
call of one operation, and what it returns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from azure_oai_preview.models._manifest import BY_ID

Shape = Literal["model", "page", "link-page", "text", "binary", "none"]
"""What the method returns: a model, a cursor page, a nextLink page, text, a binary
response, or None (an answer without a body)."""


@dataclass(frozen=True)
class OperationCall:
    """One realistic call of one operation."""

    operation_id: str
    variant: str
    invoke: Callable[[Any], Any]
    """``invoke(client)`` -> result (sync) or coroutine (async); the client may be a raw view."""
    returns: Any
    """The documented return type (for pages: the item type)."""
    shape: Shape = "model"

    @property
    def id(self) -> str:
        return f"{self.operation_id}[{self.variant}]"

    @property
    def document(self) -> str:
        """The document declaring the operation: ``inference`` or ``authoring``."""
        return BY_ID[self.operation_id].document

    @property
    def status(self) -> int:
        """The success status the spec declares (200, or 201 for creations, 204 for deletes)."""
        return int(BY_ID[self.operation_id].responses[0].status)
