"""The upload rule: files are streamed, never read whole, and sent again only if they can be
sent whole again (issue 15.9); a 100 MB upload costs a few MB of memory, not 100.

These tests use their own transports, which read the request body the way a socket would
(chunk by chunk, or not at all when the connection is refused): respx reads it whole first.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import API_KEY, ENDPOINT

from azure_oai_preview import (
    AuthenticationError,
    AzureOpenAI,
    InternalServerError,
    UploadNotReplayableError,
)

FILE = {
    "object": "file",
    "id": "file-1",
    "status": "pending",
    "purpose": "fine-tune",
    "filename": "big.jsonl",
}


class Service(httpx.BaseTransport):
    """Answers in turn with ``answers`` (the last repeats); reads each body like a socket would.

    An answer is a response, an exception raised *before* the body is read (a refused
    connection), or a callable given the request.
    """

    def __init__(self, *answers: Any) -> None:
        self.answers = list(answers)
        self.bodies: list[int] = []
        self.headers: list[httpx.Headers] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        self.headers.append(request.headers)
        self.bodies.append(sum(len(chunk) for chunk in request.stream))  # type: ignore[union-attr]
        return answer(request) if callable(answer) else answer


def created() -> httpx.Response:
    return httpx.Response(201, json=FILE)


def client_for(service: Service, **options: Any) -> AzureOpenAI:
    return AzureOpenAI(
        ENDPOINT, api_key=API_KEY, http_client=httpx.Client(transport=service), **options
    )


class Pipe:
    """A real OS pipe fed by a thread with ``size`` bytes."""

    def __init__(self, size: int, chunk: bytes = b"\x01" * 65536) -> None:
        read_fd, write_fd = os.pipe()
        self.reader = os.fdopen(read_fd, "rb", buffering=0)
        self.reads = 0

        def feed() -> None:
            with os.fdopen(write_fd, "wb", buffering=0) as writer:
                left = size
                while left > 0:
                    left -= writer.write(chunk[: min(left, len(chunk))])

        self._feeder = threading.Thread(target=feed, daemon=True)
        self._feeder.start()

    def close(self) -> None:
        self.reader.close()
        self._feeder.join(timeout=5)


@pytest.fixture
def pipe_of() -> Iterator[Callable[[int], Pipe]]:
    pipes: list[Pipe] = []

    def make(size: int) -> Pipe:
        pipes.append(Pipe(size))
        return pipes[-1]

    yield make
    for pipe in pipes:
        pipe.close()


def test_a_pipe_is_streamed_chunked_without_a_length(pipe_of: Callable[[int], Pipe]) -> None:
    service = Service(created())
    pipe = pipe_of(3_000_000)
    client_for(service).files.create(file=("big.jsonl", pipe.reader), purpose="fine-tune")
    assert service.bodies[0] > 3_000_000
    assert service.headers[0]["transfer-encoding"] == "chunked"
    assert "content-length" not in service.headers[0]


def test_a_pipe_is_not_resent_after_a_server_error(
    pipe_of: Callable[[int], Pipe], sleeps: list[float]
) -> None:
    service = Service(
        httpx.Response(503, json={"error": {"code": "busy", "message": "busy"}}), created()
    )
    with pytest.raises(InternalServerError):
        client_for(service).files.create(
            file=("a.jsonl", pipe_of(200_000).reader), purpose="fine-tune"
        )
    assert len(service.bodies) == 1, "sent once, not retried"
    assert sleeps == []


def test_a_pipe_is_retried_when_the_connection_was_refused_before_any_byte(
    pipe_of: Callable[[int], Pipe], sleeps: list[float]
) -> None:
    service = Service(httpx.ConnectError("refused"), created())
    uploaded = client_for(service).files.create(
        file=("a.jsonl", pipe_of(200_000).reader), purpose="fine-tune"
    )
    assert uploaded.id == "file-1"
    assert len(service.bodies) == 1
    assert service.bodies[0] > 200_000
    assert len(sleeps) == 1


def test_a_pipe_is_not_resent_after_an_auth_challenge(pipe_of: Callable[[int], Pipe]) -> None:
    from _support import FakeCredential

    challenge = httpx.Response(
        401,
        headers={"www-authenticate": 'Bearer error="invalid_token", error_description="expired"'},
        json={"error": {"code": "401", "message": "expired"}},
    )
    service = Service(challenge, created())
    client = AzureOpenAI(
        ENDPOINT, credential=FakeCredential(), http_client=httpx.Client(transport=service)
    )
    with pytest.raises(AuthenticationError):
        client.files.create(file=("a.jsonl", pipe_of(100_000).reader), purpose="fine-tune")
    assert len(service.bodies) == 1


def test_a_redirect_that_keeps_the_body_refuses_to_send_a_truncated_pipe(
    pipe_of: Callable[[int], Pipe],
) -> None:
    moved = httpx.Response(307, headers={"location": f"{ENDPOINT}/openai/files?moved=1"})
    service = Service(moved, created())
    with pytest.raises(UploadNotReplayableError) as info:
        client_for(service).files.create(
            file=("a.jsonl", pipe_of(100_000).reader), purpose="fine-tune"
        )
    assert info.value.sent == 100_000
    assert "seekable" in str(info.value)
    assert len(service.bodies) == 1, "refused before the redirected request was opened"


@pytest.mark.parametrize("kind", ["path", "file", "bytes"])
def test_replayable_inputs_are_resent_whole(kind: str, tmp_path: Path, sleeps: list[float]) -> None:
    data = os.urandom(300_000)
    path = tmp_path / "data.jsonl"
    path.write_bytes(data)
    seen: list[bytes] = []

    def record(request: httpx.Request) -> httpx.Response:
        return created()

    class Recording(Service):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
            seen.append(b"".join(request.stream))  # type: ignore[arg-type]
            return answer

    service = Recording(httpx.Response(503), created())
    file: Any = {"path": path, "file": path.open("rb"), "bytes": data}[kind]
    client_for(service).files.create(file=("data.jsonl", file), purpose="fine-tune")
    assert len(seen) == 2
    assert seen[0] == seen[1]
    assert data in seen[1]
    assert len(sleeps) == 1


MEMORY_SCRIPT = textwrap.dedent(
    """
    import asyncio, json, os, sys, threading
    import httpx
    from azure_oai_preview import AsyncAzureOpenAI, AzureOpenAI

    SIZE = 100 * 1024 * 1024
    ANSWER = {"object": "file", "id": "file-1", "status": "pending", "purpose": "fine-tune",
              "filename": "big.jsonl"}
    counted = []

    class Counting(httpx.BaseTransport):
        def handle_request(self, request):
            counted.append(sum(len(chunk) for chunk in request.stream))
            return httpx.Response(201, json=ANSWER)

    class AsyncCounting(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request):
            total = 0
            async for chunk in request.stream:
                total += len(chunk)
            counted.append(total)
            return httpx.Response(201, json=ANSWER)

    def status_mb(key):
        for line in open("/proc/self/status"):
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
        raise KeyError(key)

    def start():
        # Linux: reset the peak (VmHWM) to the current RSS, then measure the peak's rise.
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
        return status_mb("VmRSS")

    def growth(since):
        return status_mb("VmHWM") - since

    def pipe():
        read_fd, write_fd = os.pipe()
        def feed():
            block = b"\\x02" * 65536
            with os.fdopen(write_fd, "wb", buffering=0) as writer:
                left = SIZE
                while left > 0:
                    left -= writer.write(block[: min(left, len(block))])
        threading.Thread(target=feed, daemon=True).start()
        return os.fdopen(read_fd, "rb", buffering=0)

    path = sys.argv[1]
    endpoint = "https://example-resource.openai.azure.com"
    client = AzureOpenAI(endpoint, api_key="k", http_client=httpx.Client(transport=Counting()))
    client.files.create(file=b"warm-up", purpose="fine-tune")  # imports, validators
    results = {}
    with open(path, "rb") as file:
        since = start()
        client.files.create(file=("big.jsonl", file), purpose="fine-tune")
        results["file object"] = growth(since)
    source = pipe()
    since = start()
    client.files.create(file=("big.jsonl", source), purpose="fine-tune")
    results["pipe"] = growth(since)
    since = start()
    client.files.create(file=("big.jsonl", open(path, "rb").read()), purpose="fine-tune")
    results["bytes (read whole, for scale)"] = growth(since)

    async def upload_async():
        http = httpx.AsyncClient(transport=AsyncCounting())
        async with AsyncAzureOpenAI(endpoint, api_key="k", http_client=http) as aclient:
            await aclient.files.create(file=b"warm-up", purpose="fine-tune")
            since = start()
            await aclient.files.create(file=path, purpose="fine-tune")
            return growth(since)

    results["async path"] = asyncio.run(upload_async())
    print(json.dumps({"growth_mb": results, "bytes": counted}))
    """
)


@pytest.mark.skipif(
    not os.path.exists("/proc/self/clear_refs"),
    reason="measures the peak RSS through Linux's procfs",
)
def test_a_100_mb_upload_grows_memory_by_a_few_mb_at_most(tmp_path: Path) -> None:
    """In a fresh process: while 100 MB are uploaded from a file object, a pipe and a path
    (async), the peak RSS rises a few MB at most above the RSS before (bytes read whole, the
    control, rise by the 100 MB they hold)."""
    size = 100 * 1024 * 1024
    path = tmp_path / "big.jsonl"
    with path.open("wb") as file:
        block = b'{"prompt": "x", "completion": "y"}\n' * 1024
        while file.tell() < size:
            file.write(block[: size - file.tell()])
    completed = subprocess.run(
        [sys.executable, "-c", MEMORY_SCRIPT, str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    report = json.loads(completed.stdout)
    print("upload memory growth (MB):", report["growth_mb"])
    uploads = [count for count in report["bytes"] if count > size]
    assert len(uploads) == 4, report["bytes"]
    assert all(count < size + 1024 for count in uploads), "one multipart envelope, no more"
    growths = dict(report["growth_mb"])
    assert growths.pop("bytes (read whole, for scale)") > 90, "the measure sees a 100 MB buffer"
    for source, growth in growths.items():
        assert growth < 8, f"{source}: peak RSS grew by {growth:.1f} MB for a 100 MB upload"
