"""The walk-throughs of docs/file-search.md and docs/authoring.md run, as written and in
order, against a mocked service (respx), with a clock that never sleeps."""

from __future__ import annotations

import json
import re
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
from _assistants_support import (
    delta_text,
    run_body,
    sse_body,
    sse_response,
    stream_message,
    thread_body,
)

from azure_oai_preview import _lro, _polling

DOCS = Path(__file__).resolve().parents[2] / "docs"
ENDPOINT = "https://myres.openai.azure.com"
BASE = ENDPOINT + "/openai"


def python_blocks(page: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", page.read_text(encoding="utf-8"), re.DOTALL)


def run_page(page: Path) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": f"docs_{page.stem}"}
    for index, block in enumerate(python_blocks(page)):
        exec(compile(block, f"{page}#block{index}", "exec"), namespace)
    return namespace


@pytest.fixture
def setting(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, sleeps: list[float]) -> list[float]:
    """Environment, a working folder, and a clock for the polls and the docs' time.sleep."""
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", ENDPOINT)
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", "walkthrough-key")
    monkeypatch.delenv("OPENAI_API_VERSION", raising=False)
    monkeypatch.chdir(tmp_path)
    now = [0.0]

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += seconds

    monkeypatch.setattr(time, "sleep", sleep)
    monkeypatch.setattr(_polling, "_now", lambda: now[0])
    monkeypatch.setattr(_lro, "_now", lambda: now[0])
    return sleeps


def file_object(file_id: str, filename: str, status: str, purpose: str) -> dict[str, Any]:
    return {
        "object": "file",
        "id": file_id,
        "filename": filename,
        "status": status,
        "purpose": purpose,
        "bytes": 120,
        "created_at": 1717000000,
    }


class Files:
    """``/files``: uploads get ids from their names; each file is ``pending`` when first
    retrieved, then ``processed``."""

    def __init__(self, service: respx.MockRouter) -> None:
        self.stored: dict[str, dict[str, Any]] = {}
        self.retrievals: dict[str, int] = defaultdict(int)
        self.contents: dict[str, bytes] = {}
        service.post("/files").mock(side_effect=self.upload)
        service.get("/files").mock(side_effect=self.list)
        service.get(url__regex=r"/files/(?P<file_id>[^/?]+)\?").mock(side_effect=self.retrieve)
        service.get(url__regex=r"/files/(?P<file_id>[^/]+)/content").mock(side_effect=self.content)
        service.delete(url__regex=r"/files/(?P<file_id>[^/?]+)").mock(side_effect=self.delete)

    def upload(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        name = body.split(b'filename="', 1)[1].split(b'"', 1)[0].decode()
        purpose = body.split(b'name="purpose"\r\n\r\n', 1)[1].split(b"\r\n", 1)[0].decode()
        prefix = "assistant-" if purpose == "assistants" else "file-"
        file_id = prefix + Path(name).stem
        self.stored[file_id] = file_object(file_id, name, "pending", purpose)
        self.contents[file_id] = body
        return httpx.Response(201, json=self.stored[file_id])

    def list(self, request: httpx.Request) -> httpx.Response:
        purpose = request.url.params.get("purpose")
        data = [f for f in self.stored.values() if purpose in (None, f["purpose"])]
        return httpx.Response(200, json={"object": "list", "data": data})

    def retrieve(self, request: httpx.Request, file_id: str) -> httpx.Response:
        self.retrievals[file_id] += 1
        if self.retrievals[file_id] > 1:
            self.stored[file_id]["status"] = "processed"
        return httpx.Response(200, json=self.stored[file_id])

    def content(self, request: httpx.Request, file_id: str) -> httpx.Response:
        return httpx.Response(200, content=self.contents.get(file_id, b"step,loss\n1,0.5\n"))

    def delete(self, request: httpx.Request, file_id: str) -> httpx.Response:
        self.stored.pop(file_id, None)
        return httpx.Response(204)


# -- file_search ----------------------------------------------------------------------------------

STORE, ASSISTANT, THREAD, RUN = "vs_handbook", "asst_handbook", "thread_handbook", "run_handbook"
ANSWER = "New employees get 25 vacation days【4:0†source】."
CITATION = {
    "type": "file_citation",
    "text": "【4:0†source】",
    "start_index": 42,
    "end_index": 54,
    "file_citation": {"file_id": "assistant-vacation", "quote": "25 days of paid vacation"},
}


def vector_store(**changes: Any) -> dict[str, Any]:
    body = {
        "id": STORE,
        "object": "vector_store",
        "created_at": 1717000000,
        "name": "Employee handbook",
        "status": "completed",
        "usage_bytes": 0,
        "file_counts": {"in_progress": 0, "completed": 0, "failed": 0, "cancelled": 0, "total": 0},
        "metadata": {},
        "last_active_at": 1717000000,
    }
    return {**body, **changes}


def file_batch(status: str, total: int) -> dict[str, Any]:
    done = total if status == "completed" else 0
    counts = {"in_progress": total - done, "completed": done, "failed": 0, "cancelled": 0}
    return {
        "id": "vsfb_handbook",
        "object": "vector_store.file_batch",
        "created_at": 1717000000,
        "vector_store_id": STORE,
        "status": status,
        "file_counts": {**counts, "total": total},
    }


def answer_events() -> list[tuple[str, Any]]:
    run = run_body(
        id=RUN, thread_id=THREAD, assistant_id=ASSISTANT, tools=[{"type": "file_search"}]
    )
    message = stream_message(id="msg_answer", thread_id=THREAD, run_id=RUN, assistant_id=ASSISTANT)
    final = stream_message(
        id="msg_answer",
        thread_id=THREAD,
        run_id=RUN,
        assistant_id=ASSISTANT,
        status="completed",
        content=[{"type": "text", "text": {"value": ANSWER, "annotations": [CITATION]}}],
    )
    return [
        ("thread.run.created", {**run, "status": "queued"}),
        ("thread.run.in_progress", {**run, "status": "in_progress"}),
        ("thread.message.created", message),
        ("thread.message.delta", delta_text("msg_answer", 0, ANSWER[:28])),
        ("thread.message.delta", delta_text("msg_answer", 0, ANSWER[28:])),
        ("thread.message.completed", final),
        ("thread.run.completed", {**run, "status": "completed"}),
    ]


def test_file_search_walkthrough(
    setting: list[float], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    handbook = tmp_path / "handbook"
    handbook.mkdir()
    for name in ("benefits", "conduct", "vacation"):
        (handbook / f"{name}.md").write_text(f"# {name.title()}\n\nPolicy text.\n")

    with respx.mock(base_url=BASE, assert_all_called=False) as service:
        files = Files(service)
        created_store = service.post("/vector_stores").respond(200, json=vector_store())
        batches: list[dict[str, Any]] = []

        def create_batch(request: httpx.Request) -> httpx.Response:
            batches.append(json.loads(request.content))
            return httpx.Response(200, json=file_batch("in_progress", len(batches[-1]["file_ids"])))

        service.post(f"/vector_stores/{STORE}/file_batches").mock(side_effect=create_batch)
        service.get(f"/vector_stores/{STORE}/file_batches/vsfb_handbook").respond(
            200, json=file_batch("completed", 3)
        )
        assistant = service.post("/assistants").respond(
            200,
            json={
                "id": ASSISTANT,
                "object": "assistant",
                "created_at": 1717000000,
                "name": "Handbook helper",
                "description": None,
                "model": "gpt-4o",
                "instructions": "Answer from the employee handbook only, and cite it.",
                "tools": [{"type": "file_search"}],
                "tool_resources": {"file_search": {"vector_store_ids": [STORE]}},
                "metadata": {},
            },
        )
        service.post("/threads").respond(200, json=thread_body(id=THREAD))
        stream = service.post(f"/threads/{THREAD}/runs").mock(
            return_value=sse_response(sse_body(answer_events()))
        )
        service.delete(f"/assistants/{ASSISTANT}").respond(
            200, json={"id": ASSISTANT, "object": "assistant.deleted", "deleted": True}
        )
        service.delete(f"/vector_stores/{STORE}").respond(
            200, json={"id": STORE, "object": "vector_store.deleted", "deleted": True}
        )

        run_page(DOCS / "file-search.md")

    printed = capsys.readouterr().out
    assert "3 of 3 files indexed" in printed
    assert ANSWER in printed
    assert "【4:0†source】 -> vacation.md" in printed
    assert batches == [
        {"file_ids": ["assistant-benefits", "assistant-conduct", "assistant-vacation"]}
    ]
    assert json.loads(created_store.calls.last.request.content) == {"name": "Employee handbook"}
    sent = json.loads(assistant.calls.last.request.content)
    assert sent["tool_resources"] == {"file_search": {"vector_store_ids": [STORE]}}
    assert json.loads(stream.calls.last.request.content) == {
        "assistant_id": ASSISTANT,
        "stream": True,
    }
    assert files.stored == {}, "the clean-up deleted the uploads"


# -- files, fine-tuning, ingestion ----------------------------------------------------------------

JOB_ID = "ftjob-support"
MODEL = "gpt-35-turbo-0613.ft-support"
MONITOR = f"{BASE}/ingestion/jobs/handbook-index/runs/run-1?api-version=2024-05-01-preview"


def job(status: str, **changes: Any) -> dict[str, Any]:
    body = {
        "object": "fine_tuning.job",
        "id": JOB_ID,
        "status": status,
        "model": "gpt-35-turbo-0613",
        "training_file": "file-train",
        "validation_file": "file-valid",
        "hyperparameters": {"n_epochs": 3},
        "created_at": 1717000000,
    }
    if status == "succeeded":
        body.update(fine_tuned_model=MODEL, result_files=["file-results"], finished_at=1717003600)
    return {**body, **changes}


def ingestion_run(status: str, run_id: str = "run-1") -> dict[str, Any]:
    stages = [
        {"name": "Preprocessing", "state": status, "totalItems": 14, "processedItems": 14},
        {"name": "Indexing", "state": status, "totalItems": 14, "processedItems": 14},
    ]
    return {
        "jobId": "handbook-index",
        "runId": run_id,
        "status": status,
        "progress": {"stageProgress": stages},
    }


def mock_fine_tuning(service: respx.MockRouter) -> dict[str, Any]:
    created = service.post("/fine_tuning/jobs").respond(201, json=job("pending"))
    service.get(f"/fine_tuning/jobs/{JOB_ID}").mock(
        side_effect=[httpx.Response(200, json=job(s)) for s in ("running", "succeeded")]
    )
    events = [
        {
            "object": "fine_tuning.job.event",
            "id": f"ftevent-{i}",
            "created_at": 1717000000 + i,
            "level": "info",
            "message": text,
            "type": "message",
        }
        for i, text in enumerate(["Job started.", "Step 10: training loss=0.41", "Job succeeded."])
    ]
    service.get(f"/fine_tuning/jobs/{JOB_ID}/events").respond(
        200, json={"object": "list", "has_more": False, "data": events}
    )
    checkpoint = {
        "object": "fine_tuning.job.checkpoint",
        "id": "ftckpt-1",
        "created_at": 1717003000,
        "fine_tuned_model_checkpoint": MODEL + ":ckpt-step-10",
        "fine_tuning_job_id": JOB_ID,
        "step_number": 10,
        "metrics": {"step": 10, "train_loss": 0.41},
    }
    service.get(f"/fine_tuning/jobs/{JOB_ID}/checkpoints").respond(
        200, json={"object": "list", "has_more": False, "data": [checkpoint]}
    )
    service.get(f"/models/{MODEL}").respond(
        200,
        json={
            "object": "model",
            "id": MODEL,
            "status": "succeeded",
            "model": "gpt-35-turbo-0613",
            "fine_tune": JOB_ID,
            "capabilities": {
                "fine_tune": False,
                "inference": True,
                "completion": False,
                "chat_completion": True,
                "embeddings": False,
            },
            "lifecycle_status": "preview",
            "deprecation": {"inference": 1750000000},
            "created_at": 1717003600,
        },
    )
    service.post("/files/import").respond(
        201, json=file_object("file-imported", "valid.jsonl", "pending", "fine-tune")
    )
    return {"created": created}


def mock_ingestion(service: respx.MockRouter) -> dict[str, Any]:
    put = service.put("/ingestion/jobs/handbook-index").respond(
        200,
        json={"kind": "SystemCompute", "jobId": "handbook-index"},
        headers={"operation-location": MONITOR, "retry-after": "30"},
    )
    service.get("/ingestion/jobs/handbook-index/runs/run-1").mock(
        side_effect=[
            httpx.Response(200, json=ingestion_run("Running")),
            httpx.Response(200, json=ingestion_run("Succeeded")),
        ]
    )
    user_put = service.put("/ingestion/jobs/handbook-ml").respond(
        200,
        json={"kind": "UserCompute", "jobId": "handbook-ml", "workspaceId": "/w"},
        headers={"operation-location": f"{BASE}/ingestion/jobs/handbook-ml/runs/run-2"},
    )
    service.get("/ingestion/jobs/handbook-ml/runs/run-2").respond(
        200, json=ingestion_run("Succeeded", "run-2")
    )
    listed = service.get("/ingestion/jobs").mock(
        side_effect=[
            httpx.Response(
                200,
                json={
                    "value": [{"kind": "SystemCompute", "jobId": "handbook-index"}],
                    "nextLink": f"{BASE}/ingestion/jobs?api-version=2024-05-01-preview&$skip=1",
                },
            ),
            httpx.Response(
                200,
                json={
                    "value": [{"kind": "UserCompute", "jobId": "handbook-ml", "workspaceId": "/w"}]
                },
            ),
        ]
    )
    service.get("/ingestion/jobs/handbook-index/runs").respond(
        200, json={"value": [ingestion_run("succeeded")]}
    )
    return {"put": put, "user_put": user_put, "listed": listed}


def test_authoring_walkthroughs(
    setting: list[float], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("train", "valid"):
        (tmp_path / f"{name}.jsonl").write_text('{"messages": []}\n' * 3)

    with respx.mock(base_url=BASE, assert_all_called=False) as service:
        Files(service)
        fine_tuning = mock_fine_tuning(service)
        ingestion = mock_ingestion(service)
        namespace = run_page(DOCS / "authoring.md")

    printed = capsys.readouterr().out
    assert "file-train pending" in printed
    assert "Step 10: training loss=0.41" in printed
    assert f"{MODEL} preview True" in printed
    assert "run-1 Succeeded" in printed
    assert "Indexing Succeeded 14 / 14" in printed
    assert "handbook-ml UserCompute" in printed
    assert (tmp_path / "copy-of-train.jsonl").read_bytes().count(b'{"messages": []}') == 3
    assert (tmp_path / "results.csv").exists()
    assert json.loads(fine_tuning["created"].calls.last.request.content)["suffix"] == "support"
    assert 60 in setting, "the documented loop slept between two retrievals"
    assert 30 in setting, "the ingestion poll honoured retry-after"
    sent = ingestion["user_put"].calls.last.request.headers
    assert sent["mgmt-user-token"] == "<workspace token>"
    assert sent["aml-user-token"] == "<resources token>"
    assert ingestion["listed"].call_count == 2
    assert namespace["run"].status == "Succeeded"
