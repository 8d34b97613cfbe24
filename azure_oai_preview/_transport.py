"""The two drivers of the request exchange: :class:`SyncCore` and :class:`AsyncCore`.

What to do is decided in :func:`._exchange.exchange`; a core performs the steps it yields
with ``httpx.Client`` or ``httpx.AsyncClient`` and hands the response to the call's reader.
A core is what a client and its copies (``with_options``, ``with_raw_response``) share, and it
is the executor (:class:`~._call.SyncExecutor` / :class:`~._call.AsyncExecutor`) that results
such as pages use to fetch more.
"""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, cast

import httpx
from typing_extensions import Self

from ._auth import AsyncAuth, Auth
from ._exchange import exchange
from ._pool import AsyncConnectionSlots, ConnectionSlots
from ._raw import RawResponse
from ._redaction import CredentialHeaders
from ._steps import Authenticate, Close, ReadBody, Send, Sleep, Step, TooLong

if TYPE_CHECKING:
    from ._call import Call
    from ._config import ClientConfig

__all__ = ["AsyncCore", "SyncCore"]

T = TypeVar("T")
HttpT = TypeVar("HttpT", httpx.Client, httpx.AsyncClient)
AuthT = TypeVar("AuthT")
SlotsT = TypeVar("SlotsT", ConnectionSlots, AsyncConnectionSlots)


class _Core(Generic[HttpT, AuthT, SlotsT]):
    """Configuration, connection pool and auth; ``raw`` marks a ``with_raw_response`` view.

    ``slots`` is the pool of a client that created its own (:class:`~._pool.ConnectionSlots`):
    requests go out on its connections, and ``http`` only builds them. None: requests go out
    through ``http``, an HTTP client the caller gave.
    """

    __slots__ = ("auth", "config", "http", "raw", "slots")

    is_async: ClassVar[bool]

    def __init__(
        self,
        config: ClientConfig,
        http: HttpT,
        auth: AuthT,
        *,
        raw: bool = False,
        slots: SlotsT | None = None,
    ) -> None:
        self.config = config
        self.http = http
        self.auth = auth
        self.raw = raw
        self.slots = slots

    def derive(self, *, config: ClientConfig | None = None, raw: bool | None = None) -> Self:
        return type(self)(
            config or self.config,
            self.http,
            self.auth,
            raw=self.raw if raw is None else raw,
            slots=self.slots,
        )


class SyncCore(_Core[httpx.Client, Auth, ConnectionSlots]):
    """Executes calls with an ``httpx.Client``."""

    __slots__ = ()
    is_async = False

    def send(self, call: Call[Any, Any]) -> httpx.Response:
        steps = exchange(self.config, self.http, call)
        outcome: Any = None
        # The last response received: closed when the call ends in an exception (an error
        # raised, an interrupt) instead of returning it, so its connection is given back.
        pending: httpx.Response | None = None
        try:
            while True:
                try:
                    step = steps.send(outcome)
                except StopIteration as done:
                    pending = None
                    return done.value
                outcome = self._perform(step)
                if isinstance(outcome, httpx.Response):
                    pending = outcome
        finally:
            if pending is not None:
                pending.close()

    def _perform(self, step: Step) -> Any:
        """Perform one step of the exchange; its outcome."""
        if isinstance(step, Send):
            try:
                if self.slots is None:
                    return self.http.send(step.request, **_send_options(step))
                return self.slots.send(step.request, **_send_options(step))
            except httpx.TransportError as exc:
                return exc
        if isinstance(step, Authenticate):
            return CredentialHeaders(self.auth.headers())
        if isinstance(step, ReadBody):
            return _read_fully(step.response, step.limit)
        if isinstance(step, Close):
            return _drain(step)
        if isinstance(step, Sleep):
            return time.sleep(step.seconds)
        # A Challenge. Not every auth can answer a challenge (an api-key cannot): then it is a 401.
        answer = getattr(self.auth, "on_challenge", None)
        return bool(answer(step.www_authenticate)) if answer is not None else False

    def execute(self, call: Call[T, Any], /) -> T:
        """Send ``call`` and read its result."""
        response = self.send(call)
        return call.reader.read_sync(response, self, call)

    def execute_raw(self, call: Call[T, Any], /) -> RawResponse[T]:
        """Send ``call``; its result next to the HTTP response (``with_raw_response``)."""
        response = self.send(call)
        return RawResponse(response, call.reader.read_sync(response, self, call))


class AsyncCore(_Core[httpx.AsyncClient, AsyncAuth, AsyncConnectionSlots]):
    """Executes calls with an ``httpx.AsyncClient`` (asyncio or trio, via anyio)."""

    __slots__ = ()
    is_async = True

    async def send(self, call: Call[Any, Any]) -> httpx.Response:
        steps = exchange(self.config, self.http, call)
        outcome: Any = None
        pending: httpx.Response | None = None  # as in SyncCore.send
        try:
            while True:
                try:
                    step = steps.send(outcome)
                except StopIteration as done:
                    pending = None
                    return done.value
                outcome = await self._perform(step)
                if isinstance(outcome, httpx.Response):
                    pending = outcome
        finally:
            if pending is not None:
                # Shielded: closing must finish even when the call is being cancelled.
                import anyio  # the async client's only (a sync cold start skips it)

                with anyio.CancelScope(shield=True):
                    await pending.aclose()

    async def _perform(self, step: Step) -> Any:
        if isinstance(step, Send):
            try:
                if self.slots is None:
                    return await self.http.send(step.request, **_send_options(step))
                return await self.slots.send(step.request, **_send_options(step))
            except httpx.TransportError as exc:
                return exc
        if isinstance(step, Authenticate):
            return CredentialHeaders(await self.auth.async_headers())
        if isinstance(step, ReadBody):
            return await _aread_fully(step.response, step.limit)
        if isinstance(step, Close):
            return await _adrain(step)
        if isinstance(step, Sleep):
            import anyio

            return await anyio.sleep(step.seconds)
        answer = getattr(self.auth, "async_on_challenge", None)  # a Challenge
        return bool(await answer(step.www_authenticate)) if answer is not None else False

    async def execute(self, call: Call[Any, T], /) -> T:
        """Send ``call`` and read its result."""
        response = await self.send(call)
        return await call.reader.read_async(response, self, call)

    async def execute_raw(self, call: Call[Any, T], /) -> RawResponse[T]:
        """Send ``call``; its result next to the HTTP response (``with_raw_response``)."""
        response = await self.send(call)
        return RawResponse(response, await call.reader.read_async(response, self, call))


# What reading a body can fail with, for the exchange to judge: the connection (cut, timed
# out) or the content (not decodable with its content-encoding).
_READ_ERRORS = (httpx.TransportError, httpx.DecodingError)


def _read_fully(
    response: httpx.Response, limit: int | None
) -> httpx.TransportError | httpx.DecodingError | TooLong | None:
    """Read the body (up to ``limit`` bytes); a failure is returned for the exchange to judge."""
    try:
        if limit is None:
            response.read()
            return None
        head = _Head(limit)
        for chunk in response.iter_bytes():
            if not head.take(chunk):
                response.close()
                return TooLong(head.bytes())
        response._content = head.bytes()  # pyright: ignore[reportPrivateUsage]  # read whole
    except _READ_ERRORS as exc:
        return exc
    return None


async def _aread_fully(
    response: httpx.Response, limit: int | None
) -> httpx.TransportError | httpx.DecodingError | TooLong | None:
    try:
        if limit is None:
            await response.aread()
            return None
        head = _Head(limit)
        chunks = cast("AsyncGenerator[bytes, None]", response.aiter_bytes())
        try:
            async for chunk in chunks:
                if not head.take(chunk):
                    await response.aclose()
                    return TooLong(head.bytes())
        finally:
            await chunks.aclose()
        response._content = head.bytes()  # pyright: ignore[reportPrivateUsage]  # read whole
    except _READ_ERRORS as exc:
        return exc
    return None


class _Head:
    """The first ``limit`` bytes of a body read chunk by chunk."""

    __slots__ = ("chunks", "left")

    def __init__(self, limit: int) -> None:
        self.left = limit
        self.chunks: list[bytes] = []

    def take(self, chunk: bytes) -> bool:
        """Keep ``chunk`` (up to the limit); False once the body went past it."""
        self.chunks.append(chunk[: max(self.left, 0)])
        self.left -= len(chunk)
        return self.left >= 0

    def bytes(self) -> bytes:
        return b"".join(self.chunks)


def _send_options(step: Send) -> dict[str, Any]:
    options: dict[str, Any] = {"stream": True, "follow_redirects": False}
    if step.foreign:
        options["auth"] = None  # no auth at all, rather than the HTTP client's own
    return options


class _Drain:
    """The bounds of one :class:`~._steps.Close`'s drain, shared by both drivers.

    The byte and time budgets are checked between chunks; each read waits at most
    ``drain_seconds`` too, by lowering the read timeout httpcore takes from the request's
    ``timeout`` extension when the body starts (restored afterwards: the same request may be
    sent again).
    """

    __slots__ = ("deadline", "left", "response", "saved")

    def __init__(self, step: Close) -> None:
        self.response = step.response
        self.left = step.drain_bytes
        self.deadline = time.monotonic() + step.drain_seconds
        extensions = self.response.request.extensions
        self.saved: object = extensions.get("timeout")
        saved = cast("dict[str, float | None] | None", extensions.get("timeout"))
        if saved is not None:
            read = saved.get("read")
            shorter = step.drain_seconds if read is None else min(read, step.drain_seconds)
            extensions["timeout"] = {**saved, "read": shorter}

    def wanted(self) -> bool:
        """Whether there is a body left to drain at all."""
        return not (self.response.is_stream_consumed or self.response.is_closed)

    def take(self, chunk: bytes) -> bool:
        """Count ``chunk``; False once the budget is spent (stop reading, drop the connection)."""
        self.left -= len(chunk)
        return self.left >= 0 and time.monotonic() < self.deadline

    def restore(self) -> None:
        if self.saved is not None:
            self.response.request.extensions["timeout"] = self.saved


def _drain(step: Close) -> None:
    drain = _Drain(step)
    try:
        if drain.wanted():
            for chunk in step.response.iter_raw():
                if not drain.take(chunk):
                    break
    except httpx.HTTPError:
        pass  # a body that cannot be drained only costs its connection
    finally:
        drain.restore()
        step.response.close()


async def _adrain(step: Close) -> None:
    drain = _Drain(step)
    try:
        if drain.wanted():
            # Closed explicitly when left early: an abandoned async generator would be
            # finalised later, by whichever event loop hook is around.
            chunks = cast("AsyncGenerator[bytes, None]", step.response.aiter_raw())
            try:
                async for chunk in chunks:
                    if not drain.take(chunk):
                        break
            finally:
                await chunks.aclose()
    except httpx.HTTPError:
        pass
    finally:
        drain.restore()
        await step.response.aclose()
