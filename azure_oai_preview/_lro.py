"""Following an Azure long-running operation to its end (``operation-location``, ``retry-after``).

Creating an ingestion job (``IngestionJobs_Create``, a PUT) starts a run and answers at once,
naming the run's status monitor in the ``operation-location`` header and, optionally, how
long to wait before asking in ``retry-after`` (the manifest's ``Operation.long_running``).
:func:`follow` is the flow that sends such a call and then GETs the monitor until the status
it reports is terminal; :func:`watch` is the polling half alone, for resuming from a monitor
URL (or a run id) kept earlier. Like every :data:`~._polling.Flow` they never do I/O themselves, so the sync
and async clients share them.

The waiting rule, as in azure-core: the service's ``retry-after`` (seconds or an HTTP date,
at most :data:`MAX_SERVER_WAIT`) wins; without one, ``poll_interval``. A ``timeout`` bounds
the whole wait: the last status request happens at the deadline, then
:class:`~azure_oai_preview.PollTimeoutError` carries the last status. The operation is never
cancelled by the client: it goes on on the service.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ._call import parse_json_response
from ._exceptions import APIResponseValidationError, PollTimeoutError, excerpt
from ._polling import check_poll_timing
from ._retry import server_requested_delay
from ._steps import Sleep

if TYPE_CHECKING:
    import httpx

    from ._call import AsyncExecutor, Call, SyncExecutor
    from ._polling import Flow

__all__ = ["MAX_SERVER_WAIT", "Monitored", "MonitoredReader", "finished", "follow", "watch"]

T = TypeVar("T")

MAX_SERVER_WAIT = 600.0
"""The longest ``retry-after`` honoured, in seconds; a longer (or non-positive) one is ignored."""

TERMINAL_STATUSES = frozenset({"succeeded", "failed", "canceled", "cancelled"})
"""Statuses after which an operation changes no more (compared case-insensitively: the
service reports ``Succeeded`` on a run and ``succeeded`` in the list of runs)."""


@dataclass(frozen=True, slots=True)
class Monitored(Generic[T]):
    """A parsed body, with the long-running operation headers of its response."""

    value: T
    monitor: str | None
    """The status monitor's absolute URL (``operation-location``), if the response named one."""
    retry_after: float | None
    """Seconds the service asked to wait before the next status request, if it did."""


class MonitoredReader(Generic[T]):
    """Reads a JSON body and the ``operation-location`` / ``retry-after`` headers.

    With ``require_monitor``, a response without ``operation-location`` is an
    :class:`~azure_oai_preview.APIResponseValidationError`: there is nothing to follow.
    """

    __slots__ = ("monitor_header", "require_monitor", "tp")

    def __init__(
        self, tp: Any, *, monitor_header: str = "operation-location", require_monitor: bool = False
    ) -> None:
        self.tp = tp
        self.monitor_header = monitor_header
        self.require_monitor = require_monitor

    def _read(self, response: httpx.Response, call: Call[Any, Any]) -> Monitored[T]:
        value = parse_json_response(response, self.tp)
        link = response.headers.get(self.monitor_header)
        if not link and self.require_monitor:
            raise APIResponseValidationError(
                f"{call.operation.operation_id} answered without the {self.monitor_header} "
                "header that names the operation to follow",
                response=response,
                body_excerpt=excerpt(response.content),
            )
        monitor = str(response.request.url.join(link)) if link else None
        return Monitored(value, monitor, server_requested_delay(response.headers))

    def read_sync(
        self, response: httpx.Response, executor: SyncExecutor, call: Call[Any, Any], /
    ) -> Monitored[T]:
        return self._read(response, call)

    async def read_async(
        self, response: httpx.Response, executor: AsyncExecutor, call: Call[Any, Any], /
    ) -> Monitored[T]:
        return self._read(response, call)


def finished(value: Any) -> bool:
    """Whether ``value``'s ``status`` is terminal (see :data:`TERMINAL_STATUSES`)."""
    status = getattr(value, "status", None)
    status = getattr(status, "value", status)
    return isinstance(status, str) and status.lower() in TERMINAL_STATUSES


def _now() -> float:
    # Looked up at call time so tests can substitute a fake clock.
    return time.monotonic()


def _wait(retry_after: float | None, poll_interval: float) -> float:
    if retry_after is not None and 0 < retry_after <= MAX_SERVER_WAIT:
        return retry_after
    return poll_interval


def follow(
    start: Call[Monitored[Any], Monitored[Any]],
    status: Callable[[str], Call[Monitored[Any], Monitored[Any]]],
    *,
    poll_interval: float,
    timeout: float | None,
) -> Flow[Any]:
    """Send ``start`` (its reader must require a monitor), then poll the monitor it names.

    ``status(url)`` builds the status request for the monitor's URL. Returns the terminal
    status (the parsed body of the last status response), whatever it is: a failed operation
    is an answer, not an error.
    """
    check_poll_timing(poll_interval, timeout)
    deadline = None if timeout is None else _now() + timeout
    started: Monitored[Any] = yield start
    monitor = started.monitor
    assert monitor is not None  # the reader requires it
    first_wait = _wait(started.retry_after, poll_interval)
    return (yield from _poll(lambda: status(monitor), poll_interval, timeout, deadline, first_wait))


def watch(
    fetch: Callable[[], Call[Monitored[Any], Monitored[Any]]],
    *,
    poll_interval: float,
    timeout: float | None,
) -> Flow[Any]:
    """Request the status with ``fetch()`` (now, then as the service asks) until it is
    terminal: resuming from a monitor URL or id kept earlier."""
    check_poll_timing(poll_interval, timeout)
    deadline = None if timeout is None else _now() + timeout
    return (yield from _poll(fetch, poll_interval, timeout, deadline, 0.0))


_NOTHING: Any = object()


def _poll(
    fetch: Callable[[], Call[Monitored[Any], Monitored[Any]]],
    poll_interval: float,
    timeout: float | None,
    deadline: float | None,
    wait: float,
) -> Flow[Any]:
    last: Any = _NOTHING
    while True:
        if deadline is not None:
            remaining = deadline - _now()
            if remaining <= 0 and last is not _NOTHING:
                raise PollTimeoutError(last, timeout or 0.0)
            wait = min(wait, max(remaining, 0.0))
        if wait > 0:
            yield Sleep(wait)
        polled: Monitored[Any] = yield fetch()
        last = polled.value
        if finished(last):
            return last
        wait = _wait(polled.retry_after, poll_interval)
