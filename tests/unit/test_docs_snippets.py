"""Every ```python block of README.md and docs/**/*.md runs, as written, against the emulator.

The blocks of one page run in order in one namespace (a page is read top to bottom). What they
would send to an Azure endpoint (``https://<anything>.openai.azure.com``) is answered by a fresh
in-process :class:`~azure_oai_preview.testing.Emulator` through respx; requests to loopback
servers the page starts itself pass through; anything else fails the test. Around the blocks:

- ``azure.identity``'s ``DefaultAzureCredential`` (sync and aio) is a stand-in that hands out a
  static token, so Entra ID examples run without a login;
- the working directory holds the files the pages open (``talk.mp3``, ``photo.png``, ...);
- the ``AZURE_OPENAI_*`` variables point at ``https://myres.openai.azure.com``.

A block that cannot run carries a visible ``<!-- snippet: no-run (reason) -->`` marker above its
fence (see ``tests/docs_blocks.py``, whose blocks ``nox -s typecheck`` type-checks too); each is
reported as a skipped test with its reason.
"""

from __future__ import annotations

import base64
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from azure_oai_preview.testing import EmulatedRequest, Emulator
from tests.docs_blocks import ROOT, Block, doc_pages, python_blocks

AZURE_HOST = r"^[a-z0-9-]+\.openai\.azure\.com$"
PNG_1X1 = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
FILES = {
    "talk.mp3": b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(512),
    "photo.png": PNG_1X1,
    "handbook.md": b"# Handbook\n\nRefunds are accepted within 30 days.\n",
}

PAGES = [page for page in doc_pages() if python_blocks(page)]
OPTED_OUT = [block for page in PAGES for block in python_blocks(page) if block.opt_outs]


class _Chunks(httpx.SyncByteStream, httpx.AsyncByteStream):
    """An emulated body for the sync and the async client alike (respx serves both)."""

    def __init__(self, chunks: list[bytes], broken: bool) -> None:
        self._chunks = chunks
        self._broken = broken

    def __iter__(self) -> Iterator[bytes]:
        yield from self._chunks
        if self._broken:
            raise httpx.RemoteProtocolError("peer closed connection")

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self._chunks:
            yield chunk
        if self._broken:
            raise httpx.RemoteProtocolError("peer closed connection")


def _forward(emulator: Emulator):
    def answer(request: httpx.Request) -> httpx.Response:
        emulated = EmulatedRequest(
            method=request.method,
            path=request.url.raw_path.decode("ascii").split("?", 1)[0],
            query=dict(request.url.params.multi_items()),
            headers={name.lower(): value for name, value in request.headers.items()},
            body=request.content,
        )
        response = emulator.handle(emulated, f"https://{request.url.host}")
        if response.delay:
            time.sleep(response.delay)
        chunks = response.chunks if response.chunks is not None else [response.body]
        return httpx.Response(
            response.status,
            headers=list(response.headers.items()),
            stream=_Chunks(list(chunks), response.broken),
        )

    return answer


class _StandInCredential:
    """``DefaultAzureCredential`` without a login: a static token (sync and aio alike)."""

    def __init__(self, **kwargs: Any) -> None:
        pass

    def get_token(self, *scopes: str, **kwargs: Any) -> Any:
        from azure.core.credentials import AccessToken

        return AccessToken("docs-snippet-token", int(time.time()) + 3600)

    def close(self) -> None:
        pass


class _AsyncStandInCredential(_StandInCredential):
    async def get_token(self, *scopes: str, **kwargs: Any) -> Any:  # type: ignore[override]
        return _StandInCredential.get_token(self, *scopes)

    async def close(self) -> None:  # type: ignore[override]
        pass

    async def __aenter__(self) -> _AsyncStandInCredential:
        return self

    async def __aexit__(self, *exc: object) -> None:
        pass


@pytest.fixture
def snippet_world(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Emulator]:
    import azure.identity
    import azure.identity.aio

    monkeypatch.setattr(azure.identity, "DefaultAzureCredential", _StandInCredential)
    monkeypatch.setattr(azure.identity.aio, "DefaultAzureCredential", _AsyncStandInCredential)
    for variable in ("AZURE_OPENAI_AD_TOKEN", "OPENAI_API_VERSION", "AZURE_OAI_PREVIEW_LOG"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", "https://myres.openai.azure.com")
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", "docs-snippet-key")
    monkeypatch.setenv("AZURE_OPENAI_DEPLOYMENT", "gpt-4o")
    for name, content in FILES.items():
        (tmp_path / name).write_bytes(content)
    monkeypatch.chdir(tmp_path)
    emulator = Emulator()
    with respx.mock(assert_all_called=False, assert_all_mocked=True) as router:
        router.route(host__regex=AZURE_HOST).mock(side_effect=_forward(emulator))
        router.route(host="127.0.0.1").pass_through()
        yield emulator


def _run(block: Block, namespace: dict[str, Any]) -> None:
    exec(compile(block.compiled_source(), str(block.path), "exec"), namespace)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_page_snippets_run(page: Path, snippet_world: Emulator) -> None:
    namespace: dict[str, Any] = {"__name__": f"docs_snippet_{page.stem}"}
    ran = 0
    for block in python_blocks(page):
        if block.runs:
            _run(block, namespace)
            ran += 1
    if ran == 0:
        pytest.skip("every block of this page is marked no-run")


@pytest.mark.parametrize("block", OPTED_OUT, ids=lambda b: b.name)
def test_opted_out_blocks_say_why(block: Block) -> None:
    assert len(block.reason or "") >= 10, f"{block.name}: give a real reason"
    compile(block.code, block.name, "exec")  # still valid Python
    if not block.runs:
        pytest.skip(f"{block.name}: not run ({block.reason})")
