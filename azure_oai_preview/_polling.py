"""Waiting for a run (or anything else with a status) to settle, without streaming.

A poll is written once, as a *flow*: a generator that yields what it needs done next - a
:class:`~._call.Call` to execute, or a :class:`~._steps.Sleep` - and receives each call's
result. It never does I/O itself, like the request exchange. :func:`drive_sync` and
:func:`drive_async` are the two small loops that perform the steps with an executor's
``execute`` and ``time.sleep``, or ``await execute`` and ``anyio.sleep``; the
:data:`~._resource.POLL` execution makes a flow builder a resource method.

So ``runs.create_and_poll``, ``runs.poll`` and ``threads.create_and_run_poll`` share one
polling rule (:func:`poll_until`), for both clients.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any, TypeVar

import anyio

from ._exceptions import PollTimeoutError
from ._run_status import RUN_SETTLED_STATUSES
from ._steps import Sleep

if TYPE_CHECKING:
    from ._call import AsyncExecutor, Call, SyncExecutor

__all__ = [
    "RUN_SETTLED_STATUSES",
    "Flow",
    "drive_async",
    "drive_sync",
    "poll_until",
    "run_settled",
    "then_poll",
]

T = TypeVar("T")

DEFAULT_POLL_INTERVAL = 1.0
"""Seconds between two retrievals; runs typically take seconds, so this is gentle on quota."""


Flow = Generator["Call[Any, Any] | Sleep", Any, T]
"""A sans-IO procedure: yields calls to execute (receiving their results) and sleeps."""


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


def drive_sync(executor: SyncExecutor, flow: Flow[T]) -> T:
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
            outcome = executor.execute(step)


async def drive_async(executor: AsyncExecutor, flow: Flow[T]) -> T:
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
            outcome = await executor.execute(step)
