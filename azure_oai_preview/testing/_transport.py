"""The in-process way in: httpx transports that hand each request to the emulator.

No sockets and no server: ``httpx.Client(transport=EmulatorTransport(emulator))``. Latency
is slept (``time.sleep``, or ``anyio.sleep`` under asyncio and trio), streams arrive chunk by
chunk, and an injected broken stream raises httpx's ``RemoteProtocolError`` where the
connection would drop.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Iterator

import anyio
import httpx

from ._wire import EmulatedRequest, EmulatedResponse

__all__ = ["AsyncEmulatorTransport", "EmulatorTransport"]

Handle = Callable[[EmulatedRequest, str], EmulatedResponse]


def to_emulated(request: httpx.Request) -> tuple[EmulatedRequest, str]:
    raw_path = request.url.raw_path.decode("ascii").split("?", 1)[0]
    emulated = EmulatedRequest(
        method=request.method,
        path=raw_path,
        query=dict(request.url.params.multi_items()),
        headers={name.lower(): value for name, value in request.headers.items()},
        body=request.content,
    )
    return emulated, f"{request.url.scheme}://{request.url.netloc.decode('ascii')}"


def _dropped() -> httpx.RemoteProtocolError:
    return httpx.RemoteProtocolError("peer closed connection without sending complete message body")


class _SyncChunks(httpx.SyncByteStream):
    def __init__(self, response: EmulatedResponse) -> None:
        self._response = response

    def __iter__(self) -> Iterator[bytes]:
        for index, chunk in enumerate(self._response.chunks or []):
            if index and self._response.chunk_delay:
                time.sleep(self._response.chunk_delay)
            yield chunk
        if self._response.broken:
            raise _dropped()


class _AsyncChunks(httpx.AsyncByteStream):
    def __init__(self, response: EmulatedResponse) -> None:
        self._response = response

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for index, chunk in enumerate(self._response.chunks or []):
            if index and self._response.chunk_delay:
                await anyio.sleep(self._response.chunk_delay)
            yield chunk
        if self._response.broken:
            raise _dropped()


def _headers(response: EmulatedResponse) -> list[tuple[str, str]]:
    return list(response.headers.items())


class EmulatorTransport(httpx.BaseTransport):
    """A sync httpx transport served by an emulator (``emulator.transport()``)."""

    def __init__(self, handle: Handle) -> None:
        self._handle = handle

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        response = self._handle(*to_emulated(request))
        if response.delay:
            time.sleep(response.delay)
        if response.chunks is None:
            return httpx.Response(
                response.status, headers=_headers(response), content=response.body
            )
        return httpx.Response(
            response.status, headers=_headers(response), stream=_SyncChunks(response)
        )


class AsyncEmulatorTransport(httpx.AsyncBaseTransport):
    """An async httpx transport served by an emulator (``emulator.async_transport()``);
    works under asyncio and trio."""

    def __init__(self, handle: Handle) -> None:
        self._handle = handle

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        response = self._handle(*to_emulated(request))
        if response.delay:
            await anyio.sleep(response.delay)
        if response.chunks is None:
            return httpx.Response(
                response.status, headers=_headers(response), content=response.body
            )
        return httpx.Response(
            response.status, headers=_headers(response), stream=_AsyncChunks(response)
        )
