"""Waiting for a run (or anything else with a status) to settle, without streaming.

A poll is written once, as a *flow*: a generator that yields what it needs done next - a
:class:`~._call.Call` to execute, or a :class:`~._steps.Sleep` - and receives each call's
result. It never does I/O itself, like the request exchange. :func:`drive_sync` and
:func:`drive_async` are the two small loops that perform the steps with an executor's
``execute`` and ``time.sleep``, or ``await execute`` and ``anyio.sleep``; the
:data:`~._resource.POLL` execution makes a flow builder a resource method.

So ``runs.create_and_poll``, ``runs.poll`` and ``threads.create_and_run_poll`` share one
polling rule (:func:`poll_until`), for both clients. A flow may also yield a :class:`Gather`
of calls to run concurrently (``file_batches.upload_and_poll`` uploads its files so): the sync
driver runs them in threads, the async one in an anyio task group. A step that fails is
thrown into the flow at its ``yield``, so a flow can say what it had done by then (the upload
helpers name the files they uploaded); a flow that does not catch it lets it through.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from ._exceptions import PollTimeoutError
from ._run_status import RUN_SETTLED_STATUSES
from ._steps import Sleep

if TYPE_CHECKING:
    from ._call import AsyncExecutor, Call, SyncExecutor

__all__ = [
    "RUN_SETTLED_STATUSES",
    "Flow",
    "Gather",
    "check_poll_timing",
    "drive_async",
    "drive_sync",
    "poll_until",
    "run_settled",
    "then_poll",
]

T = TypeVar("T")

DEFAULT_POLL_INTERVAL = 1.0
"""Seconds between two retrievals; runs typically take seconds, so this is gentle on quota."""


@dataclass(frozen=True, slots=True)
class Gather:
    """Execute ``calls`` concurrently, at most ``limit`` at a time. Outcome: their results, in
    the order of ``calls``. The first failure is raised, after the calls in flight have ended
    (sync: threads cannot be interrupted) or been cancelled (async); calls not yet started
    are not started.

    ``results`` is filled in by the driver as calls succeed (None for one that failed, was
    cancelled or never started): the flow the failure is thrown into reads which went through.
    """

    calls: Sequence[Call[Any, Any]]
    limit: int
    results: list[Any] = field(default_factory=list[Any], compare=False)

    def __post_init__(self) -> None:
        self.results[:] = [None] * len(self.calls)


Flow = Generator["Call[Any, Any] | Sleep | Gather", Any, T]
"""A sans-IO procedure: yields calls to execute (receiving their results), gathers and sleeps."""


def _now() -> float:
    # Looked up at call time so tests can substitute a fake clock.
    return time.monotonic()


def run_settled(run: Any) -> bool:
    """Whether polling a run can stop (terminal status, or ``requires_action``)."""
    status = getattr(run, "status", None)
    return getattr(status, "value", status) in RUN_SETTLED_STATUSES


def check_poll_timing(poll_interval: float, timeout: float | None) -> None:
    """Refuse a negative ``poll_interval`` or ``timeout`` (``ValueError``). :func:`poll_until`
    checks when the poll starts; a helper that sends something first checks before that."""
    if poll_interval < 0:
        raise ValueError(f"poll_interval must be >= 0 seconds, got {poll_interval!r}")
    if timeout is not None and timeout < 0:
        raise ValueError(f"timeout must be >= 0 seconds or None, got {timeout!r}")


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
    check_poll_timing(poll_interval, timeout)
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


def then_poll(first: Call[Any, Any] | Gather, poll: Callable[[Any], Flow[T]]) -> Flow[T]:
    """Execute ``first`` (a create or submit call, or a gather of uploads), then the poll
    built from its result."""
    result = yield first
    return (yield from poll(result))


def _resume(flow: Flow[T], outcome: Any, failure: Exception | None) -> Any:
    """The flow's next step, given the last one's outcome or failure (thrown in at its yield)."""
    return flow.send(outcome) if failure is None else flow.throw(failure)


def drive_sync(executor: SyncExecutor, flow: Flow[T]) -> T:
    """Perform a flow with the sync client."""
    outcome: Any = None
    failure: Exception | None = None
    while True:
        try:
            step = _resume(flow, outcome, failure)
        except StopIteration as done:
            return done.value
        outcome = failure = None
        try:
            if isinstance(step, Sleep):
                time.sleep(step.seconds)
            elif isinstance(step, Gather):
                outcome = _gather_sync(executor, step)
            else:
                outcome = executor.execute(step)
        except Exception as exc:  # (not an interrupt: those leave the flow where it is)
            failure = exc


async def drive_async(executor: AsyncExecutor, flow: Flow[T]) -> T:
    """Perform a flow with the async client (asyncio or trio)."""
    import anyio  # the async client's only: a sync program never loads it

    outcome: Any = None
    failure: Exception | None = None
    while True:
        try:
            step = _resume(flow, outcome, failure)
        except StopIteration as done:
            return done.value
        outcome = failure = None
        try:
            if isinstance(step, Sleep):
                await anyio.sleep(step.seconds)
            elif isinstance(step, Gather):
                outcome = await _gather_async(executor, step)
            else:
                outcome = await executor.execute(step)
        except Exception as exc:  # (cancellation is no Exception: it is not thrown in)
            failure = exc


def _gather_sync(executor: SyncExecutor, gather: Gather) -> list[Any]:
    results = gather.results
    failures: list[Exception] = []
    stop = threading.Event()

    def run(index: int, call: Call[Any, Any]) -> None:
        if stop.is_set():
            return  # a call failed: the ones not started yet are not started
        try:
            results[index] = executor.execute(call)
        except Exception as exc:  # the first one wins; calls in flight finish
            stop.set()
            failures.append(exc)

    if not gather.calls:
        return []
    workers = min(max(1, gather.limit), len(gather.calls))
    with ThreadPoolExecutor(workers, thread_name_prefix="azure-oai-gather") as pool:
        futures = [pool.submit(run, index, call) for index, call in enumerate(gather.calls)]
    if failures:
        raise failures[0]
    for future in futures:
        future.result()  # (what run() does not catch: no Exception, yet not to be lost)
    return list(results)


async def _gather_async(executor: AsyncExecutor, gather: Gather) -> list[Any]:
    import anyio

    results = gather.results
    failures: list[Exception] = []
    limiter = anyio.CapacityLimiter(max(1, gather.limit))

    async def run(index: int, call: Call[Any, Any]) -> None:
        async with limiter:
            if failures:
                return
            try:
                results[index] = await executor.execute(call)
            except Exception as exc:  # the first one wins; the others are cancelled
                failures.append(exc)
                group.cancel_scope.cancel()

    async with anyio.create_task_group() as group:
        for index, call in enumerate(gather.calls):
            group.start_soon(run, index, call)
    if failures:
        raise failures[0]
    return list(results)
