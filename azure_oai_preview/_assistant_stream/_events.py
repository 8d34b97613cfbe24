"""Decoding: one server-sent event of a run stream into its typed event.

Every event type comes from the generated union ``models.AssistantStreamEvent`` (its
members and the event names they carry are listed in ``models._manifest.STREAM_EVENTS``):
a known event is validated straight from its JSON text into its class
(``ThreadRunCreated``, ``ThreadMessageDelta``, ...); an event this spec does not define
becomes the union's fallback member ``models.UnknownAssistantStreamEvent`` (``data`` the
decoded JSON, or the raw text when it is not JSON). ``error`` raises
:class:`~azure_oai_preview.APIStreamError`, ``done`` ends the stream, and a known event
whose data is not JSON (cut off) raises :class:`~azure_oai_preview.IncompleteStreamError`.
A known event whose data is off-spec - fields of the wrong type, or not even an object - is
delivered with its raw values kept (see :mod:`.._deviations`): a run stream is a series of
notifications, each object sent whole again when it changes state, so one malformed event
does not make what follows wrong. Everything that reads events (snapshots, handler hooks,
``text_deltas()``) takes only the typed parts of such an event.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from .._deviations import parse_python
from .._streaming import load_event, stream_error

if TYPE_CHECKING:
    from .._sse import ServerSentEvent

__all__ = ["DONE", "EventDecoder", "json_or_text", "lenient", "unknown_event"]

DONE: Any = object()
"""What :meth:`EventDecoder.decode` returns for the ``done`` event."""

# event name -> (event class, JSON text that opens the event object, validate_json)
_EventEntry = tuple[Any, str, Callable[..., Any]]
_event_table: dict[str, _EventEntry] | None = None


def _events_by_name() -> dict[str, _EventEntry]:
    global _event_table
    if _event_table is None:
        from .. import models
        from ..models._manifest import STREAM_EVENTS

        table: dict[str, _EventEntry] = {}
        for name, class_name in STREAM_EVENTS.items():
            if name in ("error", "done"):
                continue  # not delivered as events: one raises, the other ends the stream
            cls = getattr(models, class_name)
            if not cls.__pydantic_complete__:
                cls.model_rebuild()
            table[name] = (
                cls,
                '{"event":' + json.dumps(name) + ',"data":',
                cls.__pydantic_validator__.validate_json,
            )
        _event_table = table
    return _event_table


class EventDecoder:
    """Turns one SSE event into its typed event; sync/async agnostic."""

    __slots__ = ("request_id", "table")

    def __init__(self, request_id: str | None) -> None:
        self.request_id = request_id
        self.table = _events_by_name()

    def decode(self, sse: ServerSentEvent) -> Any:
        """The typed event, or :data:`DONE` for the end marker.

        Raises ``APIStreamError`` for an ``error`` event and ``IncompleteStreamError`` for a
        known event whose data is not JSON.
        """
        name = sse.event
        entry = self.table.get(name) if name is not None else None
        if entry is not None:
            cls, opening, validate = entry
            data = sse.data
            try:
                # The event object is validated straight from its JSON text - the data
                # wrapped in {"event": ..., "data": ...} - in one pydantic-core call.
                return validate(f"{opening}{data}}}", strict=True)
            except ValidationError:
                return self._decode_leniently(cls, name, data)
        if name == "done":
            return DONE
        if name == "error":
            raise stream_error(json_or_text(sse.data), self.request_id)
        return unknown_event(name or "message", json_or_text(sse.data))

    def _decode_leniently(self, event_type: Any, name: str | None, data: str) -> Any:
        payload = load_event(data, self.request_id, event=name)
        # Off-spec data for a known event: keep every raw value (see _deviations) rather than
        # fail the stream; the event still has its class and the conforming parts typed.
        return lenient(event_type, {"event": name, "data": payload})


def unknown_event(name: str, data: Any) -> Any:
    """The fallback member of the event union, for an event this spec does not define."""
    from ..models import UnknownAssistantStreamEvent

    return UnknownAssistantStreamEvent.model_validate({"event": name, "data": data})


def lenient(tp: Any, data: Any, *, partial: bool = False) -> Any:
    """``parse_python`` for the rare off-spec path (the fast path validates JSON directly).

    ``partial`` is for snapshots of objects still being streamed: a required field that has
    not arrived yet is expected there, not a deviation of the service, so nothing is logged.
    """
    return parse_python(tp, data, report=not partial)


def json_or_text(data: str) -> Any:
    try:
        return json.loads(data)
    except ValueError:
        return data
