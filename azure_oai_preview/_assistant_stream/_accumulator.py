"""Snapshots and the run accumulator: what the events of a run stream add up to; no I/O.

:class:`RunAccumulator` keeps the latest run, the thread ``create_and_run`` made, and for
each message and run step the last complete object the service sent plus the deltas
merged since, by the one rule of :mod:`.._delta` (text, code interpreter input, logs and
function arguments concatenated - and any streamed text the spec does not know yet -,
content parts, annotations, tool calls and outputs merged by index). Merging a text delta
only appends to a list; a snapshot model is built when someone asks for it and cached until
the next change.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from .._delta import Items, Text, dump, materialize, merge
from .._json import json_list, json_object
from .._models import OpenModel
from .._run_status import RUN_SETTLED_STATUSES
from ._events import lenient

if TYPE_CHECKING:
    from ..models import MessageObject, RunObject, RunStepObject, RunToolCallObject, ThreadObject

__all__ = [
    "FINAL_MESSAGE_EVENTS",
    "FINAL_STEP_EVENTS",
    "RunAccumulator",
    "RAW_TYPES",
    "RunStreamSnapshot",
    "is_typed",
    "tracked",
]

FINAL_STEP_EVENTS = frozenset(
    {
        "thread.run.step.completed",
        "thread.run.step.failed",
        "thread.run.step.cancelled",
        "thread.run.step.expired",
    }
)
FINAL_MESSAGE_EVENTS = frozenset({"thread.message.completed", "thread.message.incomplete"})


@dataclass(frozen=True)
class RunStreamSnapshot:
    """What a run stream had delivered, merged: the ``partial`` of an
    :class:`~azure_oai_preview.IncompleteStreamError` (or ``APIStreamError``) it raised."""

    run: RunObject | None
    """The latest run object (None before the first run event)."""
    thread: ThreadObject | None
    """The thread the stream created (``create_and_run``), if any."""
    messages: list[MessageObject]
    """Every message seen, with the deltas that arrived merged in."""
    run_steps: list[RunStepObject]
    """Every run step seen, with the deltas that arrived merged in."""


# What a lenient parse keeps in a model's place when the value is off-spec: decoded JSON.
RAW_TYPES: frozenset[type] = frozenset({dict, list, str, int, float, bool, type(None)})


def is_typed(value: Any) -> bool:
    """Whether ``value`` is a parsed model, not a raw off-spec value a lenient parse kept in
    its place (a plain ``bool``, not a type guard: the value stays ``Any`` for the caller)."""
    return type(value) not in RAW_TYPES


def tracked(data: OpenModel) -> bool:
    """Whether an event's object has a string ``id``: what messages and run steps are tracked
    (and their snapshots found) by. Without one (off-spec) the event is only delivered."""
    return type(getattr(data, "id", None)) is str


_snapshot_types: dict[str, Any] = {}


def _snapshot_type(name: str) -> Any:
    """The type a rebuilt snapshot part is parsed into, created once (adapters are cached
    by identity, so a fresh ``list[...]`` per snapshot would build a new validator each time)."""
    tp = _snapshot_types.get(name)
    if tp is None:
        from .. import models

        tp = {
            "content": list[models.MessageObjectContentItem],  # type: ignore[valid-type]
            "step_details": models.RunStepObjectStepDetails,
            "thread.message": models.MessageObject,
            "thread.run.step": models.RunStepObject,
        }[name]
        _snapshot_types[name] = tp
    return tp


class _ObjectState:
    """What a stream knows of one message or run step.

    ``base`` is the last complete object the service sent, ``delta`` the deltas merged
    since (``delta`` objects of the events, merged), and ``snapshot`` caches the object
    built from both until the next change. ``part`` names the field deltas stream into.
    """

    __slots__ = ("base", "delta", "id", "snapshot")

    part: ClassVar[str]
    object_name: ClassVar[str]

    def __init__(self, object_id: str) -> None:
        self.id = object_id
        self.base: Any = None
        self.delta: dict[str, Any] = {}
        self.snapshot: Any = None

    def reset(self, whole: Any) -> None:
        """Start again from a complete object (created, in progress, completed...)."""
        self.base = whole
        value = getattr(whole, self.part, None)
        dumped = None if value is None else self._dump_part(value)
        # An object without it yet (created, in progress) must not drop what deltas added.
        if _filled(dumped) or not _filled(self.delta.get(self.part)):
            self.delta = {} if dumped is None else {self.part: dumped}

    @staticmethod
    def _dump_part(value: Any) -> Any:
        return dump(value)

    @staticmethod
    def _complete(value: Any) -> Any:
        """The merged field with what its complete schema requires and deltas never send."""
        return value

    def parts(self) -> Any:
        """The accumulated value of the streamed field (None before any)."""
        return self.delta.get(self.part)

    def build(self) -> Any:
        """The snapshot: ``base`` with the deltas merged in."""
        base = self.base
        streamed = self.delta.get(self.part)
        value = None if streamed is None else self._complete(materialize(streamed, True))
        others = {
            key: item
            for key, item in self.delta.items()
            if key != self.part and getattr(base, key, None) is None
        }
        if base is None or others:
            # Rare: deltas before any complete object, or fields beyond the streamed one.
            raw = dump(base) if base is not None else {"id": self.id, "object": self.object_name}
            raw.update(materialize(others, strip_index=True))
            if value is not None:
                raw[self.part] = value
            return lenient(_snapshot_type(self.object_name), raw, partial=True)
        if value is None:
            return base
        typed = lenient(_snapshot_type(self.part), value, partial=True)
        return base.model_copy(update={self.part: typed})


def _filled(value: Any) -> bool:
    """Whether a streamed field holds anything: content parts, or a step's tool calls."""
    if type(value) is Items:
        return bool(value.by_index)
    if type(value) is dict:
        return "tool_calls" not in value or _filled(value["tool_calls"])
    return bool(value)


class _MessageState(_ObjectState):
    __slots__ = ()
    part = "content"
    object_name = "thread.message"

    @staticmethod
    def _dump_part(value: Any) -> Any:
        items = json_list(value)
        if not items and type(value) is not list:
            return value  # kept raw (off-spec)
        return [dump(item) for item in items]

    @staticmethod
    def _complete(value: Any) -> Any:
        # A text part of a message always has its annotations, if only an empty list; text
        # deltas send them only when there are some. (Without the list, every snapshot would
        # take the slow field-by-field parse.)
        for part in map(json_object, json_list(value)):
            text = json_object(part.get("text")) if part is not None else None
            if text is not None and part is not None and part.get("type") == "text":
                text.setdefault("annotations", [])
        return value


class _StepState(_ObjectState):
    __slots__ = ("done_calls",)
    part = "step_details"
    object_name = "thread.run.step"

    def __init__(self, step_id: str) -> None:
        super().__init__(step_id)
        self.done_calls: set[int] = set()

    def tool_calls(self) -> Any:
        details = self.delta.get("step_details")
        return details.get("tool_calls") if type(details) is dict else None  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]


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
            **dict.fromkeys(FINAL_MESSAGE_EVENTS, partial(self._messages.whole, final=True)),
            "thread.run.step.created": partial(self._steps.whole, final=False),
            "thread.run.step.in_progress": partial(self._steps.whole, final=False),
            "thread.run.step.delta": self._step_delta,
            **dict.fromkeys(FINAL_STEP_EVENTS, partial(self._steps.whole, final=True)),
        }

    def apply(self, event: Any) -> None:
        """Take one event into account."""
        data = getattr(event, "data", None)
        if not isinstance(data, OpenModel):
            # An unknown event (its data is plain JSON) or off-spec data that is not even
            # an object: delivered as received, and only a run can be read from it.
            self._unknown(event.event, data)
            return
        applier = self._appliers.get(event.event)
        if applier is not None:
            # Messages and run steps are tracked by id: an object without a string id
            # (off-spec) is delivered, but there is nothing to merge it with.
            if type(getattr(data, "id", None)) is str:  # (tracked, inline: once per event)
                applier(data)
        elif event.event.startswith("thread.run."):
            self.run = data  # type: ignore[assignment]

    def snapshot(self) -> RunStreamSnapshot:
        """Everything so far, for an error's ``partial``."""
        return RunStreamSnapshot(self.run, self.thread, self.messages, self.steps)

    # thread and run

    def _thread(self, data: Any) -> None:
        self.thread = data

    def _unknown(self, name: str, data: Any) -> None:
        # A run event this spec does not define yet (a newer service's thread.run.<state>)
        # still carries the run: keep it, so current_run and the end-of-stream check see it.
        is_run_event = name.startswith("thread.run.") and not name.startswith("thread.run.step.")
        if is_run_event and isinstance(data, dict) and data.get("object") == "thread.run":  # pyright: ignore[reportUnknownMemberType]
            from ..models import RunObject

            self.run = lenient(RunObject, data)

    @property
    def run_is_final(self) -> bool:
        status = getattr(self.run, "status", None)
        return getattr(status, "value", status) in RUN_SETTLED_STATUSES

    @property
    def required_tool_calls(self) -> list[RunToolCallObject]:
        """The tool calls the run waits for outputs of (empty unless it ``requires_action``)."""
        run = self.run
        if run is None or getattr(run.status, "value", run.status) != "requires_action":
            return []
        action = run.required_action
        outputs = getattr(action, "submit_tool_outputs", None)
        # A call kept raw (off-spec) cannot be answered by its id; the run still holds it.
        return [call for call in json_list(getattr(outputs, "tool_calls", None)) if is_typed(call)]

    # messages

    def _message_delta(self, data: Any) -> None:
        # The hot path of a streamed answer: one call per token. A text delta that only
        # carries text is appended to the part it continues; everything else goes through
        # the rule.
        messages = self._messages
        message_id = data.id
        state = messages.states.get(message_id)
        if state is None or messages.current != message_id:
            state = messages.touch(message_id)
        state.snapshot = None
        if self.created:
            self.created = []
        delta = data.delta
        if type(delta) in RAW_TYPES:
            return  # absent, or kept raw (off-spec): nothing to merge
        content = delta.content
        if (
            delta.__pydantic_extra__
            or delta.role is not None
            or type(content) is not list  # (off-spec data: kept raw)
            or not content
        ):
            merge(state.delta, dump(delta), True, self.created)
            return
        parts = state.delta.get("content")
        by_index = parts.by_index if type(parts) is Items else None
        for part in content:  # pyright: ignore[reportUnknownVariableType]
            if by_index is None or not _append_text(by_index, part):
                merge(state.delta, {"content": [dump(part)]}, True, self.created)

    def apply_plain_text_delta(self, data: str) -> bool:
        """Apply a ``thread.message.delta`` event from its JSON data, if it is a plain text
        delta continuing a text part of the current message; False (nothing done) otherwise.

        For reads nobody sees the events of: exactly what applying the validated event
        would do, without building it (decoding JSON is cheaper than validating it).
        """
        try:
            plain = _plain_text(json.loads(data))
        except ValueError:
            return False
        if plain is None:
            return False
        message_id, index, value = plain
        messages = self._messages
        state = messages.states.get(message_id)
        if state is None or messages.current != message_id:
            return False
        parts = state.delta.get("content")
        if type(parts) is not Items or not _append_to_part(parts.by_index, index, value):
            return False
        state.snapshot = None
        if self.created:
            self.created = []
        return True

    def message(self, message_id: str) -> MessageObject:
        """The snapshot of a message: what its events and deltas add up to so far."""
        return self._messages.snapshot(message_id)

    def message_state(self, message_id: str) -> _MessageState:
        return self._messages.states[message_id]

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
        delta = getattr(data, "delta", None)
        if not is_typed(delta):
            return
        pieces = dump(delta)
        details = pieces.pop("step_details", None)
        if pieces:
            merge(state.delta, pieces, True)
        if type(details) is dict:
            target = state.delta.get("step_details")
            if type(target) is not dict:
                target = state.delta["step_details"] = {}
            merge(target, details, True, self.created)  # pyright: ignore[reportUnknownArgumentType]

    def step(self, step_id: str) -> RunStepObject:
        """The snapshot of a run step: its events and deltas merged so far."""
        return self._steps.snapshot(step_id)

    def step_state(self, step_id: str) -> _StepState:
        return self._steps.states[step_id]

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


def _append_text(by_index: dict[int, Any], part: Any) -> bool:
    """Append a plain text delta to the text part it continues; False if it is anything else
    (including a part, or text, kept raw because it is off-spec)."""
    if type(part) in RAW_TYPES or part.__pydantic_extra__:
        return False
    text: Any = getattr(part, "text", None)
    if (
        part.type != "text"
        or type(text) in RAW_TYPES
        or text.__pydantic_extra__
        or text.annotations
    ):
        return False
    value = text.value
    if type(value) is not str or not value:
        return False
    return _append_to_part(by_index, part.index, value)


def _append_to_part(by_index: dict[int, Any], index: Any, value: str) -> bool:
    """Append ``value`` to the text of part ``index``; False if there is no such text yet."""
    try:
        held: Any = by_index[index]["text"]
        pieces: Any = held["value"]
    except (KeyError, TypeError):
        return False  # a new part, or one without text yet
    if type(pieces) is Text:
        pieces.add(value)
    elif type(pieces) is str:
        held["value"] = Text(pieces, value) if pieces else value
    else:
        return False
    return True


# The JSON of a plain text delta event: these keys and no others.
_DELTA_KEYS = frozenset({"id", "object", "delta"})
_TEXT_PART_KEYS = frozenset({"index", "type", "text"})


def _plain_text(piece: Any) -> tuple[str, int, str] | None:
    """``(message id, part index, text)`` of the decoded data of a plain text delta event:
    ``{"id", "object": "thread.message.delta", "delta": {"content": [{"index", "type":
    "text", "text": {"value"}}]}}`` with a non-empty value and nothing else. Such an event
    validates strictly, and applying it typed would append its text (``_message_delta``)."""
    if type(piece) is not dict:
        return None
    event: dict[str, Any] = piece  # pyright: ignore[reportUnknownVariableType]
    if event.keys() != _DELTA_KEYS or event["object"] != "thread.message.delta":
        return None
    message_id: Any = event["id"]
    delta_value: Any = event["delta"]
    if type(message_id) is not str or type(delta_value) is not dict:
        return None
    delta: dict[str, Any] = delta_value  # pyright: ignore[reportUnknownVariableType]
    content: Any = delta.get("content")
    if len(delta) != 1 or type(content) is not list:
        return None
    parts: list[Any] = content  # pyright: ignore[reportUnknownVariableType]
    if len(parts) != 1 or type(parts[0]) is not dict:
        return None
    part: dict[str, Any] = parts[0]  # pyright: ignore[reportUnknownVariableType]
    if part.keys() != _TEXT_PART_KEYS or part["type"] != "text":
        return None
    index: Any = part["index"]
    text_value: Any = part["text"]
    if type(index) is not int or type(text_value) is not dict:
        return None
    text: dict[str, Any] = text_value  # pyright: ignore[reportUnknownVariableType]
    value: Any = text.get("value")
    if len(text) != 1 or type(value) is not str or not value:
        return None
    return message_id, index, value
