"""``vector_stores.files.upload_and_poll`` and ``vector_stores.file_batches.upload_and_poll``:
upload (concurrently, bounded), attach, poll; threads on the sync client, anyio task groups
on the async one (asyncio and trio)."""

from __future__ import annotations

import io
import json
import pickle
import threading
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from conftest import API_KEY, ENDPOINT

from azure_oai_preview import (
    AsyncAzureOpenAI,
    AzureOpenAI,
    BadRequestError,
    InternalServerError,
    InvalidRequestError,
    PollTimeoutError,
    UploadAndPollError,
)
from azure_oai_preview.models import VectorStoreFileBatchObject, VectorStoreFileObject

STORE = "vs_abc123"


class FakeService:
    """Files, vector store files and batches, enough for the helpers; counts uploads in flight.

    An upload waits (up to 5 s) until ``wave`` uploads are in flight at once, or until a
    wave of that size was seen: with a lower concurrency the test fails on the timeout.
    """

    def __init__(
        self,
        wave: int = 1,
        fail_on: str | None = None,
        fail_first: bool = False,
        fail_after: int | None = None,
        fail_attach: bool = False,
        stuck: bool = False,
    ) -> None:
        self.wave = wave
        self.fail_on = fail_on
        self.fail_first = fail_first
        self.fail_after = fail_after  # the upload after this many succeeded fails
        self.fail_attach = fail_attach  # creating a vector store file or batch fails (500)
        self.stuck = stuck  # files and batches stay in_progress
        self.methods: list[str] = []
        self.in_flight = 0
        self.most_in_flight = 0
        self.uploaded: list[str] = []
        self.created: list[dict[str, Any]] = []
        self.polls = 0
        self.lock = threading.Lock()
        self.full_wave = threading.Event()

    def _enter(self) -> None:
        with self.lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
            if self.in_flight >= self.wave:
                self.full_wave.set()

    def _leave(self, request: httpx.Request) -> httpx.Response:
        name = _filename(request)
        with self.lock:
            self.in_flight -= 1
            if name == self.fail_on or self.fail_first or len(self.uploaded) == self.fail_after:
                self.fail_first = False
                return httpx.Response(
                    400, json={"error": {"code": "invalidPayload", "message": "bad file"}}
                )
            self.uploaded.append(name)
        return httpx.Response(
            201,
            json={
                "object": "file",
                "id": f"assistant-{name}",
                "status": "processed",
                "purpose": "assistants",
                "filename": name,
            },
        )

    def answer(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/openai")
        self.methods.append(request.method)
        attach = path in (f"/vector_stores/{STORE}/files", f"/vector_stores/{STORE}/file_batches")
        if attach and self.fail_attach:
            return httpx.Response(500, json={"error": {"code": "busy", "message": "try later"}})
        status = "in_progress" if self.stuck else "completed"
        if path == f"/vector_stores/{STORE}/files":
            body = json.loads(request.content)
            self.created.append(body)
            return httpx.Response(200, json=vs_file(body["file_id"], "in_progress"))
        if path.startswith(f"/vector_stores/{STORE}/files/"):
            self.polls += 1
            return httpx.Response(200, json=vs_file(path.rsplit("/", 1)[1], status))
        if path == f"/vector_stores/{STORE}/file_batches":
            self.created.append(json.loads(request.content))
            return httpx.Response(200, json=batch("in_progress", len(self.created[-1]["file_ids"])))
        if path.startswith(f"/vector_stores/{STORE}/file_batches/"):
            self.polls += 1
            return httpx.Response(200, json=batch(status, len(self.created[-1]["file_ids"])))
        return httpx.Response(404, json={"error": {"code": "notFound", "message": path}})


def _filename(request: httpx.Request) -> str:
    body = request.read()
    return body.split(b'filename="', 1)[1].split(b'"', 1)[0].decode()


def vs_file(file_id: str, status: str) -> dict[str, Any]:
    return {
        "id": file_id,
        "object": "vector_store.file",
        "created_at": 1,
        "vector_store_id": STORE,
        "status": status,
        "usage_bytes": 10,
        "last_error": None,
    }


def batch(status: str, total: int) -> dict[str, Any]:
    done = total if status == "completed" else 0
    return {
        "id": "vsfb_1",
        "object": "vector_store.file_batch",
        "created_at": 1,
        "vector_store_id": STORE,
        "status": status,
        "file_counts": {
            "in_progress": total - done,
            "completed": done,
            "failed": 0,
            "cancelled": 0,
            "total": total,
        },
    }


class SyncTransport(httpx.BaseTransport):
    def __init__(self, service: FakeService) -> None:
        self.service = service

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/files") and "vector_stores" not in request.url.path:
            self.service._enter()
            assert self.service.full_wave.wait(5), "uploads never ran concurrently"
            return self.service._leave(request)
        request.read()
        return self.service.answer(request)


class AsyncTransport(httpx.AsyncBaseTransport):
    def __init__(self, service: FakeService) -> None:
        self.service = service
        self.event: anyio.Event | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        if request.url.path.endswith("/files") and "vector_stores" not in request.url.path:
            if self.event is None:
                self.event = anyio.Event()
            self.service._enter()
            if self.service.full_wave.is_set():
                self.event.set()
            with anyio.fail_after(5):
                await self.event.wait()
            return self.service._leave(request)
        return self.service.answer(request)


def sync_client(service: FakeService) -> AzureOpenAI:
    http = httpx.Client(transport=SyncTransport(service))
    return AzureOpenAI(ENDPOINT, api_key=API_KEY, http_client=http, max_retries=0)


def documents(tmp_path: Path, count: int) -> list[Path]:
    paths = []
    for index in range(count):
        path = tmp_path / f"doc{index}.md"
        path.write_text(f"# Document {index}\n")
        paths.append(path)
    return paths


def test_upload_and_poll_one_file(tmp_path: Path) -> None:
    service = FakeService()
    (path,) = documents(tmp_path, 1)
    with sync_client(service) as client:
        result = client.vector_stores.files.upload_and_poll(STORE, file=path, poll_interval=0)
    assert isinstance(result, VectorStoreFileObject)
    assert result.status == "completed"
    assert service.uploaded == ["doc0.md"]
    assert service.created == [{"file_id": "assistant-doc0.md"}]
    assert service.polls == 1


def test_batch_uploads_run_concurrently_in_threads(tmp_path: Path) -> None:
    service = FakeService(wave=3)
    paths = documents(tmp_path, 7)
    with sync_client(service) as client:
        result = client.vector_stores.file_batches.upload_and_poll(
            STORE, files=paths, file_ids=["assistant-earlier"], max_concurrency=3, poll_interval=0
        )
    assert isinstance(result, VectorStoreFileBatchObject)
    assert result.status == "completed"
    assert result.file_counts.total == 8
    assert service.most_in_flight == 3
    assert sorted(service.uploaded) == [f"doc{i}.md" for i in range(7)]
    assert service.created == [
        {"file_ids": ["assistant-earlier", *(f"assistant-doc{i}.md" for i in range(7))]}
    ], "the batch lists the files in the order given"


def test_a_failed_upload_stops_the_batch(tmp_path: Path) -> None:
    service = FakeService(wave=1, fail_on="doc1.md")
    paths = documents(tmp_path, 4)
    with sync_client(service) as client, pytest.raises(BadRequestError, match="bad file"):
        client.vector_stores.file_batches.upload_and_poll(
            STORE, files=paths, max_concurrency=1, poll_interval=0
        )
    assert service.uploaded == ["doc0.md"], "uploads after the failure never start"
    assert service.created == [], "no batch is created"


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"files": []}, "files"),
        ({"files": "doc0.md"}, "files"),
        ({"files": [b"x"], "max_concurrency": 0}, "max_concurrency"),
        ({"files": [b"x"], "max_concurrency": True}, "max_concurrency"),
    ],
)
def test_batch_arguments_are_checked_before_anything_is_sent(
    arguments: dict[str, Any], field: str
) -> None:
    service = FakeService()
    with sync_client(service) as client, pytest.raises(InvalidRequestError) as info:
        client.vector_stores.file_batches.upload_and_poll(STORE, **arguments)
    assert info.value.problems[0][0] == field
    assert service.uploaded == []
    assert service.created == []


def test_a_missing_file_is_refused_before_any_upload(tmp_path: Path) -> None:
    service = FakeService()
    (path,) = documents(tmp_path, 1)
    with sync_client(service) as client, pytest.raises(FileNotFoundError):
        client.vector_stores.file_batches.upload_and_poll(
            STORE, files=[path, tmp_path / "missing.md"], poll_interval=0
        )
    assert service.uploaded == []


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_async_batch_uploads_run_concurrently_in_a_task_group(backend: str, tmp_path: Path) -> None:
    paths = documents(tmp_path, 5)

    async def scenario() -> tuple[FakeService, Any, Any]:
        service = FakeService(wave=4)
        http = httpx.AsyncClient(transport=AsyncTransport(service))
        async with AsyncAzureOpenAI(ENDPOINT, api_key=API_KEY, http_client=http) as client:
            batch_result = await client.vector_stores.file_batches.upload_and_poll(
                STORE, files=paths, max_concurrency=4, poll_interval=0
            )
            one = await client.vector_stores.files.upload_and_poll(
                STORE, file=("extra.md", b"# extra"), poll_interval=0
            )
        return service, batch_result, one

    service, batch_result, one = anyio.run(scenario, backend=backend)
    assert batch_result.status == "completed"
    assert service.most_in_flight == 4
    assert service.created[0] == {"file_ids": [f"assistant-doc{i}.md" for i in range(5)]}
    assert one.id == "assistant-extra.md"


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_async_failure_cancels_the_other_uploads(backend: str, tmp_path: Path) -> None:
    paths = documents(tmp_path, 6)

    async def scenario() -> FakeService:
        # The first upload to finish fails (which one that is depends on the scheduler).
        service = FakeService(wave=2, fail_first=True)
        http = httpx.AsyncClient(transport=AsyncTransport(service))
        async with AsyncAzureOpenAI(
            ENDPOINT, api_key=API_KEY, http_client=http, max_retries=0
        ) as client:
            with pytest.raises(BadRequestError):
                await client.vector_stores.file_batches.upload_and_poll(
                    STORE, files=paths, max_concurrency=2, poll_interval=0
                )
        return service

    service = anyio.run(scenario, backend=backend)
    assert service.created == []
    # Two were in flight: one failed, the other finished or was cancelled; the four others
    # had not started and never do.
    assert len(service.uploaded) <= 1, "uploads not started when the failure came never start"


# -- failures after files were uploaded: the error says which, so they can be cleaned up ---------


class UnreadableFile(io.RawIOBase):
    """A file object whose content cannot be read (a failing disk, a closed pipe)."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        raise OSError("input/output error")


def test_a_failed_upload_names_the_files_uploaded_before(tmp_path: Path) -> None:
    service = FakeService(wave=1, fail_on="doc2.md")
    paths = documents(tmp_path, 4)
    with sync_client(service) as client, pytest.raises(BadRequestError, match="bad file") as info:
        client.vector_stores.file_batches.upload_and_poll(
            STORE, files=paths, file_ids=["assistant-earlier"], max_concurrency=1, poll_interval=0
        )
    error = info.value
    # Only the files this call uploaded: not `file_ids`, not the failed one.
    assert error.uploaded_file_ids == ("assistant-doc0.md", "assistant-doc1.md")
    assert isinstance(error.__cause__, BadRequestError), "the original error is the cause"
    assert error.__cause__.uploaded_file_ids == ()
    assert (error.status_code, error.request_id) == (400, error.__cause__.request_id)
    assert "DELETE" not in service.methods, "nothing is deleted on the caller's behalf"
    copy = pickle.loads(pickle.dumps(error))
    assert copy.uploaded_file_ids == error.uploaded_file_ids


def test_a_failure_before_any_upload_names_none(tmp_path: Path) -> None:
    service = FakeService(wave=1, fail_on="doc0.md")
    with sync_client(service) as client, pytest.raises(BadRequestError) as info:
        client.vector_stores.file_batches.upload_and_poll(
            STORE, files=documents(tmp_path, 3), max_concurrency=1, poll_interval=0
        )
    assert info.value.uploaded_file_ids == ()


def test_a_failed_batch_names_every_uploaded_file(tmp_path: Path) -> None:
    service = FakeService(wave=2, fail_attach=True)
    with sync_client(service) as client, pytest.raises(InternalServerError) as info:
        client.vector_stores.file_batches.upload_and_poll(
            STORE, files=documents(tmp_path, 3), max_concurrency=2, poll_interval=0
        )
    assert info.value.uploaded_file_ids == tuple(f"assistant-doc{i}.md" for i in range(3))
    assert isinstance(info.value.__cause__, InternalServerError)
    assert service.methods == ["POST"], "one batch request, no retry, no clean-up"


def test_a_poll_timeout_names_the_uploaded_file(tmp_path: Path) -> None:
    service = FakeService(stuck=True)
    (path,) = documents(tmp_path, 1)
    with sync_client(service) as client, pytest.raises(PollTimeoutError) as info:
        client.vector_stores.files.upload_and_poll(STORE, file=path, poll_interval=0, timeout=0)
    assert info.value.uploaded_file_ids == ("assistant-doc0.md",)
    assert info.value.last.status == "in_progress", "the error keeps what it had"


def test_a_failed_attach_of_one_file_names_it(tmp_path: Path) -> None:
    service = FakeService(fail_attach=True)
    (path,) = documents(tmp_path, 1)
    with sync_client(service) as client, pytest.raises(InternalServerError) as info:
        client.vector_stores.files.upload_and_poll(STORE, file=path, poll_interval=0)
    assert info.value.uploaded_file_ids == ("assistant-doc0.md",)


def test_an_error_of_another_kind_is_wrapped_with_the_uploaded_files(tmp_path: Path) -> None:
    service = FakeService(wave=1)
    (path,) = documents(tmp_path, 1)
    with sync_client(service) as client, pytest.raises(UploadAndPollError) as info:
        client.vector_stores.file_batches.upload_and_poll(
            STORE, files=[path, ("broken.md", UnreadableFile())], max_concurrency=1
        )
    assert info.value.uploaded_file_ids == ("assistant-doc0.md",)
    assert isinstance(info.value.__cause__, OSError)
    assert "assistant-doc0.md" in str(info.value)


def test_bad_poll_timing_is_refused_before_any_upload(tmp_path: Path) -> None:
    service = FakeService()
    (path,) = documents(tmp_path, 1)
    with sync_client(service) as client:
        with pytest.raises(ValueError, match="poll_interval"):
            client.vector_stores.files.upload_and_poll(STORE, file=path, poll_interval=-1)
        with pytest.raises(ValueError, match="timeout"):
            client.vector_stores.file_batches.upload_and_poll(STORE, files=[path], timeout=-1)
    assert service.uploaded == []


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_async_failures_name_the_uploaded_files(backend: str, tmp_path: Path) -> None:
    paths = documents(tmp_path, 6)

    async def scenario() -> tuple[FakeService, BadRequestError, PollTimeoutError]:
        # Trio shuffles which task starts first: the third upload fails, whichever file it is.
        service = FakeService(wave=1, fail_after=2)
        http = httpx.AsyncClient(transport=AsyncTransport(service))
        async with AsyncAzureOpenAI(
            ENDPOINT, api_key=API_KEY, http_client=http, max_retries=0
        ) as client:
            with pytest.raises(BadRequestError) as failed:
                await client.vector_stores.file_batches.upload_and_poll(
                    STORE, files=paths, max_concurrency=1, poll_interval=0
                )
            service.fail_after, service.stuck = None, True
            with pytest.raises(PollTimeoutError) as timed_out:
                await client.vector_stores.files.upload_and_poll(
                    STORE, file=("late.md", b"# late"), poll_interval=0, timeout=0
                )
        return service, failed.value, timed_out.value

    service, failed, timed_out = anyio.run(scenario, backend=backend)
    *before, late = service.uploaded
    assert len(before) == 2
    assert late == "late.md"
    assert sorted(failed.uploaded_file_ids) == sorted(f"assistant-{name}" for name in before)
    assert isinstance(failed.__cause__, BadRequestError)
    assert timed_out.uploaded_file_ids == ("assistant-late.md",)
