"""The sans-IO core of a run stream: decoding, accumulation and handler planning together.

:class:`AssistantStream` and :class:`AsyncAssistantStream` are two thin loops around a
:class:`RunStreamMachine`: they feed it server-sent events and call what it plans. It also
words every way a run stream can go wrong, each error carrying what arrived (``partial``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Generator
from typing import TYPE_CHECKING, Any

import httpx

from .._error_mapping import body_read_error
from .._exceptions import APIStreamError, IncompleteStreamError
from .._models import OpenModel
from ._accumulator import RunAccumulator, tracked
from ._events import DONE, EventDecoder
from ._handlers import Hook, HookPlan

if TYPE_CHECKING:
    from .._sse import ServerSentEvent, SSEDecoder
    from ._handlers import EventHooks

__all__ = ["APPLIED", "RunStreamMachine"]

APPLIED: Any = object()
"""What :meth:`RunStreamMachine.feed` returns for an event it applied without building it."""


class RunStreamMachine:
    """Decoding, accumulation and handler planning of one run stream; no I/O."""

    __slots__ = (
        "_apply",
        "_current",
        "_decode",
        "_unbuilt",
        "acc",
        "decoder",
        "done",
        "plan",
        "quiet",
        "request_id",
    )

    def __init__(self, request_id: str | None, handler: EventHooks[Any, Any] | None) -> None:
        self.request_id = request_id
        self.decoder = EventDecoder(request_id)
        self.acc = RunAccumulator()
        # Bound once: feed runs once per event.
        self._decode = self.decoder.decode
        self._apply = self.acc.apply
        self.plan = HookPlan(handler) if handler is not None else None
        self._current: Any = None
        # The last event when it was applied without being built (see feed).
        self._unbuilt: ServerSentEvent | None = None
        # Set when the stream reached its end: the done event, or a body that ended after
        # the run settled. Until then, results read from the stream are partial.
        self.done = False
        # Set while the stream is read only for its effects (until_done): the reading loop
        # then runs to the end without handing out each event.
        self.quiet = False

    @contextlib.contextmanager
    def quietly(self) -> Generator[None, None, None]:
        """Within: the reading loop does not yield the events (they are still accumulated
        and handed to the handler)."""
        self.quiet = True
        try:
            yield
        finally:
            self.quiet = False

    @property
    def current_event(self) -> Any:
        """The last event read (None before the first)."""
        unbuilt = self._unbuilt
        if unbuilt is not None:
            self._unbuilt = None
            self._current = self._decode(unbuilt)
        return self._current

    def feed(self, sse: ServerSentEvent) -> Any:
        """The typed event for ``sse`` (already accumulated), ``DONE`` at the end, or
        :data:`APPLIED` for an event applied without being built."""
        if (
            self.quiet
            and self.plan is None
            and sse.event == "thread.message.delta"
            and self.acc.apply_plain_text_delta(sse.data)
        ):
            # Read quietly with no handler, nobody sees this event: its text was appended
            # straight from the JSON, and the event is only built if current_event is read.
            self._unbuilt = sse
            return APPLIED
        try:
            event = self._decode(sse)
        except (IncompleteStreamError, APIStreamError) as exc:
            exc.partial = self.acc.snapshot()
            raise
        if event is DONE:
            self.done = True
            return event
        self._unbuilt = None
        self._current = event
        self._apply(event)
        return event

    def hooks(self, event: Any) -> list[Hook]:
        """The handler methods ``event`` calls, with their arguments."""
        plan = self.plan
        if plan is None:
            return []
        data = getattr(event, "data", None)
        if not isinstance(data, OpenModel) or not tracked(data):
            return plan.call_events(event)
        return plan.calls(event, self.acc)

    def ended(self, sse: SSEDecoder) -> None:
        """The body ended without ``done``: fine after a settled run status, else truncated."""
        try:
            sse.close()
        except IncompleteStreamError:
            raise self.truncated() from None
        if not self.acc.run_is_final:
            raise self.truncated()
        self.done = True

    def require_end(self) -> None:
        """Raise unless the stream was read to its end: one closed early (or stopped by an
        error, or by a handler that raised) holds a partial run, never a final one."""
        if not self.done:
            status = getattr(self.acc.run, "status", None)
            where = f" (the run was {str(status)!r})" if status is not None else ""
            raise IncompleteStreamError(
                f"the run stream was closed before its end{where}; its run, messages and run "
                "steps are incomplete (retrieve the run with runs.retrieve)",
                request_id=self.request_id,
                partial=self.acc.snapshot(),
            )

    def truncated(self) -> IncompleteStreamError:
        status = getattr(self.acc.run, "status", None)
        where = (
            f"while the run was {str(status)!r}" if status is not None else "before any run event"
        )
        return IncompleteStreamError(
            f"the run stream ended {where}, without its 'done' event; the run continues on the "
            "service (retrieve it with runs.retrieve)",
            request_id=self.request_id,
            partial=self.acc.snapshot(),
        )

    def broken(self, exc: httpx.TransportError | httpx.DecodingError) -> IncompleteStreamError:
        return body_read_error(
            exc,
            request_id=self.request_id,
            consequence="the run continues on the service",
            partial=self.acc.snapshot(),
        )

    def no_run(self) -> IncompleteStreamError:
        return IncompleteStreamError(
            "the stream carried no run event",
            request_id=self.request_id,
            partial=self.acc.snapshot(),
        )
