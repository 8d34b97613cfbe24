"""The emulator as an ASGI application (Starlette), for :mod:`._server` or any ASGI server.

One catch-all route hands each request to :meth:`Emulator.handle`; latency and chunk
delays are awaited, streams are sent chunk by chunk, and an injected broken stream stops
without finishing the response, so the server drops the connection mid-body as a real
one would.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import anyio
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from ._wire import EmulatedRequest, EmulatedResponse, Servable

__all__ = ["build_app"]

_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


INCOMPLETE_RESPONSE = "ASGI callable returned without completing response."
"""What uvicorn logs when a response is left unfinished: here, always an injected fault."""


async def _chunks(response: EmulatedResponse) -> AsyncIterator[bytes]:
    for index, chunk in enumerate(response.chunks or []):
        if index and response.chunk_delay:
            await anyio.sleep(response.chunk_delay)
        yield chunk


class _BrokenStream(Response):
    """Sends its chunks and never finishes the body: the server drops the connection."""

    def __init__(
        self, response: EmulatedResponse, headers: dict[str, str], media_type: str | None
    ) -> None:
        super().__init__(None, response.status, headers=headers, media_type=media_type)
        self._emulated = response

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send(
            {"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers}
        )
        async for chunk in _chunks(self._emulated):
            await send({"type": "http.response.body", "body": chunk, "more_body": True})


def build_app(emulator: Servable) -> Starlette:
    async def serve(request: Request) -> Response:
        emulated = EmulatedRequest(
            method=request.method,
            path=request.scope.get("raw_path", b"").decode("latin-1").split("?", 1)[0]
            or request.url.path,
            query=dict(request.query_params),
            headers={name.lower(): value for name, value in request.headers.items()},
            body=await request.body(),
        )
        base_url = f"{request.url.scheme}://{request.url.netloc}"
        response = emulator.handle(emulated, base_url)
        if response.delay:
            await anyio.sleep(response.delay)
        headers = {k: v for k, v in response.headers.items() if k != "content-type"}
        media_type = response.headers.get("content-type")
        if response.chunks is None:
            return Response(response.body, response.status, headers=headers, media_type=media_type)
        if response.broken:
            return _BrokenStream(response, headers, media_type)
        return StreamingResponse(
            _chunks(response), response.status, headers=headers, media_type=media_type
        )

    return Starlette(routes=[Route("/{path:path}", serve, methods=_METHODS)])
