"""The shapes of the operations manifest (``azure_oai_preview.models._manifest``).

Plain frozen data, so the manifest costs nothing to import. Type names are strings naming
attributes of :mod:`azure_oai_preview.models` (or builtins such as ``"str"``), resolved only by
whoever needs the class.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "LongRunning",
    "Operation",
    "Paging",
    "Parameter",
    "RequestBody",
    "ResponseBody",
    "SpecDocument",
]


@dataclass(frozen=True, slots=True)
class Parameter:
    """A path, query or header parameter."""

    name: str
    """The name on the wire (``deployment-id``)."""
    python_name: str
    """A Python identifier for it (``deployment_id``)."""
    location: Literal["path", "query", "header"]
    required: bool
    type: str
    """The value type: ``"str"``, ``"int"`` or a model/enum name (``"ListAssistantsOrder"``)."""
    secret: bool = False
    """A credential (``mgmt-user-token``): its value must never be shown."""


@dataclass(frozen=True, slots=True)
class RequestBody:
    model: str
    """The request model (a name in :mod:`azure_oai_preview.models`)."""
    content_type: str
    required: bool
    file_fields: tuple[str, ...] = ()
    """The multipart parts that carry a file (``("file",)``); empty for other bodies."""


@dataclass(frozen=True, slots=True)
class ResponseBody:
    status: str
    content_type: str
    model: str | None
    """The response model, or None for plain text, binary and empty bodies."""
    headers: tuple[str, ...] = ()
    """Response headers the spec declares (``("Location",)``, ``("operation-location", ...)``)."""

    @property
    def kind(self) -> Literal["json", "text", "binary", "empty"]:
        """What the body is: a JSON model, text, raw bytes (file content, audio) or nothing."""
        if not self.content_type:
            return "empty"
        if self.model is not None:
            return "json"
        return "text" if self.content_type.startswith("text/") else "binary"


@dataclass(frozen=True, slots=True)
class Paging:
    """How a list operation pages."""

    style: Literal["cursor", "next_link"]
    """``cursor``: ``has_more`` plus the last item's id as the ``after`` query parameter (OpenAI
    style); ``next_link``: follow the ``nextLink`` URL (Azure style)."""
    items: str
    """The response field holding the page's items (``data`` / ``value``)."""
    next: str
    """The response field that says whether (or where) a next page is: ``has_more`` / ``nextLink``."""
    cursor_param: str | None = None
    """The query parameter taking the cursor (``after``), for the cursor style."""


@dataclass(frozen=True, slots=True)
class LongRunning:
    """An Azure long-running operation: the response names a status monitor to poll."""

    final_state_via: str
    """Where the final state is read (``operation-location``, ``location``, ...)."""
    poll_header: str
    """The response header holding the status monitor's URL."""
    retry_after_header: str | None = None
    """The response header with the polling interval in seconds, when the spec declares one."""


@dataclass(frozen=True, slots=True)
class SpecDocument:
    """One of the documents the manifest was generated from."""

    name: str
    """``inference`` or ``authoring``."""
    api_version: str
    """The api-version whose pin holds the file (another version's for a reused document)."""
    sha256: str


@dataclass(frozen=True, slots=True)
class Operation:
    operation_id: str
    method: str
    """Upper-case HTTP method."""
    path: str
    """The path template below ``{endpoint}/openai``, e.g. ``/threads/{thread_id}/runs``."""
    tags: tuple[str, ...]
    summary: str
    path_params: tuple[Parameter, ...]
    query_params: tuple[Parameter, ...]
    request_body: RequestBody | None
    responses: tuple[ResponseBody, ...]
    error_model: str | None
    """The model of the spec's ``default`` (error) response; None when the spec declares none."""
    streams: bool
    """Whether the request can ask for a server-sent event stream (its body has ``stream``)."""
    header_params: tuple[Parameter, ...] = ()
    document: str = "inference"
    """The document of the api-version that declares it: ``inference`` or ``authoring``."""
    paging: Paging | None = None
    """How it pages, for list operations."""
    long_running: LongRunning | None = None
    """Set for Azure long-running operations."""
