"""The emulator over real HTTP (uvicorn), in a background thread or in the foreground.

``python -m azure_oai_preview.testing serve [--host 127.0.0.1] [--port N]`` prints the
endpoint and serves until stopped (Ctrl+C). Needs the ``testing`` extra (starlette, uvicorn).
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typing_extensions import Self

    from ._wire import Servable


__all__ = ["EmulatorServer"]

_START_TIMEOUT = 10.0
_MAX_PORT = 65_535


def _uvicorn() -> Any:
    try:
        import uvicorn
    except ImportError:
        raise ImportError(
            "serving the emulator over HTTP needs the 'testing' extra: "
            "pip install 'azure-oai-preview[testing]'"
        ) from None
    return uvicorn


class _QuietInjectedFaults(logging.Filter):
    """Drops uvicorn's complaint about the unfinished responses of injected broken streams."""

    def filter(self, record: logging.LogRecord) -> bool:
        from ._asgi import INCOMPLETE_RESPONSE

        return record.getMessage() != INCOMPLETE_RESPONSE


_FILTER = _QuietInjectedFaults()


class EmulatorServer:
    """An emulator served on ``host:port`` (``port=0``: a free port; see :attr:`endpoint`).

    Raises ``ValueError`` for a port outside 0-65535, ``OSError`` when it cannot listen
    there (in use, an unknown host), ``ImportError`` without the ``testing`` extra.
    """

    def __init__(self, emulator: Servable, *, host: str = "127.0.0.1", port: int = 0) -> None:
        if not 0 <= port <= _MAX_PORT:
            raise ValueError(f"port must be 0-{_MAX_PORT} (0: any free port), not {port}")
        uvicorn = _uvicorn()
        self.emulator = emulator
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._socket = socket.socket(family, socket.SOCK_STREAM)
        try:
            self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self._socket.bind((host, port))
            # Listening now means connections wait in the backlog until uvicorn accepts them,
            # so the endpoint works from the moment it is known (and printed).
            self._socket.listen(2048)
        except OSError:
            self._socket.close()
            raise
        self.host = host
        self.port: int = self._socket.getsockname()[1]
        config = uvicorn.Config(
            emulator.asgi_app(), log_level="warning", lifespan="off", access_log=False
        )
        self._server: Any = uvicorn.Server(config)
        logging.getLogger("uvicorn.error").addFilter(_FILTER)  # one instance: added once
        self._thread: threading.Thread | None = None

    @property
    def endpoint(self) -> str:
        """The resource endpoint to give a client, e.g. ``http://127.0.0.1:50123``."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> None:
        """Serve in a daemon thread; returns once the server accepts connections."""
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + _START_TIMEOUT
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the emulator server did not start")
            time.sleep(0.01)

    def run(self) -> None:
        """Serve in this thread until interrupted (Ctrl+C / SIGTERM)."""
        self._server.run(sockets=[self._socket])

    def stop(self) -> None:
        """Stop serving and wait for the thread to end."""
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(_START_TIMEOUT)
            self._thread = None
        self._socket.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"<EmulatorServer {self.endpoint}>"
