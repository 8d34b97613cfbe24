"""Ingestion jobs (PUT with operation-location, runs that progress, nextLink paging, the
user-compute credential headers) and file import from the emulated web."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from azure_oai_preview.models import IngestionJobSystemCompute, IngestionJobUserCompute
from azure_oai_preview.models._manifest import API_VERSION, OPERATIONS
from azure_oai_preview.testing import Emulator
from azure_oai_preview.testing._wire import SECRET_HEADERS

from ._support import SYSTEM_COMPUTE_JOB, TRAINING, USER_COMPUTE_JOB, USER_TOKENS, data_url, raw

TOKEN = {"mgmt-user-token": USER_TOKENS["mgmt-user-token"]}


@pytest.fixture
def http(azure_openai_emulator: Emulator) -> httpx.Client:
    return raw(azure_openai_emulator)


def _stages(run: dict[str, Any]) -> list[tuple[str, str]]:
    return [(s["name"], s["state"]) for s in run["progress"]["stageProgress"]]


@pytest.mark.azure_openai_emulator(progress="manual")
def test_put_starts_a_run_to_poll(azure_openai_emulator: Emulator, http: httpx.Client) -> None:
    created = http.put("/ingestion/jobs/docs", json=SYSTEM_COMPUTE_JOB)
    assert created.status_code == 200
    assert created.json() == {**SYSTEM_COMPUTE_JOB, "jobId": "docs"}
    assert created.headers["retry-after"] == "1"
    location = created.headers["operation-location"]
    assert location.startswith("https://emulator.invalid/openai/ingestion/jobs/docs/runs/")
    assert location.endswith(f"?api-version={API_VERSION}")
    run = http.get(location).json()
    assert (run["jobId"], run["status"]) == ("docs", "Running")
    assert _stages(run) == [("Preprocessing", "NotRunning"), ("Indexing", "NotRunning")]
    assert run["progress"]["stageProgress"][0]["totalItems"] == 2
    azure_openai_emulator.advance()
    run = http.get(location).json()
    assert (run["status"], _stages(run)) == (
        "Running",
        [("Preprocessing", "Succeeded"), ("Indexing", "Running")],
    )
    assert run["progress"]["stageProgress"][0]["processedItems"] == 2
    busy = http.put("/ingestion/jobs/docs", json=SYSTEM_COMPUTE_JOB)
    assert (busy.status_code, busy.json()["error"]["code"]) == (409, "conflict")
    azure_openai_emulator.advance()
    run = http.get(location).json()
    assert (run["status"], _stages(run)[1]) == ("Succeeded", ("Indexing", "Succeeded"))
    listed = http.get("/ingestion/jobs/docs/runs").json()
    assert [(r["runId"], r["status"]) for r in listed["value"]] == [(run["runId"], "succeeded")]
    assert "nextLink" not in listed
    jobs = azure_openai_emulator.state.ingestion_job_list()
    assert isinstance(jobs[0], IngestionJobSystemCompute)
    assert azure_openai_emulator.state.ingestion_run_list("docs")[0].status == "Succeeded"


@pytest.mark.azure_openai_emulator(progress="on_read")
def test_on_read_each_run_retrieval_moves_one_step(http: httpx.Client) -> None:
    location = http.put("/ingestion/jobs/docs", json=SYSTEM_COMPUTE_JOB).headers[
        "operation-location"
    ]
    statuses = [http.get(location).json()["status"] for _ in range(3)]
    assert statuses == ["Running", "Succeeded", "Succeeded"]


def test_runs_can_fail_and_the_job_can_run_again(
    azure_openai_emulator: Emulator, http: httpx.Client
) -> None:
    azure_openai_emulator.script.fail_ingestion("The search service refused the index.")
    failed = http.get(
        http.put("/ingestion/jobs/docs", json=SYSTEM_COMPUTE_JOB).headers["operation-location"]
    ).json()
    assert (failed["status"], failed["error"]["message"]) == (
        "Failed",
        "The search service refused the index.",
    )
    assert _stages(failed)[1] == ("Indexing", "Failed")
    rerun = http.put("/ingestion/jobs/docs")  # no body: run the job as defined
    assert rerun.status_code == 200
    assert rerun.json()["jobId"] == "docs"
    assert http.get(rerun.headers["operation-location"]).json()["status"] == "Succeeded"
    statuses = [r["status"] for r in http.get("/ingestion/jobs/docs/runs").json()["value"]]
    assert statuses == ["failed", "succeeded"]  # oldest first, lower case in lists


def test_put_checks(http: httpx.Client) -> None:
    nothing = http.put("/ingestion/jobs/unknown")
    assert (nothing.status_code, nothing.json()["error"]["code"]) == (400, "invalidPayload")
    mismatch = http.put("/ingestion/jobs/a", json={**SYSTEM_COMPUTE_JOB, "jobId": "b"})
    assert mismatch.json()["error"]["target"] == "jobId"
    bad_kind = http.put("/ingestion/jobs/a", json={"kind": "Elsewhere"})
    assert (bad_kind.status_code, bad_kind.json()["error"]["target"]) == (400, "kind")
    assert "'SystemCompute', 'UserCompute'" in bad_kind.json()["error"]["message"]
    no_workspace = http.put("/ingestion/jobs/a", json={"kind": "UserCompute"}, headers=USER_TOKENS)
    assert no_workspace.json()["error"]["target"] == "workspaceId"
    missing = http.get("/ingestion/jobs/nope")
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "notFound")
    http.put("/ingestion/jobs/a", json=SYSTEM_COMPUTE_JOB)
    assert http.get("/ingestion/jobs/a/runs/not-a-run").status_code == 404
    assert http.get("/ingestion/jobs").json()["value"][0]["jobId"] == "a"


def test_user_compute_jobs_need_the_user_tokens(
    azure_openai_emulator: Emulator, http: httpx.Client
) -> None:
    for headers, missing in (({}, "mgmt-user-token"), (TOKEN, "aml-user-token")):
        refused = http.put("/ingestion/jobs/ws", json=USER_COMPUTE_JOB, headers=headers)
        assert refused.status_code == 400
        assert refused.json()["error"]["target"] == missing
    created = http.put("/ingestion/jobs/ws", json=USER_COMPUTE_JOB, headers=USER_TOKENS)
    assert created.status_code == 200
    location = created.headers["operation-location"]
    assert http.get(location).status_code == 400
    assert http.get("/ingestion/jobs/ws/runs").status_code == 400
    assert http.get(location, headers=TOKEN).json()["status"] == "Succeeded"
    assert http.get("/ingestion/jobs/ws/runs", headers=TOKEN).status_code == 200
    assert http.get("/ingestion/jobs/ws").status_code == 200  # the spec declares no token here
    assert isinstance(azure_openai_emulator.state.ingestion_job_list()[0], IngestionJobUserCompute)
    # the tokens' values are never sent back, kept in state, or shown in a repr
    secrets = [value.encode() for value in USER_TOKENS.values()] + [b"test-key"]
    for exchange in azure_openai_emulator.history:
        sent = exchange.response.content + str(exchange.response.headers).encode()
        assert not any(secret in sent for secret in secrets)
    shown = repr(azure_openai_emulator.history)
    assert not any(secret.decode() in shown for secret in secrets)
    assert "<redacted>" in shown
    assert not any(
        secret.decode() in repr(azure_openai_emulator.state.ingestion_job_list())
        for secret in secrets
    )


def test_history_records_credential_headers_redacted(
    azure_openai_emulator: Emulator, http: httpx.Client
) -> None:
    assert http.put("/ingestion/jobs/ws", json=USER_COMPUTE_JOB, headers=USER_TOKENS).is_success
    azure_openai_emulator.client(azure_ad_token="entra-token").assistants.list()
    secrets = [*USER_TOKENS.values(), "test-key", "entra-token"]
    for exchange in azure_openai_emulator.history:
        assert not any(secret in str(exchange.request.headers) for secret in secrets)
    created, listed = azure_openai_emulator.history
    # A test still sees which credentials were sent (and the scheme of a bearer token).
    assert {name: created.request.headers[name] for name in USER_TOKENS} == dict.fromkeys(
        USER_TOKENS, "<redacted>"
    )
    assert created.request.headers["api-key"] == "<redacted>"
    assert listed.request.headers["authorization"] == "Bearer <redacted>"


@pytest.mark.azure_openai_emulator(record_credentials=True)
def test_history_keeps_credentials_when_asked(
    azure_openai_emulator: Emulator, http: httpx.Client
) -> None:
    assert http.put("/ingestion/jobs/ws", json=USER_COMPUTE_JOB, headers=USER_TOKENS).is_success
    (created,) = azure_openai_emulator.history
    assert {name: created.request.headers[name] for name in USER_TOKENS} == USER_TOKENS
    assert created.request.headers["api-key"] == "test-key"
    assert "<redacted>" in repr(created.request)  # the repr never shows them
    assert not any(secret in repr(created.request) for secret in USER_TOKENS.values())


def test_every_credential_header_of_the_spec_is_redacted() -> None:
    declared = {p.name for op in OPERATIONS for p in op.header_params if p.secret}
    assert declared == {"mgmt-user-token", "aml-user-token"}
    assert declared <= SECRET_HEADERS


def test_lists_page_with_next_link(azure_openai_emulator: Emulator, http: httpx.Client) -> None:
    # nextLink is followed as is (the raw client's own api-version parameter would replace it)
    follow = httpx.Client(transport=azure_openai_emulator.transport(), headers={"api-key": "k"})
    for n in range(12):
        assert http.put(f"/ingestion/jobs/job-{n:02}", json=SYSTEM_COMPUTE_JOB).status_code == 200
    first = http.get("/ingestion/jobs").json()
    assert [j["jobId"] for j in first["value"]] == [f"job-{n:02}" for n in range(10)]
    second = follow.get(first["nextLink"]).json()
    assert [j["jobId"] for j in second["value"]] == ["job-10", "job-11"]
    assert "nextLink" not in second
    for _ in range(11):
        http.put("/ingestion/jobs/job-00")
    runs = http.get("/ingestion/jobs/job-00/runs").json()
    assert len(runs["value"]) == 10
    assert runs["nextLink"].startswith(
        "https://emulator.invalid/openai/ingestion/jobs/job-00/runs?"
    )
    assert len(follow.get(runs["nextLink"]).json()["value"]) == 2


def test_import_from_the_emulated_web(azure_openai_emulator: Emulator, http: httpx.Client) -> None:
    url = "https://data.example/train.jsonl"
    azure_openai_emulator.web[url] = TRAINING
    created = http.post(
        "/files/import",
        json={"purpose": "fine-tune", "filename": "train.jsonl", "content_url": url},
    )
    assert created.status_code == 201
    file = created.json()
    assert (file["status"], file["bytes"], file["filename"]) == (
        "pending",
        len(TRAINING),
        "train.jsonl",
    )
    assert created.headers["location"].endswith(f"/openai/files/{file['id']}")
    assert http.get(f"/files/{file['id']}").json()["status"] == "processed"
    content = http.get(f"/files/{file['id']}/content")
    assert (content.content, content.headers["content-type"]) == (
        TRAINING,
        "application/octet-stream",
    )
    inline = http.post(
        "/files/import",
        json={
            "purpose": "assistants",
            "filename": "a.txt",
            "content_url": "data:text/plain,hello%20there",
        },
    ).json()
    assert inline["id"].startswith("assistant-")
    assert http.get(f"/files/{inline['id']}/content").content == b"hello there"
    assert http.get(f"/files/{inline['id']}").json()["status"] == "processed"


def test_import_failures(http: httpx.Client) -> None:
    nowhere = http.post(
        "/files/import",
        json={
            "purpose": "fine-tune",
            "filename": "x.jsonl",
            "content_url": "https://data.example/none",
        },
    ).json()
    assert "bytes" not in nowhere
    failed = http.get(f"/files/{nowhere['id']}").json()
    assert (failed["status"], failed["status_details"]) == (
        "error",
        "The file could not be downloaded from its content_url.",
    )
    not_jsonl = http.post(
        "/files/import",
        json={"purpose": "fine-tune", "filename": "x.jsonl", "content_url": data_url(b"[1, 2]\n")},
    ).json()
    assert http.get(f"/files/{not_jsonl['id']}").json()["status"] == "error"
    incomplete = http.post("/files/import", json={"purpose": "fine-tune", "filename": "x.jsonl"})
    assert (incomplete.status_code, incomplete.json()["error"]["target"]) == (400, "content_url")


def test_reset_forgets_authoring_state(azure_openai_emulator: Emulator, http: httpx.Client) -> None:
    azure_openai_emulator.web["https://x.example/a"] = b"a"
    http.put("/ingestion/jobs/docs", json=SYSTEM_COMPUTE_JOB)
    azure_openai_emulator.script.fail_fine_tuning()
    azure_openai_emulator.retry_after = 0
    azure_openai_emulator.reset()
    assert azure_openai_emulator.web == {}
    assert azure_openai_emulator.state.ingestion_job_list() == []
    assert azure_openai_emulator.script.job_failure("fine_tuning") is None
    assert http.put("/ingestion/jobs/docs", json=SYSTEM_COMPUTE_JOB).headers["retry-after"] == "0"
    with pytest.raises(ValueError, match="negative"):
        azure_openai_emulator.retry_after = -1
