"""Injected trouble: throttling, server errors, broken streams and latency.

Each injected fault answers the next ``times`` matching requests (optionally only those of
one operation id, e.g. ``"ChatCompletions_Create"``, or one deployment), before the
request is validated - like Azure's gateway, which throttles before looking at a body.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from typing import Literal

from ._errors import ServiceError

__all__ = ["Faults"]

FaultKind = Literal["rate_limit", "server_error", "break_stream"]


@dataclass
class _Fault:
    kind: FaultKind
    remaining: int
    operation: str | None
    deployment: str | None
    status: int = 500
    retry_after_ms: int = 0
    after_chunks: int = 0

    def matches(self, operation: str, deployment: str | None, streaming: bool) -> bool:
        if self.kind == "break_stream" and not streaming:
            return False
        if self.operation is not None and self.operation != operation:
            return False
        return self.deployment is None or self.deployment == deployment


class Faults:
    """Fault injection; reachable as ``emulator.faults``. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[_Fault] = []
        self.latency: float = 0.0
        """Seconds to wait before answering each request (default 0)."""
        self.chunk_delay: float = 0.0
        """Seconds between the chunks of a streamed answer (default 0)."""

    def rate_limit(
        self,
        times: int = 1,
        *,
        retry_after_ms: int = 50,
        operation: str | None = None,
        deployment: str | None = None,
    ) -> None:
        """Answer the next ``times`` requests with HTTP 429, ``retry-after-ms`` and ``retry-after``."""
        self._add(_Fault("rate_limit", times, operation, deployment, retry_after_ms=retry_after_ms))

    def server_error(
        self,
        times: int = 1,
        *,
        status: int = 500,
        operation: str | None = None,
        deployment: str | None = None,
    ) -> None:
        """Answer the next ``times`` requests with a 5xx (500 ``server_error``, 503 ...)."""
        if not 500 <= status <= 599:
            raise ValueError("status must be a 5xx code")
        self._add(_Fault("server_error", times, operation, deployment, status=status))

    def break_stream(
        self,
        times: int = 1,
        *,
        after_chunks: int = 2,
        operation: str | None = None,
        deployment: str | None = None,
    ) -> None:
        """Cut the next ``times`` streamed answers after ``after_chunks`` chunks (no ``[DONE]``)."""
        self._add(_Fault("break_stream", times, operation, deployment, after_chunks=after_chunks))

    def clear(self) -> None:
        """Remove every pending fault and set latency back to 0."""
        with self._lock:
            self._faults.clear()
        self.latency = 0.0
        self.chunk_delay = 0.0

    def _add(self, fault: _Fault) -> None:
        if fault.remaining < 1:
            raise ValueError("times must be at least 1")
        with self._lock:
            self._faults.append(fault)

    def _take(
        self, kinds: tuple[FaultKind, ...], operation: str, deployment: str | None, streaming: bool
    ) -> _Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.kind in kinds and fault.matches(operation, deployment, streaming):
                    fault.remaining -= 1
                    if fault.remaining == 0:
                        self._faults.remove(fault)
                    return fault
        return None

    def raise_if_due(self, operation: str, deployment: str | None, api_version: str) -> None:
        """Raise the 429 or 5xx due for this request, if any."""
        fault = self._take(("rate_limit", "server_error"), operation, deployment, False)
        if fault is None:
            return
        if fault.kind == "rate_limit":
            seconds = max(1, math.ceil(fault.retry_after_ms / 1000))
            raise ServiceError(
                429,
                "429",
                f"Requests to the {operation} Operation under Azure OpenAI API version "
                f"{api_version} have exceeded call rate limit of your current OpenAI S0 "
                f"pricing tier. Please retry after {seconds} second{'s' if seconds > 1 else ''}. "
                "Please go here: https://aka.ms/oai/quotaincrease if you would like to further "
                "increase the default rate limit.",
                headers={
                    "retry-after-ms": str(fault.retry_after_ms),
                    "retry-after": str(seconds),
                    "x-ratelimit-remaining-requests": "0",
                },
            )
        if fault.status == 503:
            raise ServiceError(
                503,
                "ServiceUnavailable",
                "The service is temporarily unable to process your request. Please try again later.",
            )
        raise ServiceError(
            fault.status,
            "server_error",
            "The server had an error while processing your request. Sorry about that!",
            type="server_error",
        )

    def stream_cut(self, operation: str, deployment: str | None) -> int | None:
        """After how many chunks to cut this stream, if a broken stream is due."""
        fault = self._take(("break_stream",), operation, deployment, True)
        return None if fault is None else fault.after_chunks
