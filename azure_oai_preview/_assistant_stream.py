"""Streams of assistant runs: typed events, accumulated snapshots and event handlers.

``runs.create(..., stream=True)``, ``runs.stream(...)``, ``threads.create_and_run(...,
stream=True)`` and ``runs.submit_tool_outputs(..., stream=True)`` answer with server-sent
events, one per change of a thread, run, run step or message::

    event: thread.message.delta
    data: {"id": "msg_1", "object": "thread.message.delta", "delta": {"content": [...]}}

Everything that does not depend on how the bytes arrive lives in :class:`RunStreamMachine`
(sans-IO, shared by the sync and async streams):

* :class:`EventDecoder` turns each SSE event into its generated event class
  (``ThreadRunCreated``, ``ThreadMessageDelta``, ...) with one pydantic-core call on the
  JSON text; an event type the spec does not know yet becomes an :class:`UnknownStreamEvent`,
  an ``error`` event raises :class:`~azure_oai_preview.APIStreamError`, ``done`` ends the stream;
* :class:`RunAccumulator` merges deltas into snapshots - message text by content index,
  annotations by annotation index, run-step tool calls (code interpreter input and outputs,
  function name and arguments, file search) - and keeps the latest run. Merging a text
  delta only appends to a list; a snapshot model is built when someone asks for it;
* :class:`_HookPlan` decides which :class:`AssistantEventHandler` methods an event triggers,
  asking only for the snapshots that the handler's overridden methods receive.

:class:`AssistantStream` and :class:`AsyncAssistantStream` are the two loops that feed it.
A stream that stops before ``done`` and before its run reached a final status raises
:class:`~azure_oai_preview.IncompleteStreamError`; closing a stream early (``with`` block,
:meth:`~AssistantStream.close`) is not an error.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Generator, Iterator
from dataclasses import dataclass
from functools import partial
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar, Union

import httpx
from pydantic import ValidationError

from . import _sse
from ._closing import AsyncClosesOnExit, ClosesOnExit
from ._deviations import parse_python
from ._exceptions import IncompleteStreamError, request_id_of
from ._models import OpenModel
from ._streaming import aensure_event_stream, ensure_event_stream, raise_stream_error

if TYPE_CHECKING:
    from typing import TypeAlias

    from typing_extensions import Self

    from ._call import AsyncExecutor, Call, SyncExecutor
    from .models import (
        MessageContentImageFileObjectImageFile,
        MessageContentTextObjectText,
        MessageDeltaContentTextObjectText,
        MessageDeltaObjectDelta,
        MessageObject,
        RunObject,
        RunStepDeltaObjectDelta,
        RunStepDeltaStepDetailsToolCallsObjectToolCallsItem,
        RunStepDetailsToolCallsObjectToolCallsItem,
        RunStepObject,
        RunToolCallObject,
        ThreadCreated,
        ThreadMessageCompleted,
        ThreadMessageCreated,
        ThreadMessageDelta,
        ThreadMessageIncomplete,
        ThreadMessageInProgress,
        ThreadObject,
        ThreadRunCancelled,
        ThreadRunCancelling,
        ThreadRunCompleted,
        ThreadRunCreated,
        ThreadRunExpired,
        ThreadRunFailed,
        ThreadRunInProgress,
        ThreadRunQueued,
        ThreadRunRequiresAction,
        ThreadRunStepCancelled,
        ThreadRunStepCompleted,
        ThreadRunStepCreated,
        ThreadRunStepDelta,
        ThreadRunStepExpired,
        ThreadRunStepFailed,
        ThreadRunStepInProgress,
    )

    AssistantStreamEvent: TypeAlias = Union[
        ThreadCreated,
        ThreadRunCreated,
        ThreadRunQueued,
        ThreadRunInProgress,
        ThreadRunRequiresAction,
        ThreadRunCompleted,
        ThreadRunFailed,
        ThreadRunCancelling,
        ThreadRunCancelled,
        ThreadRunExpired,
        ThreadRunStepCreated,
        ThreadRunStepInProgress,
        ThreadRunStepDelta,
        ThreadRunStepCompleted,
        ThreadRunStepFailed,
        ThreadRunStepCancelled,
        ThreadRunStepExpired,
        ThreadMessageCreated,
        ThreadMessageInProgress,
        ThreadMessageDelta,
        ThreadMessageCompleted,
        ThreadMessageIncomplete,
        "UnknownStreamEvent",
    ]
    """One event of a run stream: a generated event class, or an event the spec does not know."""

    ToolCall: TypeAlias = RunStepDetailsToolCallsObjectToolCallsItem
    ToolCallDelta: TypeAlias = RunStepDeltaStepDetailsToolCallsObjectToolCallsItem

__all__ = [
    "AssistantEventHandler",
    "AssistantStream",
    "AssistantStreamEvent",
    "AssistantStreamReader",
    "AsyncAssistantEventHandler",
    "AsyncAssistantStream",
    "AsyncAssistantStreamManager",
    "EventDecoder",
    "RunAccumulator",
    "RunStreamMachine",
    "UnknownStreamEvent",
]

HandlerT = TypeVar("HandlerT", bound="AssistantEventHandler | AsyncAssistantEventHandler")
StreamT = TypeVar("StreamT")

# Run statuses after which the service ends the stream: reaching one of them and then the
# end of the body is a complete stream even if the ``done`` event was lost.
_FINAL_RUN_STATUSES = frozenset(
    {"completed", "failed", "cancelled", "expired", "requires_action", "incomplete"}
)
_FINAL_STEP_EVENTS = frozenset(
    {
        "thread.run.step.completed",
        "thread.run.step.failed",
        "thread.run.step.cancelled",
        "thread.run.step.expired",
    }
)
_FINAL_MESSAGE_EVENTS = frozenset({"thread.message.completed", "thread.message.incomplete"})
# Delta fields that arrive in pieces; every other field of a delta replaces the old value.
_CONCATENATED = frozenset({"arguments", "input", "logs"})


@dataclass(frozen=True, slots=True)
class UnknownStreamEvent:
    """An event whose type this version of the spec does not define (the service added one).

    ``event`` is the SSE event name; ``data`` the decoded JSON (or the raw text when it is
    not JSON). Delivered like any other event - never an error - so newer services keep
    working; match on the generated classes and let these fall through.
    """

    event: str
    data: Any


def __getattr__(name: str) -> Any:
    # ``AssistantStreamEvent`` is a typing alias; building it needs every event class, so
    # it is assembled on first use rather than when the module is imported.
    if name == "AssistantStreamEvent":
        from . import models
        from .models._manifest import STREAM_EVENTS

        members = tuple(
            getattr(models, cls)
            for event, cls in STREAM_EVENTS.items()
            if event not in ("error", "done")
        )
        alias: Any = Union[(*members, UnknownStreamEvent)]
        globals()[name] = alias
        return alias
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# -- decoding -------------------------------------------------------------------------------------

_DONE: Any = object()

# event name -> (event class, JSON text that opens the event object, validate_json)
_EventEntry = tuple[Any, str, Callable[..., Any]]
_event_table: dict[str, _EventEntry] | None = None


def _events_by_name() -> dict[str, _EventEntry]:
    global _event_table
    if _event_table is None:
        from . import models
        from .models._manifest import STREAM_EVENTS

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

    def decode(self, sse: _sse.ServerSentEvent) -> Any:
        """The typed event, or ``_DONE`` for the end marker. Raises for ``error`` events."""
        name = sse.event
        entry = self.table.get(name) if name is not None else None
        if entry is not None:
            cls, opening, validate = entry
            data = sse.data
            try:
                # The event object is validated straight from its JSON text - the data
                # wrapped in {"event": ..., "data": ...} - in one pydantic-core call.
                return validate(opening + data + "}", strict=True)
            except ValidationError:
                return self._decode_leniently(cls, name, data)
        if name == "done":
            return _DONE
        if name == "error":
            raise_stream_error(_json_or_text(sse.data), self.request_id)
        return UnknownStreamEvent(name or "message", _json_or_text(sse.data))

    @staticmethod
    def _decode_leniently(event_type: Any, name: str | None, data: str) -> Any:
        # Off-spec data for a known event: keep every raw value (see _deviations) rather than
        # fail the stream; the event still has its class and the conforming parts typed.
        return _lenient(event_type, {"event": name, "data": _json_or_text(data)})


def _lenient(tp: Any, data: Any, *, partial: bool = False) -> Any:
    """``parse_python`` for the rare off-spec path (the fast path validates JSON directly).

    ``partial`` is for snapshots of objects still being streamed: a required field that has
    not arrived yet is expected there, not a deviation of the service, so nothing is logged.
    """
    return parse_python(tp, data, report=not partial)


def _json_or_text(data: str) -> Any:
    try:
        return json.loads(data)
    except ValueError:
        return data


# -- accumulation ---------------------------------------------------------------------------------


def _dump(model: Any) -> dict[str, Any]:
    if isinstance(model, dict):
        return dict(model)  # pyright: ignore[reportUnknownArgumentType]
    dumped: dict[str, Any] = model.model_dump(mode="json", by_alias=True, exclude_unset=True)
    return dumped


def _merge(target: dict[str, Any], delta: dict[str, Any], created: list[int] | None = None) -> None:
    """Merge a delta (as JSON values) into ``target`` in place.

    Strings named in ``_CONCATENATED`` are appended; objects are merged key by key; lists of
    objects that carry an ``index`` (tool calls, code interpreter outputs, annotations) are
    merged item by item by that index; any other value replaces the old one. The indexes of
    items that appear for the first time in a top-level list are added to ``created``.
    """
    for key, value in delta.items():
        current = target.get(key)
        if isinstance(value, str) and key in _CONCATENATED and isinstance(current, str):
            target[key] = current + value
        elif isinstance(value, dict) and isinstance(current, dict):
            _merge(current, value)  # pyright: ignore[reportUnknownArgumentType]
        elif isinstance(value, list) and _indexed(value) and isinstance(current, list):  # pyright: ignore[reportUnknownArgumentType]
            _merge_indexed(current, value, created)  # pyright: ignore[reportUnknownArgumentType]
        elif isinstance(value, list) and _indexed(value):  # pyright: ignore[reportUnknownArgumentType]
            items: list[Any] = []
            _merge_indexed(items, value, created)  # pyright: ignore[reportUnknownArgumentType]
            target[key] = items
        else:
            target[key] = value


def _indexed(items: list[Any]) -> bool:
    return bool(items) and all(isinstance(item, dict) and _has_index(item) for item in items)  # pyright: ignore[reportUnknownArgumentType]


def _has_index(item: dict[str, Any]) -> bool:
    return isinstance(item.get("index"), int)


def _merge_indexed(
    current: list[dict[str, Any]], delta: list[dict[str, Any]], created: list[int] | None
) -> None:
    by_index = {item.get("index"): item for item in current}
    for item in delta:
        index = item["index"]
        existing = by_index.get(index)
        if existing is None:
            existing = by_index[index] = {"index": index}
            current.append(existing)
            if created is not None:
                created.append(index)
        _merge(existing, item)
    current.sort(key=lambda entry: entry.get("index", 0))


def _without_index(value: Any) -> Any:
    """A snapshot value as the non-delta schemas have it (delta ``index`` keys dropped)."""
    if isinstance(value, dict):
        return {k: _without_index(v) for k, v in value.items() if k != "index"}  # pyright: ignore[reportUnknownVariableType]
    if isinstance(value, list):
        return [_without_index(v) for v in value]  # pyright: ignore[reportUnknownVariableType]
    return value


def _indexed_list(items: Any) -> list[dict[str, Any]]:
    """Items of a complete object, numbered the way deltas address them."""
    return [{**_dump(item), "index": position} for position, item in enumerate(items or ())]


_snapshot_types: dict[str, Any] = {}


def _snapshot_type(name: str) -> Any:
    """The type a rebuilt snapshot part is parsed into, created once (adapters are cached
    by identity, so a fresh ``list[...]`` per snapshot would build a new validator each time)."""
    tp = _snapshot_types.get(name)
    if tp is None:
        from . import models

        if name == "content":
            tp = list[models.MessageObjectContentItem]  # type: ignore[valid-type]
        else:
            tp = models.RunStepObjectStepDetails
        _snapshot_types[name] = tp
    return tp


class _TextPart:
    """A text content part being streamed: pieces of the value, annotations by index."""

    __slots__ = ("annotations", "pieces")

    def __init__(self, value: str = "", annotations: list[dict[str, Any]] | None = None) -> None:
        self.pieces: list[str] = [value] if value else []
        self.annotations: list[dict[str, Any]] = annotations or []

    def value(self) -> str:
        pieces = self.pieces
        if len(pieces) > 1:
            # Keep the joined text so that the next snapshot only joins what came since.
            pieces[:] = ["".join(pieces)]
        return pieces[0] if pieces else ""

    def dump(self) -> dict[str, Any]:
        return {
            "type": "text",
            "text": {"value": self.value(), "annotations": _without_index(self.annotations)},
        }


class _ObjectState:
    """What a stream knows of one message or run step.

    ``base`` is the last complete object the service sent, the subclass keeps what deltas
    added since, and ``snapshot`` caches the object built from both until the next change.
    """

    __slots__ = ("base", "id", "snapshot")

    def __init__(self, object_id: str) -> None:
        self.id = object_id
        self.base: Any = None
        self.snapshot: Any = None

    def reset(self, whole: Any) -> None:
        """Start again from a complete object (created, in progress, completed...)."""
        raise NotImplementedError

    def build(self) -> Any:
        """The snapshot: ``base`` with the deltas merged in."""
        raise NotImplementedError


StateT = TypeVar("StateT", bound=_ObjectState)


class _Tracked(Generic[StateT]):
    """The messages (or run steps) of a stream by id, in order of appearance."""

    __slots__ = ("current", "make", "states")

    def __init__(self, make: Callable[[str], StateT]) -> None:
        self.make = make
        self.states: dict[str, StateT] = {}
        self.current: str | None = None

    def touch(self, object_id: str) -> StateT:
        """The state of ``object_id`` (new if unseen), which becomes the current one."""
        state = self.states.get(object_id)
        if state is None:
            state = self.states[object_id] = self.make(object_id)
        self.current = object_id
        return state

    def whole(self, data: Any, *, final: bool) -> None:
        state = self.touch(data.id)
        state.reset(data)
        # A final event carries the service's own finished object: that is the snapshot.
        state.snapshot = data if final else None

    def snapshot(self, object_id: str) -> Any:
        state = self.states[object_id]
        if state.snapshot is None:
            state.snapshot = state.build()
        return state.snapshot

    def snapshots(self) -> list[Any]:
        return [self.snapshot(object_id) for object_id in self.states]


class _MessageState(_ObjectState):
    __slots__ = ("parts",)

    def __init__(self, message_id: str) -> None:
        super().__init__(message_id)
        self.parts: dict[int, _TextPart | dict[str, Any]] = {}

    def build(self) -> Any:
        from .models import MessageObject

        content = [
            part.dump() if isinstance(part, _TextPart) else _without_index(part)
            for _, part in sorted(self.parts.items())
        ]
        if self.base is None:
            # Deltas before any complete message object (the service skipped "created").
            return _lenient(
                MessageObject,
                {"id": self.id, "object": "thread.message", "content": content},
                partial=True,
            )
        typed = _lenient(_snapshot_type("content"), content, partial=True)
        return self.base.model_copy(update={"content": typed})

    def reset(self, whole: Any) -> None:
        self.base = whole
        content = getattr(whole, "content", None)
        # An object without content (created, in progress) must not drop what deltas added.
        if content or not self.parts:
            parts: dict[int, _TextPart | dict[str, Any]] = {}
            for index, item in enumerate(content or ()):
                if (
                    getattr(item, "type", None) == "text"
                    and getattr(item, "text", None) is not None
                ):
                    text = item.text
                    parts[index] = _TextPart(text.value or "", _indexed_list(text.annotations))
                else:
                    parts[index] = _dump(item)
            self.parts = parts


class _StepState(_ObjectState):
    __slots__ = ("details", "done_calls")

    def __init__(self, step_id: str) -> None:
        super().__init__(step_id)
        self.details: dict[str, Any] = {}
        self.done_calls: set[int] = set()

    def build(self) -> Any:
        from .models import RunStepObject

        details = _without_index(self.details) if self.details else None
        if self.base is None:
            raw = {"id": self.id, "object": "thread.run.step", "step_details": details}
            return _lenient(RunStepObject, raw, partial=True)
        if details is None:
            return self.base
        typed = _lenient(_snapshot_type("step_details"), details, partial=True)
        return self.base.model_copy(update={"step_details": typed})

    def reset(self, whole: Any) -> None:
        self.base = whole
        details = getattr(whole, "step_details", None)
        if details is not None:
            dumped = _dump(details)
            calls = getattr(details, "tool_calls", None)
            if calls is not None:
                dumped["tool_calls"] = _indexed_list(calls)
            if dumped.get("tool_calls") or not self.details.get("tool_calls"):
                self.details = dumped


class RunAccumulator:
    """Merges the events of a run stream into snapshots; knows nothing about I/O.

    ``run`` is the latest run object, ``thread`` the thread created by the stream (for
    ``create_and_run``). :meth:`message` and :meth:`step` build the current snapshot of a
    message or run step on demand (and cache it until the next delta).
    """

    def __init__(self) -> None:
        self.run: RunObject | None = None
        self.thread: ThreadObject | None = None
        self._messages = _Tracked(_MessageState)
        self._steps = _Tracked(_StepState)
        # Indexes of content parts / tool calls that the last delta created (for handlers).
        self.created: list[int] = []
        self._appliers: dict[str, Callable[[Any], None]] = {
            "thread.created": self._thread,
            "thread.message.created": partial(self._messages.whole, final=False),
            "thread.message.in_progress": partial(self._messages.whole, final=False),
            "thread.message.delta": self._message_delta,
            **dict.fromkeys(_FINAL_MESSAGE_EVENTS, partial(self._messages.whole, final=True)),
            "thread.run.step.created": partial(self._steps.whole, final=False),
            "thread.run.step.in_progress": partial(self._steps.whole, final=False),
            "thread.run.step.delta": self._step_delta,
            **dict.fromkeys(_FINAL_STEP_EVENTS, partial(self._steps.whole, final=True)),
        }

    def apply(self, event: Any) -> None:
        """Take one event into account."""
        if isinstance(event, UnknownStreamEvent):
            self._unknown(event)
            return
        data = event.data
        if not isinstance(data, OpenModel):
            # Off-spec data that is not even an object is delivered as received (raw) but
            # cannot be merged into anything.
            return
        applier = self._appliers.get(event.event)
        if applier is not None:
            applier(data)
        elif event.event.startswith("thread.run."):
            self.run = data  # type: ignore[assignment]

    # thread and run

    def _thread(self, data: Any) -> None:
        self.thread = data

    def _unknown(self, event: UnknownStreamEvent) -> None:
        # A run event this spec does not define yet (a newer service's thread.run.<state>)
        # still carries the run: keep it, so current_run and the end-of-stream check see it.
        data = event.data
        name = event.event
        is_run_event = name.startswith("thread.run.") and not name.startswith("thread.run.step.")
        if is_run_event and isinstance(data, dict) and data.get("object") == "thread.run":  # pyright: ignore[reportUnknownMemberType]
            from .models import RunObject

            self.run = _lenient(RunObject, data)

    @property
    def run_is_final(self) -> bool:
        status = getattr(self.run, "status", None)
        return getattr(status, "value", status) in _FINAL_RUN_STATUSES

    @property
    def required_tool_calls(self) -> list[RunToolCallObject]:
        """The tool calls the run waits for outputs of (empty unless it ``requires_action``)."""
        run = self.run
        if run is None or getattr(run.status, "value", run.status) != "requires_action":
            return []
        action = run.required_action
        outputs = getattr(action, "submit_tool_outputs", None)
        return list(getattr(outputs, "tool_calls", None) or [])

    # messages

    def _message_delta(self, data: Any) -> None:
        # The hot path of a streamed answer: one call per token. Text is appended to a list;
        # everything rarer (annotations, images, unknown parts) goes through _merge.
        messages = self._messages
        state = messages.states.get(data.id)
        if state is None or messages.current != data.id:
            state = messages.touch(data.id)
        state.snapshot = None
        if self.created:
            self.created = []
        delta = data.delta
        content = delta.content if delta is not None else None
        if not content:
            return
        parts = state.parts
        for part in content:
            index = getattr(part, "index", None) or 0
            target = parts.get(index)
            if part.type == "text":
                if not isinstance(target, _TextPart):
                    target = parts[index] = _TextPart()
                    self.created.append(index)
                text = part.text
                if text is not None:
                    value = text.value
                    if value:
                        target.pieces.append(value)
                    annotations = text.annotations
                    if annotations:
                        _merge_indexed(target.annotations, [_dump(a) for a in annotations], None)
            else:
                if not isinstance(target, dict):
                    target = parts[index] = {}
                    self.created.append(index)
                piece = _dump(part)
                piece.pop("index", None)
                _merge(target, piece)

    def message(self, message_id: str) -> MessageObject:
        """The snapshot of a message: what its events and deltas add up to so far."""
        return self._messages.snapshot(message_id)

    @property
    def messages(self) -> list[MessageObject]:
        """Snapshots of every message of the stream, in the order they appeared."""
        return self._messages.snapshots()

    @property
    def current_message_id(self) -> str | None:
        return self._messages.current

    # run steps

    def _step_delta(self, data: Any) -> None:
        state = self._steps.touch(data.id)
        state.snapshot = None
        self.created = []
        delta = data.delta
        details = getattr(delta, "step_details", None)
        if details is not None:
            _merge(state.details, _dump(details), self.created)

    def step(self, step_id: str) -> RunStepObject:
        """The snapshot of a run step: its events and deltas merged so far."""
        return self._steps.snapshot(step_id)

    def step_state(self, step_id: str) -> _StepState:
        return self._steps.states[step_id]

    def message_state(self, message_id: str) -> _MessageState:
        return self._messages.states[message_id]

    @property
    def step_ids(self) -> list[str]:
        return list(self._steps.states)

    @property
    def steps(self) -> list[RunStepObject]:
        """Snapshots of every run step of the stream, in the order they appeared."""
        return self._steps.snapshots()

    @property
    def current_step_id(self) -> str | None:
        return self._steps.current


# -- handlers -------------------------------------------------------------------------------------


class AssistantEventHandler:
    """Override the methods for the events you care about; pass an instance as ``event_handler=``.

    The stream calls them as it reads (whether you iterate it or call
    :meth:`AssistantStream.until_done`). ``self.stream`` is the stream being read, for its
    snapshots (``current_run``, ``required_tool_calls``, ...). Methods you do not override
    cost nothing: snapshots are only built for the ones you do.
    """

    stream: AssistantStream | None = None

    def on_event(self, event: AssistantStreamEvent) -> None:
        """Every event, before the more specific methods below."""

    def on_run_step_created(self, run_step: RunStepObject) -> None:
        """A run step began (a message to write, or tool calls to make)."""

    def on_run_step_delta(self, delta: RunStepDeltaObjectDelta, snapshot: RunStepObject) -> None:
        """Part of a run step arrived; ``snapshot`` is the step so far."""

    def on_run_step_done(self, run_step: RunStepObject) -> None:
        """A run step completed, failed, was cancelled or expired."""

    def on_tool_call_created(self, tool_call: ToolCall) -> None:
        """A tool call (code interpreter, file search, function) began."""

    def on_tool_call_delta(self, delta: ToolCallDelta, snapshot: ToolCall) -> None:
        """Part of a tool call arrived (code input, outputs, function arguments)."""

    def on_tool_call_done(self, tool_call: ToolCall) -> None:
        """A tool call is complete: its step finished, or the run now waits for its output."""

    def on_requires_action(self, run: RunObject, tool_calls: list[RunToolCallObject]) -> None:
        """The run waits for the outputs of ``tool_calls``: answer with ``runs.submit_tool_outputs``."""

    def on_message_created(self, message: MessageObject) -> None:
        """The assistant began a message."""

    def on_message_delta(self, delta: MessageDeltaObjectDelta, snapshot: MessageObject) -> None:
        """Part of a message arrived; ``snapshot`` is the message so far."""

    def on_message_done(self, message: MessageObject) -> None:
        """A message is complete (or incomplete: see its ``status``)."""

    def on_text_created(self, text: MessageContentTextObjectText) -> None:
        """A text part of a message began."""

    def on_text_delta(
        self, delta: MessageDeltaContentTextObjectText, snapshot: MessageContentTextObjectText
    ) -> None:
        """Text arrived: ``delta.value`` is the new piece, ``snapshot.value`` the text so far."""

    def on_text_done(self, text: MessageContentTextObjectText) -> None:
        """A text part is final (value and annotations)."""

    def on_image_file_done(self, image_file: MessageContentImageFileObjectImageFile) -> None:
        """An image part of a message is final."""

    def on_end(self) -> None:
        """The stream ended normally."""

    def on_exception(self, exception: Exception) -> None:
        """Reading the stream failed; the exception is raised again after this returns."""


class AsyncAssistantEventHandler:
    """The async twin of :class:`AssistantEventHandler`: the same methods, as coroutines."""

    stream: AsyncAssistantStream | None = None

    async def on_event(self, event: AssistantStreamEvent) -> None: ...
    async def on_run_step_created(self, run_step: RunStepObject) -> None: ...
    async def on_run_step_delta(
        self, delta: RunStepDeltaObjectDelta, snapshot: RunStepObject
    ) -> None: ...
    async def on_run_step_done(self, run_step: RunStepObject) -> None: ...
    async def on_tool_call_created(self, tool_call: ToolCall) -> None: ...
    async def on_tool_call_delta(self, delta: ToolCallDelta, snapshot: ToolCall) -> None: ...
    async def on_tool_call_done(self, tool_call: ToolCall) -> None: ...
    async def on_requires_action(
        self, run: RunObject, tool_calls: list[RunToolCallObject]
    ) -> None: ...
    async def on_message_created(self, message: MessageObject) -> None: ...
    async def on_message_delta(
        self, delta: MessageDeltaObjectDelta, snapshot: MessageObject
    ) -> None: ...
    async def on_message_done(self, message: MessageObject) -> None: ...
    async def on_text_created(self, text: MessageContentTextObjectText) -> None: ...
    async def on_text_delta(
        self, delta: MessageDeltaContentTextObjectText, snapshot: MessageContentTextObjectText
    ) -> None: ...
    async def on_text_done(self, text: MessageContentTextObjectText) -> None: ...
    async def on_image_file_done(
        self, image_file: MessageContentImageFileObjectImageFile
    ) -> None: ...
    async def on_end(self) -> None: ...
    async def on_exception(self, exception: Exception) -> None: ...


_HOOKS = tuple(name for name in vars(AssistantEventHandler) if name.startswith("on_"))
_Hook = tuple[str, tuple[Any, ...]]


class _HookPlan:
    """Which handler methods an event calls, with which arguments.

    Built once per stream from the methods the handler's class overrides, so that an event
    nobody listens to costs one set lookup and snapshots are built only when received.
    """

    __slots__ = ("wanted",)

    def __init__(self, handler: AssistantEventHandler | AsyncAssistantEventHandler) -> None:
        base = (
            AsyncAssistantEventHandler
            if isinstance(handler, AsyncAssistantEventHandler)
            else AssistantEventHandler
        )
        cls = type(handler)
        self.wanted = frozenset(
            name for name in _HOOKS if getattr(cls, name) is not getattr(base, name)
        )

    def calls(self, event: Any, acc: RunAccumulator) -> list[_Hook]:
        wanted = self.wanted
        calls: list[_Hook] = []
        if "on_event" in wanted:
            calls.append(("on_event", (event,)))
        name = event.event
        data = event.data
        if name == "thread.message.delta":
            self._message_delta(data, acc, calls)
        elif name == "thread.run.step.delta":
            self._step_delta(data, acc, calls)
        elif name == "thread.message.created":
            if "on_message_created" in wanted:
                calls.append(("on_message_created", (data,)))
        elif name in _FINAL_MESSAGE_EVENTS:
            self._message_done(data, calls)
        elif name == "thread.run.step.created":
            if "on_run_step_created" in wanted:
                calls.append(("on_run_step_created", (data,)))
            if "on_tool_call_created" in wanted:
                for call in getattr(data.step_details, "tool_calls", None) or ():
                    calls.append(("on_tool_call_created", (call,)))
        elif name in _FINAL_STEP_EVENTS:
            self._tool_calls_done(acc.step_state(data.id), data, calls)
            if "on_run_step_done" in wanted:
                calls.append(("on_run_step_done", (data,)))
        elif name == "thread.run.requires_action":
            # Function calls end with the run waiting for their outputs; their step only
            # completes (on the stream that submits them), so they are done now.
            for step_id in acc.step_ids:
                self._tool_calls_done(acc.step_state(step_id), None, calls, acc)
            if "on_requires_action" in wanted:
                calls.append(("on_requires_action", (data, acc.required_tool_calls)))
        return calls

    def _message_delta(self, data: Any, acc: RunAccumulator, calls: list[_Hook]) -> None:
        wanted = self.wanted
        if not wanted & {"on_message_delta", "on_text_created", "on_text_delta"}:
            return
        snapshot = acc.message(data.id)
        if "on_message_delta" in wanted:
            calls.append(("on_message_delta", (data.delta, snapshot)))
        content = snapshot.content or []
        indexes = sorted(acc.message_state(data.id).parts)
        for part in getattr(data.delta, "content", None) or ():
            if part.type != "text":
                continue
            index = getattr(part, "index", None) or 0
            position = indexes.index(index) if index in indexes else -1
            text = (
                getattr(content[position], "text", None) if 0 <= position < len(content) else None
            )
            if text is None:
                continue  # no typed snapshot of this part (kept raw): nothing to hand over
            if index in acc.created and "on_text_created" in wanted:
                calls.append(("on_text_created", (text,)))
            if "on_text_delta" in wanted and part.text is not None:
                calls.append(("on_text_delta", (part.text, text)))

    def _message_done(self, data: Any, calls: list[_Hook]) -> None:
        wanted = self.wanted
        for part in data.content or ():
            kind = getattr(part, "type", None)
            if kind == "text" and "on_text_done" in wanted:
                calls.append(("on_text_done", (part.text,)))
            elif kind == "image_file" and "on_image_file_done" in wanted:
                calls.append(("on_image_file_done", (part.image_file,)))
        if "on_message_done" in wanted:
            calls.append(("on_message_done", (data,)))

    def _step_delta(self, data: Any, acc: RunAccumulator, calls: list[_Hook]) -> None:
        wanted = self.wanted
        if not wanted & {"on_run_step_delta", "on_tool_call_created", "on_tool_call_delta"}:
            return
        snapshot = acc.step(data.id)
        if "on_run_step_delta" in wanted:
            calls.append(("on_run_step_delta", (data.delta, snapshot)))
        details = getattr(data.delta, "step_details", None)
        snapshot_calls: list[Any] = getattr(snapshot.step_details, "tool_calls", None) or []
        indexes = sorted(
            call.get("index", 0) for call in acc.step_state(data.id).details.get("tool_calls", ())
        )
        for call in getattr(details, "tool_calls", None) or ():
            index = getattr(call, "index", None) or 0
            position = indexes.index(index) if index in indexes else -1
            tool_call = snapshot_calls[position] if 0 <= position < len(snapshot_calls) else None
            if tool_call is None:
                continue
            if index in acc.created and "on_tool_call_created" in wanted:
                calls.append(("on_tool_call_created", (tool_call,)))
            if "on_tool_call_delta" in wanted:
                calls.append(("on_tool_call_delta", (call, tool_call)))

    def _tool_calls_done(
        self, state: _StepState, step: Any, calls: list[_Hook], acc: RunAccumulator | None = None
    ) -> None:
        if "on_tool_call_done" not in self.wanted:
            return
        if step is None:
            if acc is None or not state.details.get("tool_calls"):
                return
            step = acc.step(state.id)
        for position, call in enumerate(getattr(step.step_details, "tool_calls", None) or ()):
            if position not in state.done_calls:
                state.done_calls.add(position)
                calls.append(("on_tool_call_done", (call,)))


# -- the shared machine ---------------------------------------------------------------------------


class RunStreamMachine:
    """Decoding, accumulation and handler planning of one run stream; no I/O."""

    __slots__ = ("acc", "current_event", "decoder", "done", "plan", "request_id")

    def __init__(
        self,
        request_id: str | None,
        handler: AssistantEventHandler | AsyncAssistantEventHandler | None,
    ) -> None:
        self.request_id = request_id
        self.decoder = EventDecoder(request_id)
        self.acc = RunAccumulator()
        self.plan = _HookPlan(handler) if handler is not None else None
        self.current_event: Any = None
        self.done = False

    def feed(self, sse: _sse.ServerSentEvent) -> Any:
        """The typed event for ``sse`` (already accumulated), or ``_DONE`` at the end."""
        event = self.decoder.decode(sse)
        if event is _DONE:
            self.done = True
            return event
        self.current_event = event
        self.acc.apply(event)
        return event

    def hooks(self, event: Any) -> list[_Hook]:
        plan = self.plan
        if plan is None or not isinstance(getattr(event, "data", None), OpenModel):
            return (
                [("on_event", (event,))] if plan is not None and "on_event" in plan.wanted else []
            )
        return plan.calls(event, self.acc)

    def ended(self) -> None:
        """The body ended without ``done``: fine after a final run status, else truncated."""
        if not self.acc.run_is_final:
            raise self.truncated()

    def truncated(self) -> IncompleteStreamError:
        status = getattr(self.acc.run, "status", None)
        where = (
            f"while the run was {str(status)!r}" if status is not None else "before any run event"
        )
        return IncompleteStreamError(
            f"the run stream ended {where}, without its 'done' event; the run continues on the service "
            "(retrieve it with runs.retrieve)",
            request_id=self.request_id,
        )

    def broken(self, exc: httpx.TransportError) -> IncompleteStreamError:
        return IncompleteStreamError(
            f"the connection broke mid-stream ({type(exc).__name__}); the run continues on the service",
            request_id=self.request_id,
        )


# -- the streams ----------------------------------------------------------------------------------


class _StreamView(Generic[HandlerT]):
    """What both streams show about the run so far (nothing here does I/O)."""

    response: httpx.Response
    request_id: str | None
    _machine: RunStreamMachine
    _handler: HandlerT | None

    def _start(self, response: httpx.Response, handler: HandlerT | None) -> None:
        self.response = response
        self.request_id = request_id_of(response.headers)
        self._handler = handler
        self._machine = RunStreamMachine(self.request_id, handler)

    @property
    def event_handler(self) -> HandlerT | None:
        return self._handler

    @property
    def current_event(self) -> AssistantStreamEvent | None:
        """The last event read."""
        return self._machine.current_event

    @property
    def current_run(self) -> RunObject | None:
        """The latest run object the stream carried."""
        return self._machine.acc.run

    @property
    def thread(self) -> ThreadObject | None:
        """The thread the stream created (``create_and_run``), if any."""
        return self._machine.acc.thread

    @property
    def current_message_snapshot(self) -> MessageObject | None:
        """The message being written, with the deltas so far merged in."""
        acc = self._machine.acc
        return None if acc.current_message_id is None else acc.message(acc.current_message_id)

    @property
    def current_run_step_snapshot(self) -> RunStepObject | None:
        """The run step in progress, with the deltas so far merged in."""
        acc = self._machine.acc
        return None if acc.current_step_id is None else acc.step(acc.current_step_id)

    @property
    def required_tool_calls(self) -> list[RunToolCallObject]:
        """The function calls to answer with ``runs.submit_tool_outputs`` (empty unless the
        run is ``requires_action``)."""
        return self._machine.acc.required_tool_calls

    @property
    def message_snapshots(self) -> list[MessageObject]:
        """Every message seen so far, as merged snapshots."""
        return self._machine.acc.messages

    @property
    def run_step_snapshots(self) -> list[RunStepObject]:
        """Every run step seen so far, as merged snapshots."""
        return self._machine.acc.steps

    def _final_run(self) -> RunObject:
        run = self._machine.acc.run
        if run is None:
            raise IncompleteStreamError(
                "the stream carried no run event", request_id=self.request_id
            )
        return run

    def __repr__(self) -> str:
        run = self._machine.acc.run
        return f"<{type(self).__name__} run={getattr(run, 'id', None)!r} status={str(getattr(run, 'status', None))!r}>"


def _text_pieces(event: Any) -> Iterator[str]:
    if getattr(event, "event", None) != "thread.message.delta":
        return
    delta = getattr(event.data, "delta", None)
    for part in getattr(delta, "content", None) or ():
        if part.type == "text" and part.text is not None and part.text.value:
            yield part.text.value


class AssistantStream(_StreamView[AssistantEventHandler], ClosesOnExit):
    """The events of a run as they happen, with the snapshots they add up to.

    Iterate it (``for event in stream``) for typed events, or call :meth:`until_done` to let
    an :class:`AssistantEventHandler` react; both can be combined. Use it as a context
    manager (or call :meth:`close`) to release the connection early - not an error.
    """

    def __init__(
        self, response: httpx.Response, event_handler: AssistantEventHandler | None = None
    ) -> None:
        if error := _wrong_handler(event_handler, for_async=False):
            response.close()
            raise error
        self._start(response, event_handler)
        if event_handler is not None:
            event_handler.stream = self
        self._iterator = self._events()

    def _events(self) -> Generator[AssistantStreamEvent, None, None]:
        machine = self._machine
        handler = self._handler
        try:
            try:
                for sse in _sse.iter_sse(self.response.iter_bytes()):
                    event = machine.feed(sse)
                    if event is _DONE:
                        break
                    if handler is not None:
                        for hook, args in machine.hooks(event):
                            getattr(handler, hook)(*args)
                    yield event
                else:
                    machine.ended()
            except _sse.IncompleteStreamError:
                raise machine.truncated() from None
            except httpx.TransportError as exc:
                raise machine.broken(exc) from exc
            if handler is not None:
                handler.on_end()
        except Exception as exc:
            if handler is not None:
                handler.on_exception(exc)
            raise
        finally:
            self.response.close()

    def __iter__(self) -> Iterator[AssistantStreamEvent]:
        return self._iterator

    def __next__(self) -> AssistantStreamEvent:
        return next(self._iterator)

    def text_deltas(self) -> Iterator[str]:
        """Only the pieces of message text, as they arrive."""
        for event in self._iterator:
            yield from _text_pieces(event)

    def until_done(self) -> Self:
        """Read the rest of the stream (calling the handler, if any)."""
        for _ in self._iterator:
            pass
        return self

    def final_run(self) -> RunObject:
        """Read the rest of the stream; the run as it last was (completed, requires_action, ...)."""
        return self.until_done()._final_run()

    def final_messages(self) -> list[MessageObject]:
        """Read the rest of the stream; every message it wrote, complete."""
        return self.until_done().message_snapshots

    def final_run_steps(self) -> list[RunStepObject]:
        """Read the rest of the stream; every run step it took, complete."""
        return self.until_done().run_step_snapshots

    def close(self) -> None:
        """Stop reading and release the connection."""
        self._iterator.close()
        self.response.close()


class AsyncAssistantStream(_StreamView[AsyncAssistantEventHandler], AsyncClosesOnExit):
    """The async twin of :class:`AssistantStream`: ``async for event in stream``, ``async with``."""

    def __init__(
        self, response: httpx.Response, event_handler: AsyncAssistantEventHandler | None = None
    ) -> None:
        if error := _wrong_handler(event_handler, for_async=True):
            raise error  # (through the client, the reader has closed the response already)
        self._start(response, event_handler)
        if event_handler is not None:
            event_handler.stream = self
        self._iterator = self._events()

    async def _events(self) -> AsyncGenerator[AssistantStreamEvent, None]:
        machine = self._machine
        handler = self._handler
        try:
            try:
                async for sse in _sse.aiter_sse(self.response.aiter_bytes()):
                    event = machine.feed(sse)
                    if event is _DONE:
                        break
                    if handler is not None:
                        for hook, args in machine.hooks(event):
                            await getattr(handler, hook)(*args)
                    yield event
                else:
                    machine.ended()
            except _sse.IncompleteStreamError:
                raise machine.truncated() from None
            except httpx.TransportError as exc:
                raise machine.broken(exc) from exc
            if handler is not None:
                await handler.on_end()
        except Exception as exc:
            if handler is not None:
                await handler.on_exception(exc)
            raise
        finally:
            await self.response.aclose()

    def __aiter__(self) -> AsyncIterator[AssistantStreamEvent]:
        return self._iterator

    async def __anext__(self) -> AssistantStreamEvent:
        return await self._iterator.__anext__()

    async def text_deltas(self) -> AsyncIterator[str]:
        """Only the pieces of message text, as they arrive."""
        async for event in self._iterator:
            for piece in _text_pieces(event):
                yield piece

    async def until_done(self) -> Self:
        """Read the rest of the stream (awaiting the handler, if any)."""
        async for _ in self._iterator:
            pass
        return self

    async def final_run(self) -> RunObject:
        return (await self.until_done())._final_run()

    async def final_messages(self) -> list[MessageObject]:
        return (await self.until_done()).message_snapshots

    async def final_run_steps(self) -> list[RunStepObject]:
        return (await self.until_done()).run_step_snapshots

    async def close(self) -> None:
        """Stop reading and release the connection."""
        await self._iterator.aclose()
        await self.response.aclose()


# -- wiring into calls --------------------------------------------------------------------------


class AssistantStreamReader:
    """Result reader of the run-streaming calls: checks the answer is an event stream and that
    the handler suits the client, then opens the stream."""

    __slots__ = ("event_handler",)

    def __init__(
        self, event_handler: AssistantEventHandler | AsyncAssistantEventHandler | None
    ) -> None:
        self.event_handler = event_handler

    def read_sync(
        self, response: httpx.Response, core: SyncExecutor, call: Call[Any, Any]
    ) -> AssistantStream:
        handler = self.event_handler
        if error := _wrong_handler(handler, for_async=False):
            response.close()
            raise error
        assert not isinstance(handler, AsyncAssistantEventHandler)
        ensure_event_stream(response)
        return AssistantStream(response, handler)

    async def read_async(
        self, response: httpx.Response, core: AsyncExecutor, call: Call[Any, Any]
    ) -> AsyncAssistantStream:
        handler = self.event_handler
        if error := _wrong_handler(handler, for_async=True):
            await response.aclose()
            raise error
        assert not isinstance(handler, AssistantEventHandler)
        await aensure_event_stream(response)
        return AsyncAssistantStream(response, handler)


def _wrong_handler(handler: object, *, for_async: bool) -> TypeError | None:
    """The error for a handler of the other client flavour, or None when it fits."""
    wrong, right = (
        (AssistantEventHandler, "AsyncAssistantEventHandler")
        if for_async
        else (AsyncAssistantEventHandler, "AssistantEventHandler")
    )
    if isinstance(handler, wrong):
        client = "async" if for_async else "sync"
        return TypeError(f"the {client} client needs an {right}, not an {type(handler).__name__}")
    return None


class AsyncAssistantStreamManager(Generic[StreamT]):
    """What async ``runs.stream(...)`` returns: await it, or use it directly with ``async with``.

    ``async with client.threads.runs.stream(...) as stream:`` opens the stream on entry and
    closes it on exit; ``stream = await client.threads.runs.stream(...)`` just opens it.
    """

    __slots__ = ("_open", "_stream")

    def __init__(self, open_stream: Callable[[], Any]) -> None:
        self._open = open_stream
        self._stream: Any = None

    def __await__(self) -> Generator[Any, None, StreamT]:
        return self._open().__await__()

    async def __aenter__(self) -> StreamT:
        self._stream = await self._open()
        return self._stream

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._stream is not None:
            await self._stream.close()
