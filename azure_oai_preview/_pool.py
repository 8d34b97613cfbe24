"""The connection pool a client creates when it is not given an ``http_client``.

Azure OpenAI speaks HTTP/1.1: a connection carries one request at a time, so the pool size
is the client's concurrency, and every connection opened costs a TCP and a TLS handshake
(a few round trips) and a slot in the service's and any gateway's connection tables.

:data:`DEFAULT_CONNECTION_LIMITS` (100 connections, all of them kept alive for 15 s):

* **Bounded at 100.** A burst of 1,000 calls is served by at most 100 connections; the
  others wait for a free one (up to the timeout's ``pool`` value, 600 s by default, then
  :class:`~azure_oai_preview.APITimeoutError` after any retries), rather than opening a
  thousand connections that a deployment's rate limit would answer with 429s anyway.
* **Every connection kept alive.** httpx's default keeps only 20 idle connections: past 20
  concurrent calls, each finished call closes its connection and the next one opens a new
  one, which is why a burst of 1,000 calls opened hundreds of connections. Keeping as many
  as may be open means a burst opens each connection once.
* **15 s idle expiry.** Long enough to carry connections from one burst to the next, short
  enough to let them go before gateways and load balancers drop idle ones on their side
  (a connection dropped while idle costs a retry when it is next used).

To choose other limits, pass your own HTTP client; the SDK sets the timeout of each request
itself (``timeout=``), so only the pool, proxies and TLS settings come from it::

    import httpx
    from azure_oai_preview import AsyncAzureOpenAI

    http = httpx.AsyncClient(limits=httpx.Limits(max_connections=300, max_keepalive_connections=300))
    client = AsyncAzureOpenAI(endpoint=..., credential=..., http_client=http)

A client given an ``http_client`` leaves it open on ``close()``: close it yourself.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, Final

import anyio
import httpx

__all__ = ["DEFAULT_CONNECTION_LIMITS"]

DEFAULT_CONNECTION_LIMITS: Final = httpx.Limits(
    max_connections=100, max_keepalive_connections=100, keepalive_expiry=15.0
)
"""The pool limits of the HTTP client a client creates (see the module docstring)."""


def default_http_client() -> httpx.Client:
    """The HTTP client :class:`~azure_oai_preview.AzureOpenAI` creates when given none."""
    return httpx.Client(limits=DEFAULT_CONNECTION_LIMITS)


def default_async_http_client() -> httpx.AsyncClient:
    """The HTTP client :class:`~azure_oai_preview.AsyncAzureOpenAI` creates when given none."""
    return httpx.AsyncClient(limits=DEFAULT_CONNECTION_LIMITS)


def _pool_timeout(request: httpx.Request) -> float | None:
    timeout = request.extensions.get("timeout")
    return timeout.get("pool") if isinstance(timeout, dict) else None  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]


def _pool_timeout_error(request: httpx.Request) -> httpx.PoolTimeout:
    return httpx.PoolTimeout(
        "no connection became free within the timeout's pool value", request=request
    )


class _Slot:
    """One held slot; released once, however many times the response is closed."""

    __slots__ = ("_release",)

    def __init__(self, release: Callable[[], None]) -> None:
        self._release: Callable[[], None] | None = release

    def release(self) -> None:
        release, self._release = self._release, None
        if release is not None:
            release()


class _ReleasingStream(httpx.SyncByteStream):
    def __init__(self, inner: httpx.SyncByteStream, slot: _Slot) -> None:
        self._inner = inner
        self._slot = slot

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._inner)

    def close(self) -> None:
        try:
            self._inner.close()
        finally:
            self._slot.release()


class _AsyncReleasingStream(httpx.AsyncByteStream):
    def __init__(self, inner: httpx.AsyncByteStream, slot: _Slot) -> None:
        self._inner = inner
        self._slot = slot

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self._inner.__aiter__()

    async def aclose(self) -> None:
        try:
            await self._inner.aclose()
        finally:
            self._slot.release()


class ConnectionSlots:
    """At most ``size`` requests in the HTTP client's pool at a time; the others wait here.

    httpx already bounds the connections, but its pool looks at every waiting request and
    every connection whenever one is taken or given back: a burst of a thousand calls on a
    hundred connections makes that quadratic, and the burst slow (``nox -s bench``). Waiting
    here costs nothing per call. A slot is taken before a request is sent and given back when
    its response is closed (read to the end, released, or a stream closed), or when sending
    fails; a call that gets none within the timeout's ``pool`` value fails like httpx's own
    pool timeout (``httpx.PoolTimeout``, retried, then
    :class:`~azure_oai_preview.APITimeoutError`).
    """

    __slots__ = ("_semaphore",)

    def __init__(self, size: int) -> None:
        self._semaphore = threading.BoundedSemaphore(size)

    def send(self, http: httpx.Client, request: httpx.Request, **options: Any) -> httpx.Response:
        """``http.send(request, **options)`` once a slot is free (``httpx.PoolTimeout`` if none)."""
        timeout = _pool_timeout(request)
        if not self._semaphore.acquire(timeout=timeout if timeout is not None else -1):
            raise _pool_timeout_error(request)
        slot = _Slot(self._semaphore.release)
        try:
            response = http.send(request, **options)
        except BaseException:
            slot.release()
            raise
        response.stream = _ReleasingStream(response.stream, slot)  # type: ignore[arg-type]
        return response


class AsyncConnectionSlots:
    """The async :class:`ConnectionSlots` (an anyio semaphore, made in the first event loop
    that sends: like the HTTP client's connections, it belongs to that loop)."""

    __slots__ = ("_semaphore", "_size")

    def __init__(self, size: int) -> None:
        self._size = size
        self._semaphore: anyio.Semaphore | None = None

    async def send(
        self, http: httpx.AsyncClient, request: httpx.Request, **options: Any
    ) -> httpx.Response:
        if self._semaphore is None:
            self._semaphore = anyio.Semaphore(self._size, max_value=self._size)
        semaphore = self._semaphore
        slot: _Slot | None = None
        with anyio.move_on_after(_pool_timeout(request)):
            await semaphore.acquire()
            slot = _Slot(semaphore.release)
        if slot is None:
            raise _pool_timeout_error(request)
        try:
            response = await http.send(request, **options)
        except BaseException:
            slot.release()
            raise
        response.stream = _AsyncReleasingStream(response.stream, slot)  # type: ignore[arg-type]
        return response
