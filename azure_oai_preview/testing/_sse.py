"""Server-sent event framing, as Azure sends it.

Chat and legacy completions send data-only events ending with ``data: [DONE]``; assistant
runs name each event (``event: thread.run.created``) and end with ``event: done`` /
``data: [DONE]``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from ._wire import EmulatedResponse

__all__ = ["assistant_stream", "data_stream"]

_HEADERS = {"content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache"}


def _dumps(data: Any) -> str:
    return json.dumps(data, separators=(",", ":"))


def data_stream(chunks: Iterable[dict[str, Any]]) -> EmulatedResponse:
    """A chat/completions stream: each chunk as ``data: {...}``, then ``data: [DONE]``."""
    frames = [f"data: {_dumps(chunk)}\n\n".encode() for chunk in chunks]
    frames.append(b"data: [DONE]\n\n")
    return EmulatedResponse(200, dict(_HEADERS), chunks=frames)


def assistant_stream(events: Iterable[tuple[str, dict[str, Any]]]) -> EmulatedResponse:
    """An assistants stream: ``event: <name>`` + ``data: {...}`` each, then ``done``."""
    frames = [f"event: {name}\ndata: {_dumps(data)}\n\n".encode() for name, data in events]
    frames.append(b"event: done\ndata: [DONE]\n\n")
    return EmulatedResponse(200, dict(_HEADERS), chunks=frames)
