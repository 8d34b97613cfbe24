"""Waiting for a run (or anything else with a status) to settle, without streaming.

A poll is written once, as a *flow*: a generator that yields what it needs done next - a
:class:`~._call.Call` to execute, or a :class:`Sleep` - and receives each call's result. It
never does I/O itself, like the core's request exchange. :func:`drive_sync` and
:func:`drive_async` are the two small loops that perform the steps with ``core.execute`` and
``time.sleep``, or ``await core.execute`` and ``anyio.sleep``; :class:`flow_operation` makes
a flow a resource method the way :class:`~._resource.operation` does for single calls.

So ``runs.create_and_poll``, ``runs.poll`` and ``threads.create_and_run_poll`` share one
polling rule (:func:`poll_until`), for both clients.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Coroutine, Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

import anyio
from typing_extensions import ParamSpec, Self

from ._call import Call
from ._exceptions import AzureOpenAIError
from ._run_status import RUN_SETTLED_STATUSES

if TYPE_CHECKING:
    from ._resource import AsyncMode, AsyncRawMode, Resource, SyncMode, SyncRawMode
    from ._transport import AsyncCore, SyncCore

__all__ = [
    "RUN_SETTLED_STATUSES",
    "Flow",
    "PollTimeoutError",
    "Sleep",
    "drive_async",
    "drive_sync",
    "flow_operation",
    "poll_until",
    "run_settled",
    "then_poll",
]

P = ParamSpec("P")
T = TypeVar("T")

DEFAULT_POLL_INTERVAL = 1.0
"""Seconds between two retrievals; runs typically take seconds, so this is gentle on quota."""


@dataclass(frozen=True, slots=True)
class Sleep:
    """A step of a flow: wait this many seconds before the next one."""

    seconds: float


Flow = Generator["Call[Any, Any] | Sleep", Any, T]
"""A sans-IO procedure: yields calls to execute (receiving their results) and sleeps."""


class PollTimeoutError(AzureOpenAIError, TimeoutError):
    """Polling gave up: the object had not settled when ``timeout`` ran out.

    The object is not cancelled - it may still finish. ``last`` is what the final
    retrieval returned (a ``RunObject`` for runs), so you can keep polling or cancel it.
    """

    def __init__(self, last: Any, timeout: float) -> None:
        self.last = last
        self.timeout = timeout
        kind = getattr(last, "object", None) or type(last).__name__
        status = getattr(last, "status", None)
        super().__init__(
            f"{kind} {getattr(last, 'id', '?')} was still {str(status)!r} after {timeout:g}s of polling; "
            "it keeps going on the service - poll again, raise timeout=, or cancel it"
        )


def _now() -> float:
    # Looked up at call time so tests can substitute a fake clock.
    return time.monotonic()


def run_settled(run: Any) -> bool:
    """Whether polling a run can stop (terminal status, or ``requires_action``)."""
    status = getattr(run, "status", None)
    return getattr(status, "value", status) in RUN_SETTLED_STATUSES


def poll_until(
    fetch: Callable[[], Call[Any, Any]],
    settled: Callable[[Any], bool],
    *,
    poll_interval: float,
    timeout: float | None,
    current: Any = None,
) -> Flow[Any]:
    """Retrieve with ``fetch()`` every ``poll_interval`` seconds until ``settled(result)``.

    ``current`` is an object already in hand (the run a create call returned): when it has
    settled nothing is fetched at all. The last retrieval happens at the deadline, not an
    interval after it, so a ``timeout`` shorter than the interval still gets its answer.
    """
    if poll_interval < 0:
        raise ValueError(f"poll_interval must be >= 0 seconds, got {poll_interval!r}")
    if timeout is not None and timeout < 0:
        raise ValueError(f"timeout must be >= 0 seconds or None, got {timeout!r}")
    deadline = None if timeout is None else _now() + timeout
    if current is not None and settled(current):
        return current
    while True:
        if current is not None:
            # Not settled yet: wait, but never past the deadline.
            wait = poll_interval
            if deadline is not None:
                remaining = deadline - _now()
                if remaining <= 0:
                    raise PollTimeoutError(current, timeout or 0.0)
                wait = min(wait, remaining)
            if wait > 0:
                yield Sleep(wait)
        current = yield fetch()
        if settled(current):
            return current


def then_poll(first: Call[Any, Any], poll: Callable[[Any], Flow[T]]) -> Flow[T]:
    """Execute ``first`` (a create or submit call), then the poll built from its result."""
    result = yield first
    return (yield from poll(result))


def drive_sync(core: SyncCore, flow: Flow[T]) -> T:
    """Perform a flow with the sync client."""
    outcome: Any = None
    while True:
        try:
            step = flow.send(outcome)
        except StopIteration as done:
            return done.value
        if isinstance(step, Sleep):
            time.sleep(step.seconds)
            outcome = None
        else:
            outcome = core.execute(step)


async def drive_async(core: AsyncCore, flow: Flow[T]) -> T:
    """Perform a flow with the async client (asyncio or trio)."""
    outcome: Any = None
    while True:
        try:
            step = flow.send(outcome)
        except StopIteration as done:
            return done.value
        if isinstance(step, Sleep):
            await anyio.sleep(step.seconds)
            outcome = None
        else:
            outcome = await core.execute(step)


def _bind(core: SyncCore | AsyncCore, make_flow: Callable[..., Flow[Any]]) -> Callable[..., Any]:
    from ._transport import AsyncCore

    # The steps of a flow need parsed results, so a raw-response view polls with a plain
    # core too and returns the plain result.
    plain = core.derive(raw=False)
    if isinstance(plain, AsyncCore):
        async_core = plain

        async def call_async(*args: Any, **kwargs: Any) -> Any:
            return await drive_async(async_core, make_flow(*args, **kwargs))

        return functools.update_wrapper(call_async, make_flow)

    sync_core = plain

    def call_sync(*args: Any, **kwargs: Any) -> Any:
        return drive_sync(sync_core, make_flow(*args, **kwargs))

    return functools.update_wrapper(call_sync, make_flow)


class flow_operation(Generic[P, T]):
    """Declares a resource method from a flow function (see the module doc).

    The method returns ``T`` on sync resources and a coroutine of ``T`` on async ones; on
    the raw-response views too (a poll is many responses, so there is no single one to show).
    """

    __slots__ = ("make_flow",)

    def __init__(self, make_flow: Callable[P, Flow[T]]) -> None:
        self.make_flow = make_flow

    @overload
    def __get__(self, instance: None, owner: Any) -> Self: ...
    @overload
    def __get__(self, instance: Resource[SyncMode], owner: Any) -> Callable[P, T]: ...
    @overload
    def __get__(
        self, instance: Resource[AsyncMode], owner: Any
    ) -> Callable[P, Coroutine[Any, Any, T]]: ...
    @overload
    def __get__(self, instance: Resource[SyncRawMode], owner: Any) -> Callable[P, T]: ...
    @overload
    def __get__(
        self, instance: Resource[AsyncRawMode], owner: Any
    ) -> Callable[P, Coroutine[Any, Any, T]]: ...
    def __get__(self, instance: Resource[Any] | None, owner: Any) -> Any:
        if instance is None:
            return self
        return _bind(instance._core, self.make_flow)
