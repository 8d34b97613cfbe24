"""Fixtures of the fault tests: loopback servers that are always stopped, and clients for them."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from ._server import Handler, LoopbackServer


@pytest.fixture
def loopback() -> Iterator[Callable[[Handler], LoopbackServer]]:
    """Starts a :class:`LoopbackServer` per call; every one is stopped when the test ends."""
    started: list[LoopbackServer] = []

    def start(handler: Handler) -> LoopbackServer:
        server = LoopbackServer(handler)
        started.append(server)
        return server

    try:
        yield start
    finally:
        for server in started:
            server.stop()
