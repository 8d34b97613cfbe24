"""The emulator's own request and response values: no HTTP library, no sockets.

Every way in (the httpx transports, the ASGI app) converts to and from these, so the
behaviour behind them is written once and stays sans-IO.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

__all__ = [
    "REDACTED",
    "SECRET_HEADERS",
    "EmulatedRequest",
    "EmulatedResponse",
    "Servable",
    "deleted",
    "json_response",
]


SECRET_HEADERS = frozenset({"api-key", "authorization", "mgmt-user-token", "aml-user-token"})
"""Headers that carry credentials: their values never appear in a repr, nor in the history
(unless the emulator is asked to record them)."""
REDACTED = "<redacted>"
"""What stands for a credential header's value (``Bearer <redacted>`` for ``authorization``)."""


def _redacted_value(name: str, value: str) -> str:
    if name not in SECRET_HEADERS:
        return value
    scheme, space, _ = value.partition(" ")
    # The scheme says how the caller authenticated (Bearer); only the token is secret.
    return f"{scheme} {REDACTED}" if name == "authorization" and space else REDACTED


@dataclass(frozen=True)
class EmulatedRequest:
    """One HTTP request as the emulator sees it.

    ``path`` is the URL path (``/openai/threads``); ``query`` holds each query parameter's
    last value; header names are lower case. The repr hides credential headers' values
    (:data:`SECRET_HEADERS`) and the body.
    """

    method: str
    path: str
    query: Mapping[str, str] = field(default_factory=dict[str, str])
    headers: Mapping[str, str] = field(default_factory=dict[str, str])
    body: bytes = b""

    def redacted(self) -> EmulatedRequest:
        """This request with the values of its credential headers replaced by
        :data:`REDACTED` (the headers stay, so a test sees that they were sent)."""
        headers = {name: _redacted_value(name, value) for name, value in self.headers.items()}
        return replace(self, headers=headers)

    def __repr__(self) -> str:
        headers = dict(self.redacted().headers)
        return (
            f"EmulatedRequest(method={self.method!r}, path={self.path!r}, "
            f"query={dict(self.query)!r}, headers={headers!r}, body=<{len(self.body)} bytes>)"
        )


@dataclass
class EmulatedResponse:
    """One HTTP response.

    A streamed response has ``chunks`` (sent one by one, ``chunk_delay`` seconds apart)
    instead of ``body``. ``delay`` is the latency to wait before answering.
    """

    status: int
    headers: dict[str, str] = field(default_factory=dict[str, str])
    body: bytes = b""
    chunks: list[bytes] | None = None
    delay: float = 0.0
    chunk_delay: float = 0.0
    broken: bool = False
    """The connection drops after the last chunk (an injected broken stream)."""

    @property
    def content(self) -> bytes:
        """The whole body (a stream's chunks joined)."""
        return b"".join(self.chunks) if self.chunks is not None else self.body


def json_response(
    status: int, payload: Any, headers: Mapping[str, str] | None = None
) -> EmulatedResponse:
    return EmulatedResponse(
        status=status,
        headers={"content-type": "application/json", **(headers or {})},
        body=json.dumps(payload, separators=(",", ":")).encode(),
    )


def deleted(object_id: str, kind: str) -> EmulatedResponse:
    """The deletion status of an assistants-API object (``{kind}.deleted``)."""
    return json_response(200, {"id": object_id, "object": f"{kind}.deleted", "deleted": True})


class Servable(Protocol):
    """What the ASGI app and the server need of an emulator."""

    def handle(self, request: EmulatedRequest, base_url: str = ...) -> EmulatedResponse: ...

    def asgi_app(self) -> Any: ...
