"""Handler hooks: the one declaration of what an event handler can override, and the plan of
which hooks an event calls.

:class:`EventHooks` declares every hook once, generic in what a hook returns (``None`` for
:class:`~azure_oai_preview.AssistantEventHandler`, an awaitable for
:class:`~azure_oai_preview.AsyncAssistantEventHandler`), so the sync and the async handler
are the same table. :class:`HookPlan` reads it: built once per stream from the hooks the
handler's class overrides, it turns each event into the handler's bound methods to call
with their arguments - asking the accumulator only for the snapshots those methods receive.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from .._delta import indexes_of
from .._json import json_list
from .._resource import Mode
from ._accumulator import FINAL_MESSAGE_EVENTS, FINAL_STEP_EVENTS, is_typed

if TYPE_CHECKING:
    from typing import TypeAlias

    from ..models import (
        AssistantStreamEvent,
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
    )
    from ._accumulator import RunAccumulator, _StepState

    ToolCall: TypeAlias = RunStepDetailsToolCallsObjectToolCallsItem
    ToolCallDelta: TypeAlias = RunStepDeltaStepDetailsToolCallsObjectToolCallsItem

__all__ = ["EventHandlerFor", "EventHooks", "Hook", "HookPlan", "overridden_hooks"]

R = TypeVar("R")
StreamT = TypeVar("StreamT")
ModeT_contra = TypeVar("ModeT_contra", bound=Mode, contravariant=True)

Hook = tuple[Callable[..., Any], tuple[Any, ...]]
"""A handler method to call, with its arguments."""


class EventHandlerFor(Generic[ModeT_contra]):
    """For type checkers: the clients a handler suits, by their resources' mode.

    The handler classes derive from it with the modes they suit (``AssistantEventHandler``:
    the sync client and its raw view), and the run-streaming methods take an
    ``EventHandlerFor[M]`` of their resource's mode ``M``: so a type checker flags the async
    client given a sync handler, and the reverse, while user code needs no cast. Contravariant:
    a handler for ``SyncMode | SyncRawMode`` is one for ``SyncMode``. At run time the hooks
    are checked too (``_streams.handler_error``).
    """

    __slots__ = ()


class EventHooks(Generic[R, StreamT]):
    """The methods an event handler overrides; each returns ``R`` (None, or an awaitable).

    The stream calls them as it reads. Methods you do not override cost nothing: snapshots
    are only built for the ones you do.
    """

    _stream_ref: weakref.ref[Any] | None = None

    @property
    def stream(self) -> StreamT | None:
        """The stream being read, for its snapshots (``current_run``, ``required_tool_calls``...)."""
        # Held weakly: a stream holds its handler, and the reverse link must not keep a
        # dropped stream (and its connection) alive until the cycle collector runs.
        ref = self._stream_ref
        return None if ref is None else ref()

    @stream.setter
    def stream(self, stream: StreamT | None) -> None:
        self._stream_ref = None if stream is None else weakref.ref(stream)

    def _nothing(self) -> R:
        """What a hook that is not overridden returns."""
        raise NotImplementedError

    def on_event(self, event: AssistantStreamEvent) -> R:
        """Every event, before the more specific methods below."""
        return self._nothing()

    def on_run_step_created(self, run_step: RunStepObject) -> R:
        """A run step began (a message to write, or tool calls to make)."""
        return self._nothing()

    def on_run_step_delta(self, delta: RunStepDeltaObjectDelta, snapshot: RunStepObject) -> R:
        """Part of a run step arrived; ``snapshot`` is the step so far."""
        return self._nothing()

    def on_run_step_done(self, run_step: RunStepObject) -> R:
        """A run step completed, failed, was cancelled or expired."""
        return self._nothing()

    def on_tool_call_created(self, tool_call: ToolCall) -> R:
        """A tool call (code interpreter, file search, function) began."""
        return self._nothing()

    def on_tool_call_delta(self, delta: ToolCallDelta, snapshot: ToolCall) -> R:
        """Part of a tool call arrived (code input, outputs, function arguments)."""
        return self._nothing()

    def on_tool_call_done(self, tool_call: ToolCall) -> R:
        """A tool call is complete: its step finished, or the run now waits for its output."""
        return self._nothing()

    def on_requires_action(self, run: RunObject, tool_calls: list[RunToolCallObject]) -> R:
        """The run waits for the outputs of ``tool_calls``: answer with ``runs.submit_tool_outputs``."""
        return self._nothing()

    def on_message_created(self, message: MessageObject) -> R:
        """The assistant began a message."""
        return self._nothing()

    def on_message_delta(self, delta: MessageDeltaObjectDelta, snapshot: MessageObject) -> R:
        """Part of a message arrived; ``snapshot`` is the message so far."""
        return self._nothing()

    def on_message_done(self, message: MessageObject) -> R:
        """A message is complete (or incomplete: see its ``status``)."""
        return self._nothing()

    def on_text_created(self, text: MessageContentTextObjectText) -> R:
        """A text part of a message began."""
        return self._nothing()

    def on_text_delta(
        self, delta: MessageDeltaContentTextObjectText, snapshot: MessageContentTextObjectText
    ) -> R:
        """Text arrived: ``delta.value`` is the new piece, ``snapshot.value`` the text so far."""
        return self._nothing()

    def on_text_done(self, text: MessageContentTextObjectText) -> R:
        """A text part is final (value and annotations)."""
        return self._nothing()

    def on_image_file_done(self, image_file: MessageContentImageFileObjectImageFile) -> R:
        """An image part of a message is final."""
        return self._nothing()

    def on_end(self) -> R:
        """The stream ended normally."""
        return self._nothing()

    def on_exception(self, exception: Exception) -> R:
        """Reading the stream failed; the exception is raised again after this returns."""
        return self._nothing()


# The class itself (not a subscripted alias, whose attribute access is slow), typed for checkers.
_E: type[EventHooks[Any, Any]] = EventHooks
_MESSAGE_DELTA_HOOKS = frozenset({_E.on_message_delta, _E.on_text_created, _E.on_text_delta})
_STEP_DELTA_HOOKS = frozenset(
    {_E.on_run_step_delta, _E.on_tool_call_created, _E.on_tool_call_delta}
)
_HOOKS: tuple[Callable[..., Any], ...] = tuple(
    hook for name, hook in vars(EventHooks).items() if name.startswith("on_")
)


def overridden_hooks(cls: type[Any]) -> list[Callable[..., Any]]:
    """The hooks of :class:`EventHooks` that ``cls`` overrides (as :class:`EventHooks`'
    own functions, whose ``__name__`` is the hook's)."""
    return [hook for hook in _HOOKS if getattr(cls, hook.__name__) is not hook]


def _typed(items: Any) -> list[Any]:
    """The typed items of a list field; an off-spec value kept raw in the list's place, or in
    an item's, is no argument a hook declares (hooks get typed objects or nothing)."""
    return [item for item in json_list(items) if is_typed(item)]


class HookPlan:
    """Which handler methods an event calls, with which arguments.

    Built once per stream from the hooks the handler's class overrides, so that an event
    nobody listens to costs one set lookup and snapshots are built only when received.
    """

    __slots__ = ("handler", "wanted")

    handler: EventHooks[Any, Any]
    wanted: frozenset[Callable[..., Any]]

    def __init__(self, handler: EventHooks[Any, Any]) -> None:
        self.handler = handler
        self.wanted = frozenset(overridden_hooks(type(handler)))

    def calls(self, event: Any, acc: RunAccumulator) -> list[Hook]:
        wanted = self.wanted
        handler = self.handler
        calls: list[Hook] = []
        if _E.on_event in wanted:
            calls.append((handler.on_event, (event,)))
        name = event.event
        data = event.data
        if name == "thread.message.delta":
            self._message_delta(data, acc, calls)
        elif name == "thread.run.step.delta":
            self._step_delta(data, acc, calls)
        elif name == "thread.message.created":
            if _E.on_message_created in wanted:
                calls.append((handler.on_message_created, (data,)))
        elif name in FINAL_MESSAGE_EVENTS:
            self._message_done(data, calls)
        elif name == "thread.run.step.created":
            if _E.on_run_step_created in wanted:
                calls.append((handler.on_run_step_created, (data,)))
            if _E.on_tool_call_created in wanted:
                for call in _typed(getattr(data.step_details, "tool_calls", None)):
                    calls.append((handler.on_tool_call_created, (call,)))
        elif name in FINAL_STEP_EVENTS:
            self._tool_calls_done(acc.step_state(data.id), data, calls)
            if _E.on_run_step_done in wanted:
                calls.append((handler.on_run_step_done, (data,)))
        elif name == "thread.run.requires_action":
            # Function calls end with the run waiting for their outputs; their step only
            # completes (on the stream that submits them), so they are done now.
            for step_id in acc.step_ids:
                self._tool_calls_done(acc.step_state(step_id), None, calls, acc)
            if _E.on_requires_action in wanted:
                calls.append((handler.on_requires_action, (data, acc.required_tool_calls)))
        return calls

    def call_events(self, event: Any) -> list[Hook]:
        """The hooks of an event without a typed ``data`` (unknown), or whose object has no
        string id (off-spec, so without snapshots): on_event only."""
        if _E.on_event in self.wanted:
            return [(self.handler.on_event, (event,))]
        return []

    def _message_delta(self, data: Any, acc: RunAccumulator, calls: list[Hook]) -> None:
        wanted = self.wanted
        handler = self.handler
        delta = data.delta
        if not wanted & _MESSAGE_DELTA_HOOKS or not is_typed(delta):
            return  # (a delta kept raw, off-spec, is only handed to on_event)
        snapshot = acc.message(data.id)
        if _E.on_message_delta in wanted:
            calls.append((handler.on_message_delta, (delta, snapshot)))
        content = json_list(snapshot.content)
        indexes = indexes_of(acc.message_state(data.id).parts())
        for part in _typed(delta.content):
            if getattr(part, "type", None) != "text":
                continue
            index = getattr(part, "index", None) or 0
            position = indexes.index(index) if index in indexes else -1
            text = (
                getattr(content[position], "text", None) if 0 <= position < len(content) else None
            )
            if not is_typed(text):
                continue  # no typed snapshot of this part (kept raw): nothing to hand over
            if index in acc.created and _E.on_text_created in wanted:
                calls.append((handler.on_text_created, (text,)))
            if _E.on_text_delta in wanted and is_typed(part.text):
                calls.append((handler.on_text_delta, (part.text, text)))

    def _message_done(self, data: Any, calls: list[Hook]) -> None:
        wanted = self.wanted
        handler = self.handler
        for part in _typed(data.content):
            kind = getattr(part, "type", None)
            if kind == "text" and _E.on_text_done in wanted:
                calls.append((handler.on_text_done, (part.text,)))
            elif kind == "image_file" and _E.on_image_file_done in wanted:
                calls.append((handler.on_image_file_done, (part.image_file,)))
        if _E.on_message_done in wanted:
            calls.append((handler.on_message_done, (data,)))

    def _step_delta(self, data: Any, acc: RunAccumulator, calls: list[Hook]) -> None:
        wanted = self.wanted
        handler = self.handler
        delta = data.delta
        if not wanted & _STEP_DELTA_HOOKS or not is_typed(delta):
            return
        snapshot = acc.step(data.id)
        if _E.on_run_step_delta in wanted:
            calls.append((handler.on_run_step_delta, (delta, snapshot)))
        details = getattr(delta, "step_details", None)
        snapshot_calls = json_list(getattr(snapshot.step_details, "tool_calls", None))
        indexes = indexes_of(acc.step_state(data.id).tool_calls())
        for call in _typed(getattr(details, "tool_calls", None)):
            index = getattr(call, "index", None) or 0
            position = indexes.index(index) if index in indexes else -1
            tool_call = snapshot_calls[position] if 0 <= position < len(snapshot_calls) else None
            if not is_typed(tool_call):
                continue
            if index in acc.created and _E.on_tool_call_created in wanted:
                calls.append((handler.on_tool_call_created, (tool_call,)))
            if _E.on_tool_call_delta in wanted:
                calls.append((handler.on_tool_call_delta, (call, tool_call)))

    def _tool_calls_done(
        self, state: _StepState, step: Any, calls: list[Hook], acc: RunAccumulator | None = None
    ) -> None:
        if _E.on_tool_call_done not in self.wanted:
            return
        if step is None:
            if acc is None or not indexes_of(state.tool_calls()):
                return
            step = acc.step(state.id)
        for position, call in enumerate(json_list(getattr(step.step_details, "tool_calls", None))):
            if position not in state.done_calls and is_typed(call):
                state.done_calls.add(position)
                calls.append((self.handler.on_tool_call_done, (call,)))
