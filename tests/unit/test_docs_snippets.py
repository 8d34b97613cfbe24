"""Every ```python block of README.md and docs/**/*.md runs, as written, against the emulator.

The blocks of one page run in order in one namespace (a page is read top to bottom). What they
would send to an Azure endpoint (``https://<anything>.openai.azure.com``) is answered by a fresh
in-process :class:`~azure_oai_preview.testing.Emulator` through respx; requests to loopback
servers the page starts itself pass through; anything else fails the test. Around the blocks:

- ``azure.identity``'s ``DefaultAzureCredential`` (sync and aio) is a stand-in that hands out a
  static token, so Entra ID examples run without a login;
- the working directory holds the files the pages open (``talk.mp3``, ``train.jsonl``,
  ``handbook/*.md``, ...);
- the ``AZURE_OPENAI_*`` variables point at ``https://myres.openai.azure.com``;
- ``time.sleep`` records what it is asked and waits at most 10 ms, so a page may poll a job
  every minute, as real code does, without the suite waiting for it.

Pages whose prose promises an outcome (what is printed, what is sent, what the poller waited)
have a check in ``PAGE_CHECKS``, run after their blocks. The emulator's model does not search
files, so the ``file_search`` page is run a second time with the model's answer replaced by a
recorded one that cites a file: its citation code is then checked on a citation.

A block that cannot run carries a visible ``<!-- snippet: no-run (reason) -->`` marker above its
fence (see ``tests/docs_blocks.py``, whose blocks ``nox -s typecheck`` type-checks too); each is
reported as a skipped test with its reason.
"""

from __future__ import annotations

import base64
import json
import re
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
from _assistants_support import delta_text, run_body, sse_body, sse_response, stream_message

from azure_oai_preview.testing import EmulatedRequest, Emulator
from tests.docs_blocks import ROOT, Block, doc_pages, python_blocks

AZURE_HOST = r"^[a-z0-9-]+\.openai\.azure\.com$"
PNG_1X1 = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
TRAINING_LINE = (
    b'{"messages": [{"role": "user", "content": "How do I reset my password?"}, '
    b'{"role": "assistant", "content": "Open Settings, then Security."}]}\n'
)
FILES = {
    "talk.mp3": b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(512),
    "photo.png": PNG_1X1,
    "handbook.md": b"# Handbook\n\nRefunds are accepted within 30 days.\n",
    "train.jsonl": TRAINING_LINE * 12,
    "valid.jsonl": TRAINING_LINE * 4,
    "handbook/benefits.md": b"# Benefits\n\nHealth insurance from the first day.\n",
    "handbook/conduct.md": b"# Conduct\n\nBe kind.\n",
    "handbook/vacation.md": b"# Vacation\n\nNew employees get 25 days of paid vacation.\n",
}
# Distinct from every poll interval the pages use, so a check can tell that a poller waited
# what the service asked.
RETRY_AFTER = 7
_real_sleep = time.sleep

PAGES = [page for page in doc_pages() if python_blocks(page)]
OPTED_OUT = [block for page in PAGES for block in python_blocks(page) if block.opt_outs]

Answer = Callable[[httpx.Request], "httpx.Response | None"]


@dataclass
class World:
    """What a page's blocks run in, and what a check may look at afterwards."""

    emulator: Emulator
    router: respx.MockRouter
    folder: Path
    sleeps: list[float] = field(default_factory=list[float])
    """Every ``time.sleep`` asked for, in seconds."""
    instead: list[Answer] = field(default_factory=list[Answer])
    """Answers tried before the emulator's; the first that returns a response wins."""


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


def _forward(world: World) -> Answer:
    def answer(request: httpx.Request) -> httpx.Response:
        for replacement in world.instead:
            replaced = replacement(request)
            if replaced is not None:
                return replaced
        emulated = EmulatedRequest(
            method=request.method,
            path=request.url.raw_path.decode("ascii").split("?", 1)[0],
            query=dict(request.url.params.multi_items()),
            headers={name.lower(): value for name, value in request.headers.items()},
            body=request.content,
        )
        response = world.emulator.handle(emulated, f"https://{request.url.host}")
        if response.delay:
            _real_sleep(response.delay)
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
def snippet_world(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[World]:
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
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(content)
    monkeypatch.chdir(tmp_path)
    emulator = Emulator()
    emulator.retry_after = RETRY_AFTER
    with respx.mock(assert_all_called=False, assert_all_mocked=True) as router:
        world = World(emulator=emulator, router=router, folder=tmp_path)

        def sleep(seconds: float) -> None:
            world.sleeps.append(seconds)
            _real_sleep(min(seconds, 0.01))  # threads the page started (a server) still run

        monkeypatch.setattr(time, "sleep", sleep)
        router.route(host__regex=AZURE_HOST).mock(side_effect=_forward(world))
        router.route(host="127.0.0.1").pass_through()
        yield world


def _run_page(page: Path) -> tuple[dict[str, Any], int]:
    """Run the page's blocks (those not marked no-run); its namespace and how many ran."""
    namespace: dict[str, Any] = {"__name__": f"docs_snippet_{page.stem}"}
    ran = 0
    for block in python_blocks(page):
        if block.runs:
            exec(compile(block.compiled_source(), str(block.path), "exec"), namespace)
            ran += 1
    return namespace, ran


# -- what pages promise ---------------------------------------------------------------------------


def _exchanges(world: World, operation: str) -> list[Any]:
    return [e for e in world.emulator.history if e.operation_id == operation]


def _authoring_page(world: World, printed: str, namespace: dict[str, Any]) -> None:
    first_upload = _exchanges(world, "Files_Upload")[0].response_json()
    assert f"{first_upload['id']} pending" in printed
    assert (world.folder / "copy-of-train.jsonl").read_bytes() == FILES["train.jsonl"]
    assert (world.folder / "results.csv").stat().st_size > 0, "the job's result file was saved"
    created = _exchanges(world, "FineTuning_Create")[-1]
    assert created.request_json()["suffix"] == "support"
    job_id = created.response_json()["id"]
    events = world.emulator.state.fine_tuning_event_list(job_id)
    assert events
    assert all(event.message in printed for event in events)
    assert 60 in world.sleeps, "the documented loop waited between two retrievals"
    assert RETRY_AFTER in world.sleeps, "create_and_poll waited what retry-after asked"
    (index_run,) = world.emulator.state.ingestion_run_list("handbook-index")
    assert f"{index_run.runId} Succeeded" in printed
    assert "Indexing Succeeded" in printed
    user_jobs = [
        call.request
        for call in world.router.calls
        if call.request.method == "PUT" and call.request.url.path.endswith("/handbook-ml")
    ]
    assert user_jobs[-1].headers["mgmt-user-token"] == "<workspace token>"
    assert user_jobs[-1].headers["aml-user-token"] == "<resources token>"
    assert namespace["run"].status == "Succeeded"


def _file_search_page(world: World, printed: str, namespace: dict[str, Any]) -> None:
    assert "3 of 3 files indexed" in printed
    batch = _exchanges(world, "Create_Vector_Store_File_Batch")[-1].request_json()
    names = {
        (file := e.response_json())["id"]: file["filename"]
        for e in _exchanges(world, "Files_Upload")
    }
    assert [names[file_id] for file_id in batch["file_ids"]] == [
        "benefits.md",
        "conduct.md",
        "vacation.md",
    ], "one batch of the uploads, in the order given"
    assistant = _exchanges(world, "Create_Assistant")[-1].request_json()
    assert assistant["tool_resources"] == {
        "file_search": {"vector_store_ids": [namespace["store"].id]}
    }
    run = _exchanges(world, "Create_Run")[-1].request_json()
    assert run == {"assistant_id": namespace["assistant"].id, "stream": True}
    assert world.emulator.state.file_list() == [], "the clean-up deleted the uploads"


PAGE_CHECKS: dict[str, Callable[[World, str, dict[str, Any]], None]] = {
    "docs/authoring.md": _authoring_page,
    "docs/file-search.md": _file_search_page,
}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_page_snippets_run(
    page: Path, snippet_world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    namespace, ran = _run_page(page)
    if ran == 0:
        pytest.skip("every block of this page is marked no-run")
    check = PAGE_CHECKS.get(page.relative_to(ROOT).as_posix())
    if check is not None:
        check(snippet_world, capsys.readouterr().out, namespace)


def test_every_page_check_names_a_page() -> None:
    assert set(PAGE_CHECKS) <= {page.relative_to(ROOT).as_posix() for page in PAGES}


# -- file_search: a model that cites -------------------------------------------------------------

CITED = "New employees get 25 vacation days【4:0†source】."


def _cited_answer(world: World) -> Answer:
    """The run stream of a model that searched the store: its answer cites vacation.md."""

    def answer(request: httpx.Request) -> httpx.Response | None:
        found = re.search(r"/openai/threads/([^/]+)/runs$", request.url.path)
        if request.method != "POST" or found is None:
            return None
        thread_id, assistant_id = found.group(1), json.loads(request.content)["assistant_id"]
        source = next(f for f in world.emulator.state.file_list() if f.filename == "vacation.md")
        citation = {
            "type": "file_citation",
            "text": "【4:0†source】",
            "start_index": CITED.index("【"),
            "end_index": len(CITED) - 1,
            "file_citation": {"file_id": source.id, "quote": "25 days of paid vacation"},
        }
        ids = {"thread_id": thread_id, "assistant_id": assistant_id, "run_id": "run_cited"}
        run = run_body(
            id="run_cited",
            thread_id=thread_id,
            assistant_id=assistant_id,
            tools=[{"type": "file_search"}],
        )
        final = stream_message(
            id="msg_cited",
            status="completed",
            content=[{"type": "text", "text": {"value": CITED, "annotations": [citation]}}],
            **ids,
        )
        events = [
            ("thread.run.created", {**run, "status": "queued"}),
            ("thread.run.in_progress", {**run, "status": "in_progress"}),
            ("thread.message.created", stream_message(id="msg_cited", **ids)),
            ("thread.message.delta", delta_text("msg_cited", 0, CITED[:18])),
            ("thread.message.delta", delta_text("msg_cited", 0, CITED[18:])),
            ("thread.message.completed", final),
            ("thread.run.completed", {**run, "status": "completed"}),
        ]
        return sse_response(sse_body(events))

    return answer


def test_file_search_page_reads_the_citations_of_a_model_that_cites(
    snippet_world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    snippet_world.instead.append(_cited_answer(snippet_world))
    _run_page(ROOT / "docs" / "file-search.md")
    printed = capsys.readouterr().out
    assert CITED in printed
    assert "【4:0†source】 -> vacation.md" in printed


@pytest.mark.parametrize("block", OPTED_OUT, ids=lambda b: b.name)
def test_opted_out_blocks_say_why(block: Block) -> None:
    assert len(block.reason or "") >= 10, f"{block.name}: give a real reason"
    compile(block.code, block.name, "exec")  # still valid Python
    if not block.runs:
        pytest.skip(f"{block.name}: not run ({block.reason})")
