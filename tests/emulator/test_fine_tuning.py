"""Fine-tuning jobs and the model list (authoring API, raw HTTP): the job state machine under
each progress mode, scripted and file-caused failures, the service's checks, cancel and
delete rules, events, checkpoints, results and pagination."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from azure_oai_preview.testing import DEFAULT_MODELS, Emulator, ModelInfo

from ._support import TRAINING, raw, upload

JOBS = "/fine_tuning/jobs"


@pytest.fixture
def http(azure_openai_emulator: Emulator) -> httpx.Client:
    return raw(azure_openai_emulator)


@pytest.fixture
def training(http: httpx.Client) -> str:
    return str(upload(http, "train.jsonl", TRAINING, purpose="fine-tune")["id"])


def _create(http: httpx.Client, training: str, **fields: Any) -> dict[str, Any]:
    response = http.post(
        JOBS, json={"model": "gpt-35-turbo-0125", "training_file": training, **fields}
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    assert response.headers["location"].endswith(f"/openai/fine_tuning/jobs/{body['id']}")
    return body


def _messages(http: httpx.Client, job_id: str) -> list[str]:
    events = http.get(f"{JOBS}/{job_id}/events", params={"limit": 100}).json()["data"]
    return [e["message"] for e in reversed(events)]  # oldest first


@pytest.mark.azure_openai_emulator(progress="manual")
def test_a_job_moves_pending_running_succeeded(
    azure_openai_emulator: Emulator, http: httpx.Client, training: str
) -> None:
    job = _create(http, training, suffix="weather", hyperparameters={"n_epochs": 4})
    assert (job["status"], job["hyperparameters"], job["result_files"]) == (
        "pending",
        {"n_epochs": 4},
        [],
    )
    assert "fine_tuned_model" not in job
    assert _messages(http, job["id"]) == ["Job enqueued. Waiting for jobs ahead to complete."]
    assert azure_openai_emulator.advance() >= 1
    assert http.get(f"{JOBS}/{job['id']}").json()["status"] == "running"
    assert _messages(http, job["id"])[-1] == "Job started."
    assert http.get(f"{JOBS}/{job['id']}/checkpoints").json()["data"] == []
    azure_openai_emulator.advance()
    done = http.get(f"{JOBS}/{job['id']}").json()
    hex_id = job["id"].removeprefix("ftjob-")
    assert done["status"] == "succeeded"
    assert done["fine_tuned_model"] == f"gpt-35-turbo-0125.ft-{hex_id}-weather"
    assert done["finished_at"] == azure_openai_emulator.clock.now()
    assert done["trained_tokens"] > 0
    messages = _messages(http, job["id"])
    assert messages[-1] == "Job succeeded."
    assert [m for m in messages if m.startswith("Step ")] == [
        "Step 4/16: training loss=0.6",
        "Step 8/16: training loss=0.4",
        "Step 12/16: training loss=0.3",
        "Step 16/16: training loss=0.24",
    ]
    checkpoints = http.get(f"{JOBS}/{job['id']}/checkpoints").json()
    assert [c["step_number"] for c in checkpoints["data"]] == [
        16,
        12,
        8,
    ]  # last 3 epochs, newest first
    assert (
        checkpoints["data"][0]["fine_tuned_model_checkpoint"]
        == f"{done['fine_tuned_model']}:ckpt-step-16"
    )
    results = http.get(f"/files/{done['result_files'][0]}").json()
    assert (results["purpose"], results["filename"], results["status"]) == (
        "fine-tune-results",
        "results.csv",
        "processed",
    )
    csv = http.get(f"/files/{results['id']}/content").text.splitlines()
    assert csv[0] == "step,train_loss,train_mean_token_accuracy"
    assert len(csv) == 5
    model = http.get(f"/models/{done['fine_tuned_model']}").json()
    assert (model["model"], model["fine_tune"], model["status"]) == (
        "gpt-35-turbo-0125",
        job["id"],
        "succeeded",
    )
    assert model["capabilities"]["chat_completion"]
    assert not model["capabilities"]["fine_tune"]
    assert azure_openai_emulator.advance() == 0  # nothing left to move
    assert [
        e.message for e in azure_openai_emulator.state.fine_tuning_event_list(job["id"])
    ] == messages
    assert azure_openai_emulator.state.fine_tuning_job(job["id"]).status == "succeeded"
    state_checkpoints = azure_openai_emulator.state.checkpoint_list(job["id"])
    assert [c.step_number for c in state_checkpoints] == [8, 12, 16]


@pytest.mark.azure_openai_emulator(progress="on_read")
def test_on_read_each_retrieval_moves_one_step(http: httpx.Client, training: str) -> None:
    job = _create(http, training)
    statuses = [http.get(f"{JOBS}/{job['id']}").json()["status"] for _ in range(3)]
    assert statuses == ["running", "succeeded", "succeeded"]


def test_immediate_answers_pending_then_reads_succeeded(http: httpx.Client, training: str) -> None:
    job = _create(http, training)
    assert job["status"] == "pending"
    assert http.get(f"{JOBS}/{job['id']}").json()["status"] == "succeeded"
    listed = http.get(JOBS).json()
    assert (listed["object"], listed["has_more"], listed["data"][0]["id"]) == (
        "list",
        False,
        job["id"],
    )


def test_scripted_failure(
    azure_openai_emulator: Emulator, http: httpx.Client, training: str
) -> None:
    azure_openai_emulator.script.fail_fine_tuning("The training run ran out of quota.")
    failed = http.get(f"{JOBS}/{_create(http, training)['id']}").json()
    assert failed["status"] == "failed"
    assert "fine_tuned_model" not in failed
    events = http.get(f"{JOBS}/{failed['id']}/events").json()["data"]
    assert (events[0]["level"], events[0]["message"]) == (
        "error",
        "The training run ran out of quota.",
    )
    assert [m["id"] for m in http.get("/models").json()["data"]] == [m.id for m in DEFAULT_MODELS]
    assert http.get(f"{JOBS}/{_create(http, training)['id']}").json()["status"] == "succeeded"


@pytest.mark.azure_openai_emulator(progress="manual")
def test_a_training_file_that_fails_validation_fails_the_job(
    azure_openai_emulator: Emulator, http: httpx.Client
) -> None:
    bad = upload(http, "bad.jsonl", b'{"messages": []}\nnot json\n', purpose="fine-tune")
    job = _create(http, bad["id"])  # the file is still pending: accepted
    azure_openai_emulator.advance()
    failed = http.get(f"{JOBS}/{job['id']}").json()
    assert failed["status"] == "failed"
    assert _messages(http, job["id"])[-1] == (
        f"The training file '{bad['id']}' failed validation: Line 2 is not valid JSON."
    )
    again = http.post(JOBS, json={"model": "gpt-35-turbo-0125", "training_file": bad["id"]})
    assert again.status_code == 400
    assert again.json()["error"]["code"] == "jsonlValidationFailed"
    assert again.json()["error"]["target"] == "training_file"


@pytest.mark.azure_openai_emulator(progress="manual")
def test_a_deleted_training_file_fails_the_job(
    azure_openai_emulator: Emulator, http: httpx.Client, training: str
) -> None:
    job = _create(http, training)
    assert http.delete(f"/files/{training}").status_code == 204
    azure_openai_emulator.advance()
    assert http.get(f"{JOBS}/{job['id']}").json()["status"] == "failed"
    assert "was deleted" in _messages(http, job["id"])[-1]


@pytest.mark.parametrize(
    ("fields", "target", "code"),
    [
        ({"model": "gpt-4o-2024-05-13"}, "model", "invalidPayload"),
        ({"model": "no-such-model"}, "model", "invalidPayload"),
        ({"training_file": "file-missing"}, "training_file", "invalidPayload"),
        ({"validation_file": "file-missing"}, "validation_file", "invalidPayload"),
        ({"suffix": "has spaces"}, "suffix", "invalidPayload"),
        ({"suffix": "x" * 41}, "suffix", "invalidPayload"),
        ({"hyperparameters": {"n_epochs": 0}}, "n_epochs", "invalidPayload"),
        (
            {"hyperparameters": {"learning_rate_multiplier": 0}},
            "learning_rate_multiplier",
            "invalidPayload",
        ),
        ({"hyperparameters": {"n_epochs": "many"}}, "hyperparameters.n_epochs", "invalidPayload"),
        ({"training_file": None}, "training_file", "invalidPayload"),
        ({"integrations": []}, None, "invalidPayload"),
    ],
)
def test_create_checks(
    http: httpx.Client, training: str, fields: dict[str, Any], target: str | None, code: str
) -> None:
    body = {"model": "gpt-35-turbo-0125", "training_file": training, **fields}
    response = http.post(JOBS, json=body)
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error.get("target")) == (code, target)
    assert http.get(JOBS).json()["data"] == []


def test_training_files_need_purpose_fine_tune(http: httpx.Client) -> None:
    notes = upload(http, "notes.txt", b"notes", purpose="assistants")
    response = http.post(JOBS, json={"model": "babbage-002", "training_file": notes["id"]})
    assert response.status_code == 400
    assert "purpose 'fine-tune'" in response.json()["error"]["message"]


@pytest.mark.azure_openai_emulator(progress="manual")
def test_cancel_and_delete_rules(
    azure_openai_emulator: Emulator, http: httpx.Client, training: str
) -> None:
    running = _create(http, training)
    azure_openai_emulator.advance()
    refused = http.delete(f"{JOBS}/{running['id']}")
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "unexpectedEntityState")
    cancelled = http.post(f"{JOBS}/{running['id']}/cancel").json()
    assert (cancelled["status"], cancelled["finished_at"]) == (
        "cancelled",
        azure_openai_emulator.clock.now(),
    )
    assert _messages(http, running["id"])[-1] == "Job cancelled."
    assert azure_openai_emulator.advance() == 0  # a cancelled job stays cancelled
    again = http.post(f"{JOBS}/{running['id']}/cancel")
    assert (again.status_code, again.json()["error"]["code"]) == (409, "unexpectedEntityState")
    assert http.delete(f"{JOBS}/{running['id']}").status_code == 204
    gone = http.get(f"{JOBS}/{running['id']}")
    assert (gone.status_code, gone.json()["error"]["code"]) == (404, "notFound")
    assert http.get(f"{JOBS}/{running['id']}/events").status_code == 404


def test_deleting_a_succeeded_job_removes_its_model(http: httpx.Client, training: str) -> None:
    job = http.get(f"{JOBS}/{_create(http, training)['id']}").json()
    assert http.get(f"/models/{job['fine_tuned_model']}").status_code == 200
    assert http.delete(f"{JOBS}/{job['id']}").status_code == 204
    assert http.get(f"/models/{job['fine_tuned_model']}").status_code == 404
    assert http.get(f"/files/{job['result_files'][0]}").status_code == 200  # files stay


def test_jobs_page_newest_first(http: httpx.Client, training: str) -> None:
    ids = [_create(http, training)["id"] for _ in range(5)]
    first = http.get(JOBS, params={"limit": 2}).json()
    assert ([j["id"] for j in first["data"]], first["has_more"]) == (ids[:2:-1][:2], True)
    assert set(first) == {"object", "data", "has_more"}
    second = http.get(JOBS, params={"limit": 2, "after": first["data"][-1]["id"]}).json()
    assert ([j["id"] for j in second["data"]], second["has_more"]) == ([ids[2], ids[1]], True)
    last = http.get(JOBS, params={"limit": 2, "after": ids[1]}).json()
    assert ([j["id"] for j in last["data"]], last["has_more"]) == ([ids[0]], False)
    assert len(http.get(JOBS).json()["data"]) == 5
    for params, target in (
        ({"after": "ftjob-unknown"}, "after"),
        ({"limit": 0}, "limit"),
        ({"limit": "x"}, "limit"),
    ):
        response = http.get(JOBS, params=params)
        assert response.status_code == 400
        assert response.json()["error"]["target"] == target


def test_events_and_checkpoints_page(http: httpx.Client, training: str) -> None:
    job = _create(http, training, hyperparameters={"n_epochs": 12})
    events = http.get(f"{JOBS}/{job['id']}/events").json()
    assert (len(events["data"]), events["has_more"]) == (17, False)  # 2 + 12 metrics + 3
    metrics = [e for e in events["data"] if e["type"] == "metrics"]
    assert metrics[0]["data"]["step"] == 48
    page = http.get(
        f"{JOBS}/{job['id']}/events", params={"limit": 5, "after": events["data"][4]["id"]}
    ).json()
    assert [e["id"] for e in page["data"]] == [e["id"] for e in events["data"][5:10]]
    assert page["has_more"] is True
    checkpoints = http.get(f"{JOBS}/{job['id']}/checkpoints", params={"limit": 1}).json()
    assert (len(checkpoints["data"]), checkpoints["has_more"]) == (1, True)
    assert [
        c["step_number"] for c in http.get(f"{JOBS}/{job['id']}/checkpoints").json()["data"]
    ] == [48, 44, 40]


def test_model_catalogue_is_configurable() -> None:
    emulator = Emulator(
        models=[
            ModelInfo("my-base", frozenset({"completion", "fine_tune", "inference"}), "preview")
        ]
    )
    http = raw(emulator)
    listed = http.get("/models").json()
    assert [m["id"] for m in listed["data"]] == ["my-base"]
    model = listed["data"][0]
    assert model["lifecycle_status"] == "preview"
    assert model["capabilities"] == {
        "chat_completion": False,
        "completion": True,
        "embeddings": False,
        "fine_tune": True,
        "inference": True,
    }
    assert model["deprecation"] == {
        "inference": 1_704_067_200 + 2 * 365 * 86_400,
        "fine_tune": 1_704_067_200 + 365 * 86_400,
    }
    emulator.models.add(ModelInfo("other"))
    emulator.models.remove("my-base")
    assert [m["id"] for m in http.get("/models").json()["data"]] == ["other"]
    missing = http.get("/models/my-base")
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "notFound")


def test_default_models(http: httpx.Client) -> None:
    babbage = http.get("/models/babbage-002").json()
    assert babbage["capabilities"]["fine_tune"] is True
    assert babbage["deprecation"]["fine_tune"] < babbage["deprecation"]["inference"]
    gpt4o = http.get("/models/gpt-4o-2024-05-13").json()
    assert gpt4o["capabilities"]["fine_tune"] is False
    assert "fine_tune" not in gpt4o["deprecation"]
