"""A real HTTP server on 127.0.0.1, for tests about real connections (keep-alive, the pool).

respx never opens a socket, so whether the client reuses or leaks connections can only be
seen against a server: uvicorn (h11, chunked bodies, keep-alive, like the service's front
end) serves a tiny ASGI app from a thread. Every POST is answered with the server-sent-event
body registered for the end of its path; the peer port of every request is recorded, and
one port is one TCP connection.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest
import uvicorn

Message = dict[str, Any]


class LocalServer:
    def __init__(self) -> None:
        self.bodies: dict[str, bytes] = {}
        self.ports: list[int] = []
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        self.endpoint = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        config = uvicorn.Config(
            self.app, interface="asgi3", lifespan="off", log_level="warning", access_log=False
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True
        )

    @property
    def connections(self) -> int:
        """How many TCP connections the requests so far came over."""
        return len(set(self.ports))

    def serve(self, path_end: str, body: bytes) -> None:
        self.bodies[path_end] = body

    async def app(
        self,
        scope: Message,
        receive: Callable[[], Awaitable[Message]],
        send: Callable[[Message], Awaitable[None]],
    ) -> None:
        assert scope["type"] == "http"
        self.ports.append(scope["client"][1])
        while (await receive()).get("more_body"):
            pass
        body = next(b for end, b in self.bodies.items() if scope["path"].endswith(end))
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"text/event-stream")],
            }
        )
        # In pieces and without a content-length: a chunked body, as the service sends it.
        for start in range(0, len(body), 512):
            await send(
                {"type": "http.response.body", "body": body[start : start + 512], "more_body": True}
            )
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    def start(self) -> None:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            assert time.monotonic() < deadline, "the local server did not start"
            time.sleep(0.01)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(10)
        self._sock.close()


@pytest.fixture
def local_server() -> Iterator[LocalServer]:
    server = LocalServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
