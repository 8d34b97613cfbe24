"""Deterministic identifiers and a clock the test controls.

Ids look like the service's (``asst_`` + 24 alphanumerics, ``file-`` + 32 hex digits...)
but come from a counter and a seed, so two emulators with the same seed hand out the same
ids in the same order. The clock stands still unless told to move: timestamps are stable,
and expiry is something a test does on purpose (:meth:`Clock.advance`).
"""

from __future__ import annotations

import hashlib
import time
import uuid

__all__ = ["Clock", "IdFactory"]

_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


class Clock:
    """Unix time in whole seconds, moved only by :meth:`advance` (or :meth:`set`)."""

    def __init__(self, start: int | None = None) -> None:
        self._now = int(time.time()) if start is None else start

    def now(self) -> int:
        return self._now

    def advance(self, seconds: int) -> None:
        """Move time forward (expiry of runs waiting for tool outputs, vector stores...)."""
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        self._now += seconds

    def set(self, now: int) -> None:
        self._now = now

    def __repr__(self) -> str:
        return f"Clock(now={self._now})"


class IdFactory:
    def __init__(self, seed: int = 0) -> None:
        self._seed = seed
        self._counter = 0

    def _digest(self, prefix: str) -> bytes:
        self._counter += 1
        return hashlib.sha256(f"{self._seed}:{prefix}:{self._counter}".encode()).digest()

    def new(self, prefix: str, length: int = 24) -> str:
        """``prefix`` + ``length`` alphanumerics, e.g. ``new("asst_")``."""
        number = int.from_bytes(self._digest(prefix), "big")
        chars: list[str] = []
        for _ in range(length):
            number, index = divmod(number, len(_ALPHABET))
            chars.append(_ALPHABET[index])
        return prefix + "".join(chars)

    def hex(self, prefix: str, length: int = 32) -> str:
        """``prefix`` + ``length`` lower-case hex digits (Azure file ids)."""
        return prefix + self._digest(prefix).hex()[:length]

    def uuid(self, kind: str) -> str:
        """A version-4 UUID, e.g. ``5ef7a436-1147-4cbb-82e0-3d502bcc6a7b``."""
        return str(uuid.UUID(bytes=self._digest(kind)[:16], version=4))

    def request_id(self) -> str:
        return self.uuid("request")
