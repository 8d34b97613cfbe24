"""The shapes of the operations manifest (``azure_oai_preview.models._manifest``).

Plain frozen data, so the manifest costs nothing to import. Type names are strings naming
attributes of :mod:`azure_oai_preview.models` (or builtins such as ``"str"``), resolved only by
whoever needs the class.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["Operation", "Parameter", "RequestBody", "ResponseBody"]


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


@dataclass(frozen=True, slots=True)
class RequestBody:
    model: str
    """The request model (a name in :mod:`azure_oai_preview.models`)."""
    content_type: str
    required: bool


@dataclass(frozen=True, slots=True)
class ResponseBody:
    status: str
    content_type: str
    model: str | None
    """The response model, or None for plain text and binary bodies."""


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
