"""Memory (issue 16): a 200,000-chunk chat stream stays flat; a 100 MB upload is not buffered.

Each contender runs in a fresh interpreter of its own, against an in-process transport that
produces (or consumes) the bytes as the call goes, so neither the response nor the request
is ever whole in memory on the server side. The process's resident set (``/proc/self/statm``)
is sampled as the call goes, after a small warm-up call has loaded and built everything; the
table gives the largest growth over the warm-up level.

* stream: 200,000 chat completion chunks (about 100 MB of SSE, the same bytes for both
  contenders, 64 KiB per read); growth after the first 20,000 chunks and at the end show
  whether it is flat;
* upload: an audio transcription of a 100 MB file given as an open file (multipart), both
  contenders; the transport reads the request body in chunks.
"""

from __future__ import annotations

import json

from ._bodies import chat_chunk
from ._harness import (
    API_KEY,
    API_VERSION,
    ENDPOINT,
    OPENAI,
    OURS,
    Row,
    fresh_process,
    print_table,
    size_text,
)

STREAM_CASE = "chat stream 200k chunks: RSS growth"
UPLOAD_CASE = "upload 100 MB (transcription): RSS growth"
TITLE = "Memory (issue 16)"

CHUNK = chat_chunk(" token")

_COMMON = f"""\
import os, time
import httpx

_PAGE = os.sysconf("SC_PAGE_SIZE")

def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * _PAGE

CLIENT_OURS = dict(endpoint={ENDPOINT!r}, api_key={API_KEY!r}, deployment="bench", max_retries=0)
CLIENT_OPENAI = dict(
    azure_endpoint={ENDPOINT!r}, api_key={API_KEY!r}, api_version={API_VERSION!r}, max_retries=0
)
"""

_STREAM = (
    _COMMON
    + """
CHUNK = b"data: " + {chunk!r} + b"\\n\\n"
PER_READ = max(1, 65536 // len(CHUNK))
TOTAL = {total}
samples = []

def body(total):
    sent = 0
    while sent < total:
        n = min(PER_READ, total - sent)
        yield CHUNK * n
        sent += n
    yield b"data: [DONE]\\n\\n"

def handler(request):
    total = TOTAL if request.headers.get("x-bench") == "big" else 10
    return httpx.Response(200, content=body(total), headers={{"content-type": "text/event-stream"}})

http = httpx.Client(transport=httpx.MockTransport(handler))
{setup}

def consume(big):
    seen = 0
    for chunk in stream(big):
        seen += 1
        if big and seen % 10_000 == 0:
            samples.append(rss())
    return seen

assert consume(False) >= 10
base = rss()
assert consume(True) >= TOTAL
growth = [s - base for s in samples]
print("READY", max(growth), growth[1], growth[-1], base, flush=True)
"""
)

_STREAM_OURS = """
from azure_oai_preview import AzureOpenAI
client = AzureOpenAI(http_client=http, **CLIENT_OURS)

def stream(big):
    with client.chat.completions.create(
        messages=[{"role": "user", "content": "Hi"}],
        stream=True,
        extra_headers={"x-bench": "big" if big else "small"},
    ) as chunks:
        yield from chunks
"""

_STREAM_OPENAI = """
from openai import AzureOpenAI
client = AzureOpenAI(http_client=http, **CLIENT_OPENAI)

def stream(big):
    yield from client.chat.completions.create(
        model="bench",
        messages=[{"role": "user", "content": "Hi"}],
        stream=True,
        extra_headers={"x-bench": "big" if big else "small"},
    )
"""

_UPLOAD = (
    _COMMON
    + """
import tempfile
SIZE = {size}
peak = [0]

def handler(request):
    received = 0
    for part in request.stream:
        received += len(part)
        peak[0] = max(peak[0], rss())
    assert received > (SIZE if request.headers.get("x-bench") == "big" else 0)
    return httpx.Response(200, json={{"text": "ok"}})

class Consuming(httpx.BaseTransport):
    # httpx.MockTransport reads the whole request first; a server would not.
    def handle_request(self, request):
        return handler(request)

http = httpx.Client(transport=Consuming())
{setup}

with tempfile.TemporaryDirectory() as folder:
    small, big = os.path.join(folder, "small.wav"), os.path.join(folder, "big.wav")
    with open(small, "wb") as f:
        f.write(b"RIFF" + bytes(1020))
    with open(big, "wb") as f:
        block = bytes(1 << 20)
        for _ in range(SIZE >> 20):
            f.write(block)
    with open(small, "rb") as f:
        assert transcribe(f, "small") == "ok"
    base = rss()
    peak[0] = base
    with open(big, "rb") as f:
        assert transcribe(f, "big") == "ok"
print("READY", peak[0] - base, flush=True)
"""
)

_UPLOAD_OURS = """
from azure_oai_preview import AzureOpenAI
client = AzureOpenAI(http_client=http, **CLIENT_OURS)

def transcribe(f, size):
    result = client.audio.transcriptions.create(
        file=f, response_format="json", extra_headers={"x-bench": size}
    )
    return result.text
"""

_UPLOAD_OPENAI = """
from openai import AzureOpenAI
client = AzureOpenAI(http_client=http, **CLIENT_OPENAI)

def transcribe(f, size):
    result = client.audio.transcriptions.create(
        model="bench", file=f, response_format="json", extra_headers={"x-bench": size}
    )
    return result.text
"""


def stream_script(ours: bool, total: int = 200_000) -> str:
    chunk = json.dumps(CHUNK, separators=(",", ":")).encode()
    setup = _STREAM_OURS if ours else _STREAM_OPENAI
    return _STREAM.format(chunk=chunk, total=total, setup=setup)


def upload_script(ours: bool, size: int = 100 << 20) -> str:
    return _UPLOAD.format(size=size, setup=_UPLOAD_OURS if ours else _UPLOAD_OPENAI)


def run() -> list[Row]:
    rows: list[Row] = []
    for contender, ours in ((OURS, True), (OPENAI, False)):
        peak, at_20k, at_end, _ = fresh_process(stream_script(ours)).values
        note = f"(after 20k chunks {size_text(at_20k)}, after 200k {size_text(at_end)})"
        rows.append(
            Row(STREAM_CASE, contender, peak, note, "bytes", {"at_20k": at_20k, "at_end": at_end})
        )
    for contender, ours in ((OURS, True), (OPENAI, False)):
        (peak,) = fresh_process(upload_script(ours)).values
        rows.append(Row(UPLOAD_CASE, contender, peak, unit="bytes"))
    return rows


TARGETS = {STREAM_CASE: "flat (issue 16); bounded here", UPLOAD_CASE: "far below 100 MB"}


def main() -> None:
    print_table(TITLE, run(), baseline=OPENAI, targets=TARGETS)


if __name__ == "__main__":
    main()
