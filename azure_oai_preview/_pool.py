"""The connection pool a client creates when it is not given an ``http_client``.

Azure OpenAI speaks HTTP/1.1: a connection carries one request at a time, so the pool size
is the client's concurrency, and every connection opened costs a TCP and a TLS handshake
(a few round trips) and a slot in the service's and any gateway's connection tables.

:data:`DEFAULT_CONNECTION_LIMITS` - at most 100 connections, all of them kept alive, each
for 15 s once idle:

* **Bounded at 100.** A burst of 1,000 calls is served by at most 100 connections; the
  other calls wait for a free one (up to the timeout's ``pool`` value, 600 s by default, then
  :class:`~azure_oai_preview.APITimeoutError` after any retries), rather than opening a
  thousand connections that a deployment's rate limit would answer with 429s anyway.
* **Every connection kept alive.** httpx's default keeps only 20 idle connections: past 20
  concurrent calls, each finished call closes its connection and the next one opens a new
  one, which is why a burst of 1,000 calls opened hundreds of connections.
* **15 s idle expiry.** Long enough to carry connections from one burst to the next, short
  enough to let them go before gateways and load balancers drop idle ones on their side
  (a connection dropped while idle costs a retry when it is next used).

How: a client's own pool is :class:`ConnectionSlots`, one single-connection ``httpx`` client
per slot, handed out to one request at a time. httpx's shared pool bounds connections too,
but when calls wait for a connection it offers an idle one to every waiting request at once,
all but one of them retry, and each round looks at every request and connection: a burst
spends its time there (see ``nox -s bench``). A slot is taken before a request is sent and
given back when its response is closed (read to the end, released, or a stream closed), or
when sending fails.

To choose other limits, pass your own HTTP client; the SDK sets the timeout of each request
itself (``timeout=``), so only the pool, proxies and TLS settings come from it::

    import httpx
    from azure_oai_preview import AsyncAzureOpenAI

    http = httpx.AsyncClient(limits=httpx.Limits(max_connections=300, max_keepalive_connections=300))
    client = AsyncAzureOpenAI(endpoint=..., credential=..., http_client=http)

A client given an ``http_client`` leaves it open on ``close()``: close it yourself.
"""

from __future__ import annotations

import ssl
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from typing import TYPE_CHECKING, Any, Final, Generic, TypeVar

import httpx

if TYPE_CHECKING:
    import anyio

__all__ = ["DEFAULT_CONNECTION_LIMITS"]

DEFAULT_CONNECTION_LIMITS: Final = httpx.Limits(
    max_connections=100, max_keepalive_connections=100, keepalive_expiry=15.0
)
"""The limits of the pool a client creates when given no ``http_client`` (see the module
docstring)."""

ClientT = TypeVar("ClientT", httpx.Client, httpx.AsyncClient)


def _pool_timeout(request: httpx.Request) -> float | None:
    timeout: dict[str, float | None] = request.extensions.get("timeout") or {}
    return timeout.get("pool")


def _pool_timeout_error(request: httpx.Request) -> httpx.PoolTimeout:
    return httpx.PoolTimeout(
        "no connection became free within the timeout's pool value", request=request
    )


class _Slots(Generic[ClientT]):
    """The slot bookkeeping shared by the sync and async pools: idle single-connection
    clients (most recently used first, so that the spare ones expire) and all of them."""

    def __init__(self, size: int, make: Callable[[httpx.Limits, ssl.SSLContext], ClientT]) -> None:
        self.size = size
        self._make = make
        self._lock = threading.Lock()
        self._idle: list[ClientT] = []
        self._all: list[ClientT] = []
        self._limits = httpx.Limits(
            max_connections=1,
            max_keepalive_connections=1,
            keepalive_expiry=DEFAULT_CONNECTION_LIMITS.keepalive_expiry,
        )
        self._ssl: ssl.SSLContext | None = None

    def take(self) -> ClientT:
        """A client for one request (the caller holds a slot)."""
        with self._lock:
            if self._idle:
                return self._idle.pop()
            if self._ssl is None:
                # One TLS context for all: building one loads the CA bundle (tens of ms).
                self._ssl = httpx.create_ssl_context()
            client = self._make(self._limits, self._ssl)
            self._all.append(client)
            return client

    def give_back(self, client: ClientT) -> None:
        with self._lock:
            self._idle.append(client)

    def every_client(self) -> list[ClientT]:
        with self._lock:
            clients, self._all, self._idle = self._all, [], []
        return clients


class _Lease:
    """One request's slot: given back once, however many times its response is closed."""

    __slots__ = ("_give_back",)

    def __init__(self, give_back: Callable[[], None]) -> None:
        self._give_back: Callable[[], None] | None = give_back

    def end(self) -> None:
        give_back, self._give_back = self._give_back, None
        if give_back is not None:
            give_back()


class _ReleasingStream(httpx.SyncByteStream):
    def __init__(self, inner: httpx.SyncByteStream, lease: _Lease) -> None:
        self._inner = inner
        self._lease = lease

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._inner)

    def close(self) -> None:
        try:
            self._inner.close()
        finally:
            self._lease.end()


class _AsyncReleasingStream(httpx.AsyncByteStream):
    def __init__(self, inner: httpx.AsyncByteStream, lease: _Lease) -> None:
        self._inner = inner
        self._lease = lease

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self._inner.__aiter__()

    async def aclose(self) -> None:
        try:
            await self._inner.aclose()
        finally:
            self._lease.end()


class ConnectionSlots:
    """The pool of a sync client: ``size`` single-connection clients, one request each at a
    time (see the module docstring). A request that gets no slot within the timeout's
    ``pool`` value fails with ``httpx.PoolTimeout``, which is retried and then raised as
    :class:`~azure_oai_preview.APITimeoutError`, like httpx's own pool timeout."""

    __slots__ = ("_semaphore", "_slots")

    def __init__(self, size: int) -> None:
        self._slots = _Slots(size, lambda limits, tls: httpx.Client(limits=limits, verify=tls))
        self._semaphore = threading.BoundedSemaphore(size)

    def send(self, request: httpx.Request, **options: Any) -> httpx.Response:
        """Send ``request`` on a free connection (``httpx.send`` options)."""
        if not self._semaphore.acquire(timeout=_pool_timeout(request)):
            raise _pool_timeout_error(request)
        client = self._slots.take()

        def give_back() -> None:
            self._slots.give_back(client)
            self._semaphore.release()

        lease = _Lease(give_back)
        try:
            response = client.send(request, **options)
        except BaseException:
            lease.end()
            raise
        response.stream = _ReleasingStream(response.stream, lease)  # type: ignore[arg-type]
        return response

    def close(self) -> None:
        for client in self._slots.every_client():
            client.close()


class AsyncConnectionSlots:
    """The pool of an async client, as :class:`ConnectionSlots`. Its semaphore is made in the
    first event loop that sends: like the connections, the pool belongs to that loop."""

    __slots__ = ("_semaphore", "_slots")

    def __init__(self, size: int) -> None:
        self._slots = _Slots(size, lambda limits, tls: httpx.AsyncClient(limits=limits, verify=tls))
        self._semaphore: anyio.Semaphore | None = None

    async def send(self, request: httpx.Request, **options: Any) -> httpx.Response:
        import anyio  # only async clients load it (see _transport)

        if self._semaphore is None:
            self._semaphore = anyio.Semaphore(self._slots.size, max_value=self._slots.size)
        semaphore = self._semaphore
        acquired = False
        with anyio.move_on_after(_pool_timeout(request)):
            await semaphore.acquire()
            acquired = True
        if not acquired:
            raise _pool_timeout_error(request)
        client = self._slots.take()

        def give_back() -> None:
            self._slots.give_back(client)
            semaphore.release()

        lease = _Lease(give_back)
        try:
            response = await client.send(request, **options)
        except BaseException:
            lease.end()
            raise
        response.stream = _AsyncReleasingStream(response.stream, lease)  # type: ignore[arg-type]
        return response

    async def aclose(self) -> None:
        for client in self._slots.every_client():
            await client.aclose()
