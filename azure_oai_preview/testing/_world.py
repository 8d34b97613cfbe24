"""The emulator's inside: configuration, state, model behaviour and the request being served.

Handlers receive the :class:`World` and a :class:`Call`; they never see HTTP. Long-running
work (runs, file ingestion) moves through *progressors*, functions that advance every
pending object one step; the :data:`Progress` mode decides when they are called.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ._behaviour import default_reply
from ._catalogue import Catalogue, Deployment, ModelCatalogue, ModelInfo
from ._faults import Faults
from ._filters import ContentFilters
from ._ids import Clock, IdFactory
from ._script import Reply, RunFailure, Script, Turn
from ._state import State
from ._wire import EmulatedRequest, EmulatedResponse

__all__ = ["Call", "Exchange", "Progress", "Progressor", "Upload", "World"]

Progress = Literal["immediate", "on_read", "manual"]
"""When long-running work moves on.

``immediate`` (default): a run, a vector-store file, a batch, a file, a fine-tuning job or an
ingestion run is answered in its initial state (``queued``, ``in_progress``, ``pending``,
``Running``) and then settles at once, so the next read sees it ``completed`` (or
``requires_action``, ``succeeded``, ``failed``...). ``on_read``: each read of the object moves
it one step. ``manual``: only :meth:`Emulator.advance` moves anything.
A streamed run always runs to its next stable state within its stream."""

Progressor = Callable[["World"], int]
"""Advances every pending object of one kind by one step; returns how many moved."""

_SETTLE_LIMIT = 100


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart request."""

    filename: str
    content: bytes
    content_type: str = "application/octet-stream"


@dataclass
class Call:
    """One request, routed and validated, as a handler sees it."""

    operation_id: str
    path_params: dict[str, str]
    query: dict[str, Any]
    body: dict[str, Any]
    files: dict[str, Upload] = field(default_factory=dict[str, Upload])
    deployment: Deployment | None = None
    base_url: str = ""
    """``scheme://host`` the request came to (for ``Location`` headers and image URLs)."""
    headers: dict[str, str] = field(default_factory=dict[str, str])
    """The header parameters the operation declares (``mgmt-user-token``...), when sent.
    Credentials: never put their values in a response, an error or a log."""
    api_version: str = ""

    @property
    def stream(self) -> bool:
        return self.body.get("stream") is True


@dataclass(frozen=True)
class Exchange:
    """One request the emulator answered (``emulator.history``)."""

    operation_id: str | None
    request: EmulatedRequest
    response: EmulatedResponse

    @property
    def status(self) -> int:
        return self.response.status

    def request_json(self) -> Any:
        """The request body parsed as JSON (None when it was not JSON)."""
        try:
            return json.loads(self.request.body)
        except ValueError:
            return None

    def response_json(self) -> Any:
        """The response body parsed as JSON (raises ValueError when it is not JSON)."""
        return json.loads(self.response.content)

    def events(self) -> list[tuple[str | None, str]]:
        """A streamed response's server-sent events as ``(event, data)`` pairs."""
        events: list[tuple[str | None, str]] = []
        for block in self.response.content.decode().split("\n\n"):
            if not block.strip():
                continue
            name: str | None = None
            data: list[str] = []
            for line in block.split("\n"):
                if line.startswith("event:"):
                    name = line[6:].strip()
                elif line.startswith("data:"):
                    data.append(line[5:].removeprefix(" "))
            events.append((name, "\n".join(data)))
        return events


class World:
    """Configuration, state and behaviour shared by every way into one emulator."""

    def __init__(
        self,
        *,
        deployments: Sequence[Deployment],
        models: Sequence[ModelInfo],
        progress: Progress,
        api_versions: Sequence[str],
        api_key: str | None,
        seed: int,
        start_time: int | None,
        progressors: Sequence[Progressor],
        record_credentials: bool = False,
    ) -> None:
        self.lock = threading.RLock()
        self.catalogue = Catalogue(deployments)
        self.models = ModelCatalogue(models)
        self.retry_after = 1
        """Seconds long-running operations ask pollers to wait (``retry-after``)."""
        self.progress: Progress = progress
        self.api_versions = tuple(api_versions)
        self.api_key = api_key
        self.record_credentials = record_credentials
        """Keep credential headers' values in the history (else they are recorded redacted)."""
        self.clock = Clock(start_time)
        self.ids = IdFactory(seed)
        self.script = Script()
        self.filters = ContentFilters()
        self.faults = Faults()
        self.state = State(self.lock)
        self.history: list[Exchange] = []
        self._progressors = tuple(progressors)

    def answer(self, turn: Turn) -> Reply | RunFailure:
        """The model's answer to ``turn``: the script's, else the default rules'."""
        return self.script.answer(turn) or default_reply(turn)

    def advance(self) -> int:
        """Move every pending object one step; how many moved."""
        with self.lock:
            return sum(progressor(self) for progressor in self._progressors)

    def settle(self) -> None:
        """Advance until nothing moves (runs stop at ``requires_action`` or a terminal state)."""
        with self.lock:
            for _ in range(_SETTLE_LIMIT):
                if self.advance() == 0:
                    return

    def after_write(self) -> None:
        """Called after each request that may have started work."""
        if self.progress == "immediate":
            self.settle()


def metadata_of(body: Mapping[str, Any]) -> dict[str, Any]:
    value = body.get("metadata")
    return dict(value) if isinstance(value, Mapping) else {}  # pyright: ignore[reportUnknownArgumentType]
