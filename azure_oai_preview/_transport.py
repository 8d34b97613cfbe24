"""The two drivers of the request exchange: :class:`SyncCore` and :class:`AsyncCore`.

What to do is decided in :func:`._exchange.exchange`; a core performs the steps it yields
with ``httpx.Client`` or ``httpx.AsyncClient`` and hands the response to the call's reader.
A core is what a client and its copies (``with_options``, ``with_raw_response``) share, and it
is the executor (:class:`~._call.SyncExecutor` / :class:`~._call.AsyncExecutor`) that results
such as pages use to fetch more.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

import anyio
import httpx
from typing_extensions import Self

from ._auth import AsyncAuth, Auth
from ._exchange import exchange
from ._raw import RawResponse
from ._steps import Authenticate, Close, ReadBody, Send, Sleep

if TYPE_CHECKING:
    from ._call import Call
    from ._config import ClientConfig

__all__ = ["AsyncCore", "SyncCore"]

T = TypeVar("T")
HttpT = TypeVar("HttpT", httpx.Client, httpx.AsyncClient)
AuthT = TypeVar("AuthT")


class _Core(Generic[HttpT, AuthT]):
    """Configuration, connection pool and auth; ``raw`` marks a ``with_raw_response`` view."""

    __slots__ = ("auth", "config", "http", "raw")

    is_async: ClassVar[bool]

    def __init__(
        self, config: ClientConfig, http: HttpT, auth: AuthT, *, raw: bool = False
    ) -> None:
        self.config = config
        self.http = http
        self.auth = auth
        self.raw = raw

    def derive(self, *, config: ClientConfig | None = None, raw: bool | None = None) -> Self:
        return type(self)(
            config or self.config, self.http, self.auth, raw=self.raw if raw is None else raw
        )


class SyncCore(_Core[httpx.Client, Auth]):
    """Executes calls with an ``httpx.Client``."""

    __slots__ = ()
    is_async = False

    def send(self, call: Call[Any, Any]) -> httpx.Response:
        steps = exchange(self.config, self.http, call)
        outcome: Any = None
        while True:
            try:
                step = steps.send(outcome)
            except StopIteration as done:
                return done.value
            outcome = None
            if isinstance(step, Send):
                try:
                    outcome = self.http.send(step.request, stream=True, follow_redirects=False)
                except httpx.TransportError as exc:
                    outcome = exc
            elif isinstance(step, Authenticate):
                outcome = self.auth.headers()
            elif isinstance(step, ReadBody):
                outcome = _read_fully(step.response)
            elif isinstance(step, Close):
                step.response.close()
            elif isinstance(step, Sleep):
                time.sleep(step.seconds)
            else:
                # A Challenge. Not every auth can answer a challenge (an api-key cannot): then it is a 401.
                answer = getattr(self.auth, "on_challenge", None)
                outcome = bool(answer(step.www_authenticate)) if answer is not None else False

    def execute(self, call: Call[T, Any], /) -> T:
        """Send ``call`` and read its result."""
        response = self.send(call)
        return call.reader.read_sync(response, self, call)

    def execute_raw(self, call: Call[T, Any], /) -> RawResponse[T]:
        """Send ``call``; its result next to the HTTP response (``with_raw_response``)."""
        response = self.send(call)
        return RawResponse(response, call.reader.read_sync(response, self, call))


class AsyncCore(_Core[httpx.AsyncClient, AsyncAuth]):
    """Executes calls with an ``httpx.AsyncClient`` (asyncio or trio, via anyio)."""

    __slots__ = ()
    is_async = True

    async def send(self, call: Call[Any, Any]) -> httpx.Response:
        steps = exchange(self.config, self.http, call)
        outcome: Any = None
        while True:
            try:
                step = steps.send(outcome)
            except StopIteration as done:
                return done.value
            outcome = None
            if isinstance(step, Send):
                try:
                    outcome = await self.http.send(
                        step.request, stream=True, follow_redirects=False
                    )
                except httpx.TransportError as exc:
                    outcome = exc
            elif isinstance(step, Authenticate):
                outcome = await self.auth.async_headers()
            elif isinstance(step, ReadBody):
                outcome = await _aread_fully(step.response)
            elif isinstance(step, Close):
                await step.response.aclose()
            elif isinstance(step, Sleep):
                await anyio.sleep(step.seconds)
            else:  # a Challenge
                answer = getattr(self.auth, "async_on_challenge", None)
                outcome = bool(await answer(step.www_authenticate)) if answer is not None else False

    async def execute(self, call: Call[Any, T], /) -> T:
        """Send ``call`` and read its result."""
        response = await self.send(call)
        return await call.reader.read_async(response, self, call)

    async def execute_raw(self, call: Call[Any, T], /) -> RawResponse[T]:
        """Send ``call``; its result next to the HTTP response (``with_raw_response``)."""
        response = await self.send(call)
        return RawResponse(response, await call.reader.read_async(response, self, call))


def _read_fully(response: httpx.Response) -> httpx.TransportError | None:
    """Read the body; a transport failure is returned for the exchange to judge."""
    try:
        response.read()
    except httpx.TransportError as exc:
        return exc
    return None


async def _aread_fully(response: httpx.Response) -> httpx.TransportError | None:
    try:
        await response.aread()
    except httpx.TransportError as exc:
        return exc
    return None
