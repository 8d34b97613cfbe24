"""The steps a sans-IO procedure asks its driver to perform.

The request exchange (:mod:`._exchange`) and the polling flows (:mod:`._polling`) never do I/O:
they yield one of these and receive its outcome. The sync and async drivers
(:mod:`._transport`, :func:`._polling.drive_sync` / :func:`._polling.drive_async`) perform them
with ``httpx.Client``/``time.sleep`` or ``httpx.AsyncClient``/``anyio.sleep``. Each step's
docstring says what the driver sends back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

__all__ = [
    "AUTHENTICATE",
    "Authenticate",
    "Challenge",
    "Close",
    "ReadBody",
    "Send",
    "Sleep",
    "Step",
    "TooLong",
]


@dataclass(frozen=True, slots=True)
class Authenticate:
    """Get the credential headers for the next attempt. Outcome: a ``Mapping[str, str]``
    (the drivers send a :class:`~._redaction.CredentialHeaders`, whose repr hides values)."""


AUTHENTICATE = Authenticate()


@dataclass(frozen=True, slots=True)
class Send:
    """Send ``request``, streaming the answer. Outcome: the ``httpx.Response`` (body not
    read), or the ``httpx.TransportError`` it failed with.

    ``foreign`` marks a request that a redirect sent to another origin: the HTTP client's own
    ``auth`` (an ``httpx.Client(auth=...)``) is not applied to it.
    """

    request: httpx.Request
    foreign: bool = False


@dataclass(frozen=True, slots=True)
class ReadBody:
    """Read the rest of ``response``. Outcome: None, or what stopped it: the
    ``httpx.TransportError`` that cut it, or the ``httpx.DecodingError`` of a body that does
    not match its ``content-encoding`` (a corrupt gzip body).

    With ``limit`` (bytes), a longer body is not read on: the outcome is then
    :class:`TooLong` with what was read, and the response is closed.
    """

    response: httpx.Response
    limit: int | None = None


@dataclass(frozen=True, slots=True)
class TooLong:
    """The outcome of a :class:`ReadBody` whose body went past its ``limit``: its first bytes."""

    head: bytes


@dataclass(frozen=True, slots=True)
class Close:
    """Release a response the exchange is done with (a retried error, a redirect, a 401 that
    is answered). Outcome: None.

    The driver first reads what is left of the body, raw and discarded, up to ``drain_bytes``
    and for at most about ``drain_seconds``: an HTTP/1.1 connection can serve the next request
    only once the previous answer was read to its end, so a drained connection goes back to
    the pool where an undrained one is closed (a new TCP and TLS handshake per retry). A
    longer or slower body is cut, and its connection closed.
    """

    response: httpx.Response
    drain_bytes: int = 64 * 1024
    drain_seconds: float = 1.0


@dataclass(frozen=True, slots=True)
class Sleep:
    """Wait ``seconds`` before the next step. Outcome: None."""

    seconds: float


@dataclass(frozen=True, slots=True)
class Challenge:
    """Show a 401's ``WWW-Authenticate`` header to the auth object. Outcome: ``bool``, whether
    it can answer it (then the request is sent again with fresh credential headers)."""

    www_authenticate: str


Step = Authenticate | Send | ReadBody | Close | Sleep | Challenge
"""Anything the exchange may ask for."""
