"""Helpers shared by the client unit tests: spec examples, SSE bodies, chunked streams, multipart."""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from anyio import sleep as real_async_sleep  # bound before the `sleeps` fixture patches anyio

from tests.versions import API_VERSION as API_VERSION  # re-exported for the tests
from tests.versions import EXAMPLES_VERSION

REPO_ROOT = Path(__file__).resolve().parents[2]
SSE_HEADERS = {"content-type": "text/event-stream; charset=utf-8"}
# Bound at import, before the `sleeps` fixture patches time.sleep for the whole process.
real_sleep = time.sleep
USER_MESSAGES: list[dict[str, Any]] = [{"role": "user", "content": "hi"}]


# -- spec examples --------------------------------------------------------------------------------


def examples_dir() -> Path | None:
    """Where the pinned spec's examples are: the synced cache, the configured mirror, or ../shared."""
    candidates = [REPO_ROOT / ".spec-cache" / EXAMPLES_VERSION / "examples"]
    mirror = os.environ.get("AZURE_OAI_SPEC_MIRROR")
    if mirror:
        candidates.append(Path(mirror).expanduser() / EXAMPLES_VERSION / "examples")
    candidates.append(REPO_ROOT.parent / "shared" / "specs" / EXAMPLES_VERSION / "examples")
    return next((path for path in candidates if path.is_dir()), None)


def spec_example(name: str) -> dict[str, Any]:
    """A spec example file (``chat_completions_pinecone.json``...), read at test time."""
    folder = examples_dir()
    if folder is None or not (folder / name).is_file():
        pytest.skip(f"spec example {name} not available: run `python -m codegen sync` first")
    return json.loads((folder / name).read_text(encoding="utf-8"))


def example_request(name: str) -> dict[str, Any]:
    return spec_example(name)["parameters"]["body"]


def example_response(name: str) -> Any:
    return spec_example(name)["responses"]["200"]["body"]


# -- JSON bodies ----------------------------------------------------------------------------------


def request_json(request: httpx.Request) -> Any:
    return json.loads(request.content)


def error_body(code: str | None, message: str | None, **extra: Any) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message, **extra}
    return {"error": {key: value for key, value in error.items() if value is not None}}


def chat_completion(content: str = "Hello!", **extra: Any) -> dict[str, Any]:
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": "gpt-4o",
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {"role": "assistant", "content": content},
            }
        ],
        "usage": {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5},
        **extra,
    }


def chat_chunk(
    delta: dict[str, Any] | None = None,
    *,
    index: int = 0,
    finish_reason: str | None = None,
    **choice_extra: Any,
) -> dict[str, Any]:
    choice: dict[str, Any] = {
        "index": index,
        "delta": delta or {},
        "finish_reason": finish_reason,
        **choice_extra,
    }
    return {
        "id": "chatcmpl-s",
        "object": "chat.completion.chunk",
        "created": 1_700_000_001,
        "model": "gpt-4o",
        "choices": [choice],
    }


# The first chunk Azure sends: no choices, only the prompt's content-filter results.
AZURE_PROMPT_FILTER_CHUNK: dict[str, Any] = {
    "id": "",
    "object": "",
    "created": 0,
    "model": "",
    "choices": [],
    "prompt_filter_results": [
        {
            "prompt_index": 0,
            "content_filter_results": {
                "hate": {"filtered": False, "severity": "safe"},
                "jailbreak": {"filtered": False, "detected": False},
            },
        }
    ],
}


# -- server-sent events ---------------------------------------------------------------------------


def sse(*events: dict[str, Any] | str, eol: bytes = b"\n", done: bool = True) -> bytes:
    """A data-only SSE body: one ``data:`` event per item (dicts as JSON), then ``[DONE]``."""
    out = bytearray()
    for event in events:
        data = event if isinstance(event, str) else json.dumps(event)
        out += b"data: " + data.encode() + eol + eol
    if done:
        out += b"data: [DONE]" + eol + eol
    return bytes(out)


def split_every(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


class ChunkedStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body delivered in the given network chunks, optionally ending in an error.

    Works for both clients, and records whether the client closed it.
    """

    def __init__(self, chunks: Iterable[bytes], *, error: Exception | None = None) -> None:
        self.chunks = list(chunks)
        self.error = error
        self.closed = False
        self.delivered = 0

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.chunks:
            self.delivered += 1
            yield chunk
        if self.error is not None:
            raise self.error

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            self.delivered += 1
            yield chunk
        if self.error is not None:
            raise self.error

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


def sse_response(
    body: bytes,
    *,
    chunk_size: int | None = None,
    error: Exception | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[httpx.Response, ChunkedStream]:
    stream = ChunkedStream(split_every(body, chunk_size) if chunk_size else [body], error=error)
    return httpx.Response(200, headers={**SSE_HEADERS, **(headers or {})}, stream=stream), stream


# -- multipart ------------------------------------------------------------------------------------


@dataclass
class Part:
    name: str
    filename: str | None
    content_type: str | None
    data: bytes


def multipart_parts(request: httpx.Request) -> list[Part]:
    """The parts of a multipart/form-data request body, in order (parsed byte-exactly)."""
    content_type = request.headers["content-type"]
    assert content_type.startswith("multipart/form-data"), content_type
    boundary = content_type.split("boundary=", 1)[1].strip('"').encode()
    body = request.read()
    delimiter = b"--" + boundary
    assert body.endswith(delimiter + b"--\r\n"), body[-80:]
    parts: list[Part] = []
    for raw in body.split(delimiter)[1:-1]:
        assert raw.startswith(b"\r\n")
        assert raw.endswith(b"\r\n")
        head, data = raw[2:-2].split(b"\r\n\r\n", 1)
        headers = dict(
            (key.strip().lower(), value.strip())
            for key, value in (line.split(":", 1) for line in head.decode().split("\r\n"))
        )
        disposition = headers["content-disposition"]
        name = re.search(r'\bname="([^"]*)"', disposition)
        filename = re.search(r'\bfilename="([^"]*)"', disposition)
        assert name is not None, disposition
        parts.append(
            Part(
                name=name.group(1),
                filename=filename.group(1) if filename else None,
                content_type=headers.get("content-type"),
                data=data,
            )
        )
    return parts


def form_fields(request: httpx.Request) -> dict[str, list[str]]:
    """The non-file fields of a multipart request: name -> values (repeated names kept)."""
    fields: dict[str, list[str]] = {}
    for part in multipart_parts(request):
        if part.filename is None:
            fields.setdefault(part.name, []).append(part.data.decode())
    return fields


def file_part(request: httpx.Request, name: str = "file") -> Part:
    (part,) = [p for p in multipart_parts(request) if p.name == name and p.filename is not None]
    return part


# -- credentials ----------------------------------------------------------------------------------


@dataclass
class Token:
    """Shaped like azure.core.credentials.AccessToken."""

    token: str
    expires_on: int


class FakeCredential:
    """A TokenCredential whose tokens live ``lifetimes[n]`` seconds (the last one repeats)."""

    def __init__(self, *lifetimes: float, prefix: str = "eyJ0eXAi-secret-token") -> None:
        self.lifetimes = lifetimes or (3600,)
        self.prefix = prefix
        self.calls = 0
        self.scopes: list[tuple[str, ...]] = []

    def _issue(self, scopes: tuple[str, ...]) -> Token:
        self.calls += 1
        self.scopes.append(scopes)
        lifetime = self.lifetimes[min(self.calls, len(self.lifetimes)) - 1]
        return Token(f"{self.prefix}-{self.calls}", int(time.time() + lifetime))

    def get_token(self, *scopes: str, **kwargs: Any) -> Token:
        return self._issue(scopes)


class FakeAsyncCredential(FakeCredential):
    """An AsyncTokenCredential; each token request takes a little while, as a real one does."""

    def __init__(
        self, *lifetimes: float, delay: float = 0.02, prefix: str = "eyJ0eXAi-secret-token"
    ) -> None:
        super().__init__(*lifetimes, prefix=prefix)
        self.delay = delay

    async def get_token(self, *scopes: str, **kwargs: Any) -> Token:  # type: ignore[override]
        await real_async_sleep(self.delay)
        return self._issue(scopes)

    async def close(self) -> None:
        pass


def consume(iterable: Iterable[Any], into: list[Any]) -> None:
    """Append every item to ``into`` (so that what came before an error stays visible)."""
    for item in iterable:
        into.append(item)


async def aconsume(iterable: AsyncIterable[Any], into: list[Any]) -> None:
    async for item in iterable:
        into.append(item)


# -- a clock for the polling helpers --------------------------------------------------------------


class Clock:
    """Fake time for the polls: sleeping advances it instantly; every sleep is recorded."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)
