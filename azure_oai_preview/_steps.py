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
]


@dataclass(frozen=True, slots=True)
class Authenticate:
    """Get the credential headers for the next attempt. Outcome: ``dict[str, str]``."""


AUTHENTICATE = Authenticate()


@dataclass(frozen=True, slots=True)
class Send:
    """Send ``request``, streaming the answer. Outcome: the ``httpx.Response`` (body not
    read), or the ``httpx.TransportError`` it failed with."""

    request: httpx.Request


@dataclass(frozen=True, slots=True)
class ReadBody:
    """Read the rest of ``response``. Outcome: None, or the ``httpx.TransportError`` that cut it."""

    response: httpx.Response


@dataclass(frozen=True, slots=True)
class Close:
    """Release ``response`` without reading it. Outcome: None."""

    response: httpx.Response


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
