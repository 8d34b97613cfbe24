"""A scriptable HTTP/1.1 server on 127.0.0.1 for the fault tests.

Plain sockets and one thread per connection, so that a test controls every byte: corrupt
gzip bodies, connection resets, stalls, keep-alive. The server counts the TCP connections it
accepts and records every request (with the connection it came on), which is how the tests
see reuse. :meth:`LoopbackServer.stop` closes the listening socket and every open connection;
the ``loopback`` fixture (``conftest.py``) calls it whatever happens.
"""

from __future__ import annotations

import gzip
import json
import socket
import struct
import threading
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Answer", "LoopbackServer", "Received", "json_answer"]


@dataclass
class Received:
    """One request as the server read it."""

    method: str
    target: str
    headers: dict[str, str]
    body: bytes
    connection: int
    """The number of the TCP connection it came on (1 for the first accepted)."""


@dataclass
class Answer:
    """What to do with one request.

    ``status``/``headers``/``body`` make an ordinary response (``content-length`` is added
    unless ``headers`` has one). ``declared_length`` claims a longer body than is sent (a
    response cut short). ``stall`` seconds of silence happen after ``body`` (or after the
    head when ``stall_before_body``). ``reset`` aborts the connection (TCP RST) after what was
    sent, before anything with ``status=0``; ``close`` closes it normally after the answer.
    """

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict[str, str])
    body: bytes = b""
    declared_length: int | None = None
    stall: float = 0.0
    stall_before_body: bool = False
    reset: bool = False
    close: bool = False


def json_answer(status: int, payload: Any, **headers: str) -> Answer:
    return Answer(
        status, {"content-type": "application/json", **headers}, json.dumps(payload).encode()
    )


def corrupt_gzip(status: int = 200, content_type: str = "application/json") -> Answer:
    """A body that says ``content-encoding: gzip`` and is not (a gzip header, then garbage)."""
    good = gzip.compress(b'{"id": "x"}' * 50)
    body = good[:10] + bytes(range(256)) * 2
    return Answer(status, {"content-type": content_type, "content-encoding": "gzip"}, body)


Handler = Callable[[Received], Answer]
_REASONS = {200: "OK", 204: "No Content", 307: "Temporary Redirect", 401: "Unauthorized"}


class LoopbackServer:
    """Serves ``handler``'s answers on ``http://127.0.0.1:<port>`` until :meth:`stop`."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[Received] = []
        self.connections = 0
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._open: set[socket.socket] = set()
        self._listener = socket.create_server(("127.0.0.1", 0), backlog=1024)
        self.port: int = self._listener.getsockname()[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        self._acceptor = threading.Thread(target=self._accept, daemon=True)
        self._acceptor.start()

    def stop(self) -> None:
        self._stopping.set()
        with suppress(OSError):
            # Wakes the thread blocked in accept(), which a close alone does not on Linux.
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        with self._lock:
            for conn in list(self._open):
                _abort(conn)
            self._open.clear()
        self._acceptor.join(timeout=5)

    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            # Small answers go out at once (no Nagle delay waiting for the client's ACK).
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                self.connections += 1
                number = self.connections
                self._open.add(conn)
            threading.Thread(target=self._serve, args=(conn, number), daemon=True).start()

    def _serve(self, conn: socket.socket, number: int) -> None:
        reader = _Reader(conn)
        try:
            while not self._stopping.is_set():
                request = reader.request(number)
                if request is None:
                    return
                with self._lock:
                    self.requests.append(request)
                answer = self.handler(request)
                if not self._answer(conn, answer):
                    return
        except OSError:
            return
        finally:
            with self._lock:
                self._open.discard(conn)
            conn.close()

    def _answer(self, conn: socket.socket, answer: Answer) -> bool:
        """Send ``answer``; False when the connection is done with."""
        if answer.status == 0:
            _abort(conn)
            return False
        headers = {k.lower(): v for k, v in answer.headers.items()}
        length = answer.declared_length if answer.declared_length is not None else len(answer.body)
        headers.setdefault("content-length", str(length))
        if answer.close:
            headers["connection"] = "close"
        reason = _REASONS.get(answer.status, "Status")
        head = f"HTTP/1.1 {answer.status} {reason}\r\n" + "".join(
            f"{name}: {value}\r\n" for name, value in headers.items()
        )
        if answer.stall and answer.stall_before_body:
            conn.sendall(head.encode("latin-1") + b"\r\n")
            self._stopping.wait(answer.stall)
            conn.sendall(answer.body)
        else:
            conn.sendall(head.encode("latin-1") + b"\r\n" + answer.body)
        if answer.stall and not answer.stall_before_body:
            self._stopping.wait(answer.stall)
        if answer.reset:
            _abort(conn)
            return False
        return not answer.close


def _abort(conn: socket.socket) -> None:
    """Close with a TCP reset rather than a FIN."""
    try:
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        conn.close()
    except OSError:
        pass


class _Reader:
    """Reads HTTP/1.1 requests (content-length or chunked bodies) from one connection."""

    def __init__(self, conn: socket.socket) -> None:
        self.conn = conn
        self.buffer = b""

    def _fill(self) -> bool:
        chunk = self.conn.recv(65536)
        self.buffer += chunk
        return bool(chunk)

    def _until(self, marker: bytes) -> bytes | None:
        while marker not in self.buffer:
            if not self._fill():
                return None
        line, self.buffer = self.buffer.split(marker, 1)
        return line

    def _exactly(self, size: int) -> bytes | None:
        while len(self.buffer) < size:
            if not self._fill():
                return None
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def request(self, connection: int) -> Received | None:
        head = self._until(b"\r\n\r\n")
        if head is None:
            return None
        lines = head.decode("latin-1").split("\r\n")
        method, target, _ = lines[0].split(" ", 2)
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding", "").lower() == "chunked":
            body = self._chunked()
        else:
            body = self._exactly(int(headers.get("content-length", "0")))
        if body is None:
            return None
        return Received(method, target, headers, body, connection)

    def _chunked(self) -> bytes | None:
        body = b""
        while True:
            size_line = self._until(b"\r\n")
            if size_line is None:
                return None
            size = int(size_line.split(b";")[0], 16)
            chunk = self._exactly(size + 2)
            if chunk is None:
                return None
            if size == 0:
                return body
            body += chunk[:-2]
