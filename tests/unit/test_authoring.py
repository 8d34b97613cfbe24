"""The authoring API's files, fine-tuning and models resources, sync and async (respx)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
from _support import API_VERSION, Clock, file_part, form_fields

from azure_oai_preview import (
    AsyncAzureOpenAI,
    AsyncBinaryResponse,
    AsyncCursorPage,
    AzureOpenAI,
    BinaryResponse,
    CursorPage,
    InvalidRequestError,
    NotFoundError,
    PollTimeoutError,
)
from azure_oai_preview.models import (
    File,
    FileState,
    FineTuningJob,
    FineTuningJobCheckpoint,
    FineTuningJobEvent,
    Model,
    Purpose,
)

FILE_ID = "file-181a1cbdcdcf4677ada87f63a0928099"
JOB_ID = "ft-72a2792ef7d24ba7b82c7fe4a37e379f"


def file_body(status: str = "pending", **changes: Any) -> dict[str, Any]:
    return {
        "object": "file",
        "id": FILE_ID,
        "status": status,
        "purpose": "fine-tune",
        "filename": "puppy.jsonl",
        "created_at": 1646126127,
        **changes,
    }


def job_body(status: str = "pending", **changes: Any) -> dict[str, Any]:
    return {
        "object": "fine_tuning.job",
        "id": JOB_ID,
        "status": status,
        "model": "gpt-35-turbo-0613",
        "training_file": FILE_ID,
        "hyperparameters": {"n_epochs": 2},
        "created_at": 1646126127,
        **changes,
    }


def event_body(index: int) -> dict[str, Any]:
    return {
        "object": "fine_tuning.job.event",
        "id": f"ftevent-{index:03d}",
        "created_at": 1646126127 + index,
        "level": "info",
        "message": f"step {index}",
        "type": "message",
    }


def model_body(model_id: str) -> dict[str, Any]:
    return {
        "object": "model",
        "id": model_id,
        "status": "succeeded",
        "capabilities": {
            "fine_tune": True,
            "inference": True,
            "completion": True,
            "chat_completion": True,
            "embeddings": False,
        },
        "lifecycle_status": "generally-available",
        "deprecation": {"fine_tune": 1704067200, "inference": 1735689600},
        "created_at": 1646126127,
    }


# -- files ----------------------------------------------------------------------------------------


def test_upload_from_a_path(
    client: AzureOpenAI, mock_api: respx.MockRouter, tmp_path: Path
) -> None:
    path = tmp_path / "puppy.jsonl"
    path.write_bytes(b'{"messages": []}\n' * 10)
    route = mock_api.post("/files").respond(201, json=file_body())

    uploaded = client.files.create(file=path, purpose="fine-tune")

    assert isinstance(uploaded, File)
    assert uploaded.status == FileState.PENDING
    request = route.calls.last.request
    assert request.url.params["api-version"] == API_VERSION
    assert form_fields(request) == {"purpose": ["fine-tune"]}
    part = file_part(request)
    assert (part.filename, part.data) == ("puppy.jsonl", path.read_bytes())


@pytest.mark.parametrize(
    ("file", "name", "content_type"),
    [
        pytest.param(b"raw bytes", "upload", "application/octet-stream", id="bytes"),
        pytest.param(("train.jsonl", b"raw bytes"), "train.jsonl", None, id="name-bytes"),
        pytest.param(
            ("t.jsonl", io.BytesIO(b"raw bytes"), "application/jsonl"),
            "t.jsonl",
            "application/jsonl",
            id="name-file-type",
        ),
    ],
)
def test_upload_from_bytes_tuples_and_file_objects(
    client: AzureOpenAI,
    mock_api: respx.MockRouter,
    file: Any,
    name: str,
    content_type: str | None,
) -> None:
    route = mock_api.post("/files").respond(201, json=file_body())
    client.files.create(file=file, purpose=Purpose.ASSISTANTS)
    part = file_part(route.calls.last.request)
    assert (part.filename, part.data) == (name, b"raw bytes")
    if content_type is not None:
        assert part.content_type == content_type
    assert form_fields(route.calls.last.request)["purpose"] == ["assistants"]


def test_upload_checks_the_purpose_before_sending(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    route = mock_api.post("/files").respond(201, json=file_body())
    with pytest.raises(InvalidRequestError) as info:
        client.files.create(file=b"x", purpose="training")  # type: ignore[arg-type]
    assert info.value.problems[0][0] == "purpose"
    assert not route.called


def test_import_from_url(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    route = mock_api.post("/files/import").respond(201, json=file_body())
    url = "https://contoso.blob.core.windows.net/data/puppy.jsonl?sv=2022&sig=abc"
    imported = client.files.import_from_url(
        purpose="fine-tune", filename="puppy.jsonl", content_url=url
    )
    assert imported.id == FILE_ID
    assert json.loads(route.calls.last.request.content) == {
        "purpose": "fine-tune",
        "filename": "puppy.jsonl",
        "content_url": url,
    }


def test_import_needs_its_fields(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    with pytest.raises(InvalidRequestError, match="content_url"):
        client.files.import_from_url(purpose="fine-tune", filename="x.jsonl")  # type: ignore[call-arg]


def test_list_retrieve_delete(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    listing = {"object": "list", "data": [file_body("processed"), file_body(id="file-2")]}
    listed = mock_api.get("/files").respond(200, json=listing)
    mock_api.get(f"/files/{FILE_ID}").respond(200, json=file_body("processed", bytes=140))
    deleted = mock_api.delete(f"/files/{FILE_ID}").respond(204)

    page = client.files.list(purpose="fine-tune")
    assert isinstance(page, CursorPage)
    assert [f.id for f in page] == [FILE_ID, "file-2"]
    assert page.next_page() is None
    assert page.previous_page() is None
    assert not page.has_more
    assert page.first_id is None
    assert listed.calls.last.request.url.params["purpose"] == "fine-tune"
    assert client.files.retrieve(FILE_ID).bytes_ == 140
    assert client.files.delete(FILE_ID) is None
    assert deleted.called


def test_list_refuses_an_unknown_purpose(client: AzureOpenAI) -> None:
    with pytest.raises(InvalidRequestError, match="purpose"):
        client.files.list(purpose="everything")  # type: ignore[arg-type]


def test_an_empty_file_id_is_refused(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    route = mock_api.get("/files").respond(200, json={"data": []})
    with pytest.raises(InvalidRequestError, match="file-id"):
        client.files.retrieve("")
    assert not route.called, "/files/ would have listed the files instead"


def test_content_is_streamed(
    client: AzureOpenAI, mock_api: respx.MockRouter, tmp_path: Path
) -> None:
    data = b'{"prompt": "a", "completion": "b"}\n' * 5000
    route = mock_api.get(f"/files/{FILE_ID}/content").respond(
        200, content=data, headers={"content-type": "application/octet-stream"}
    )
    with client.files.content(FILE_ID) as content:
        assert isinstance(content, BinaryResponse)
        assert content.write_to_file(tmp_path / "copy.jsonl") == len(data)
    assert (tmp_path / "copy.jsonl").read_bytes() == data
    assert route.calls.last.request.headers["accept"] == "application/octet-stream"


def test_errors_carry_the_authoring_error(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    mock_api.get(f"/files/{FILE_ID}").respond(
        404,
        json={"error": {"code": "notFound", "message": "File not found."}},
        headers={"apim-request-id": "req-1"},
    )
    with pytest.raises(NotFoundError) as info:
        client.files.retrieve(FILE_ID)
    assert (info.value.code, info.value.request_id) == ("notFound", "req-1")


def test_wait_for_processing(client: AzureOpenAI, mock_api: respx.MockRouter, clock: Clock) -> None:
    route = mock_api.get(f"/files/{FILE_ID}").mock(
        side_effect=[
            httpx.Response(200, json=file_body(status))
            for status in ("pending", "running", "processed")
        ]
    )
    done = client.files.wait_for_processing(FILE_ID, poll_interval=2)
    assert done.status == FileState.PROCESSED
    assert route.call_count == 3
    assert clock.slept == [2, 2]


def test_wait_for_processing_ends_on_error_and_times_out(
    client: AzureOpenAI, mock_api: respx.MockRouter, clock: Clock
) -> None:
    mock_api.get(f"/files/{FILE_ID}").respond(
        200, json=file_body("error", status_details="line 3 is not JSON")
    )
    assert client.files.wait_for_processing(FILE_ID).status_details == "line 3 is not JSON"

    mock_api.get("/files/file-stuck").respond(200, json=file_body("pending", id="file-stuck"))
    with pytest.raises(PollTimeoutError) as info:
        client.files.wait_for_processing("file-stuck", poll_interval=5, timeout=12)
    assert info.value.last.id == "file-stuck"
    assert sum(clock.slept) == 12


async def test_async_files(async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter) -> None:
    route = mock_api.post("/files").respond(201, json=file_body())
    mock_api.get("/files").respond(200, json={"object": "list", "data": [file_body()]})
    mock_api.delete(f"/files/{FILE_ID}").respond(204)
    mock_api.get(f"/files/{FILE_ID}/content").respond(200, content=b"abc")
    mock_api.get(f"/files/{FILE_ID}").respond(200, json=file_body("processed"))

    uploaded = await async_client.files.create(file=("a.jsonl", b"{}\n"), purpose="fine-tune")
    assert uploaded.id == FILE_ID
    assert file_part(route.calls.last.request).data == b"{}\n"
    page = await async_client.files.list()
    assert isinstance(page, AsyncCursorPage)
    assert [f.id async for f in page] == [FILE_ID]
    content = await async_client.files.content(FILE_ID)
    assert isinstance(content, AsyncBinaryResponse)
    assert await content.read() == b"abc"
    assert (await async_client.files.wait_for_processing(FILE_ID)).status == "processed"
    assert await async_client.files.delete(FILE_ID) is None


# -- fine-tuning ----------------------------------------------------------------------------------


def test_create_fine_tuning_job(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    route = mock_api.post("/fine_tuning/jobs").respond(201, json=job_body())
    job = client.fine_tuning.jobs.create(
        model="gpt-35-turbo-0613",
        training_file=FILE_ID,
        validation_file="file-validation",
        hyperparameters={"n_epochs": 2, "batch_size": 8, "learning_rate_multiplier": 0.1},
        suffix="puppies",
        seed=42,
    )
    assert isinstance(job, FineTuningJob)
    assert json.loads(route.calls.last.request.content) == {
        "model": "gpt-35-turbo-0613",
        "training_file": FILE_ID,
        "validation_file": "file-validation",
        "hyperparameters": {"n_epochs": 2, "batch_size": 8, "learning_rate_multiplier": 0.1},
        "suffix": "puppies",
        "seed": 42,
    }


def test_fine_tuning_create_is_checked(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    route = mock_api.post("/fine_tuning/jobs").respond(201, json=job_body())
    with pytest.raises(InvalidRequestError) as missing:
        client.fine_tuning.jobs.create(model="gpt-35-turbo")  # type: ignore[call-arg]
    with pytest.raises(InvalidRequestError) as unknown:
        client.fine_tuning.jobs.create(
            model="gpt-35-turbo",
            training_file=FILE_ID,
            hyperparameters={"epochs": 3},  # type: ignore[typeddict-unknown-key]
        )
    assert [path for path, _ in missing.value.problems] == ["training_file"]
    assert [path for path, _ in unknown.value.problems] == ["hyperparameters"]
    assert "epochs" in unknown.value.problems[0][1]
    assert not route.called


def test_fine_tuning_jobs_page_forward_with_after(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    first = {"object": "list", "has_more": True, "data": [job_body(id="ft-1"), job_body(id="ft-2")]}
    second = {"object": "list", "has_more": False, "data": [job_body(id="ft-3")]}
    route = mock_api.get("/fine_tuning/jobs").mock(
        side_effect=lambda request: httpx.Response(
            200, json=second if request.url.params.get("after") == "ft-2" else first
        )
    )
    page = client.fine_tuning.jobs.list(limit=2)
    assert [job.id for job in page] == ["ft-1", "ft-2", "ft-3"]
    assert [dict(call.request.url.params) for call in route.calls] == [
        {"api-version": API_VERSION, "limit": "2"},
        {"api-version": API_VERSION, "limit": "2", "after": "ft-2"},
    ]
    later = page.next_page()
    assert later is not None
    assert later.previous_page() is None, "the operation has no `before`: no way back"


def test_job_retrieve_cancel_delete_events_checkpoints(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    base = f"/fine_tuning/jobs/{JOB_ID}"
    mock_api.get(base).respond(200, json=job_body("running"))
    cancel = mock_api.post(f"{base}/cancel").respond(200, json=job_body("cancelled"))
    delete = mock_api.delete(base).respond(204)
    events = mock_api.get(f"{base}/events").respond(
        200, json={"object": "list", "has_more": False, "data": [event_body(1), event_body(2)]}
    )
    checkpoint = {
        "object": "fine_tuning.job.checkpoint",
        "id": "ftckpt-1",
        "created_at": 1646126127,
        "fine_tuned_model_checkpoint": "gpt-35-turbo.ft-abc:ckpt-step-10",
        "fine_tuning_job_id": JOB_ID,
        "step_number": 10,
        "metrics": {"step": 10, "train_loss": 0.5},
    }
    mock_api.get(f"{base}/checkpoints").respond(
        200, json={"object": "list", "has_more": False, "data": [checkpoint]}
    )

    assert client.fine_tuning.jobs.retrieve(JOB_ID).status == "running"
    assert client.fine_tuning.jobs.cancel(JOB_ID).status == "cancelled"
    assert cancel.calls.last.request.content == b""
    assert client.fine_tuning.jobs.delete(JOB_ID) is None
    assert delete.called
    listed = client.fine_tuning.jobs.list_events(JOB_ID, limit=10, after="ftevent-000")
    assert all(isinstance(e, FineTuningJobEvent) for e in listed)
    assert [e.message for e in listed] == ["step 1", "step 2"]
    assert events.calls.last.request.url.params["after"] == "ftevent-000"
    (saved,) = client.fine_tuning.jobs.checkpoints.list(JOB_ID)
    assert isinstance(saved, FineTuningJobCheckpoint)
    assert saved.step_number == 10


async def test_async_fine_tuning(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    mock_api.post("/fine_tuning/jobs").respond(201, json=job_body())
    mock_api.get("/fine_tuning/jobs").respond(
        200, json={"object": "list", "has_more": False, "data": [job_body()]}
    )
    mock_api.get(f"/fine_tuning/jobs/{JOB_ID}/events").respond(
        200, json={"object": "list", "has_more": False, "data": [event_body(1)]}
    )
    mock_api.delete(f"/fine_tuning/jobs/{JOB_ID}").respond(204)
    jobs = async_client.fine_tuning.jobs
    assert (await jobs.create(model="gpt-35-turbo", training_file=FILE_ID)).id == JOB_ID
    assert [job.id async for job in await jobs.list()] == [JOB_ID]
    assert [e.id async for e in await jobs.list_events(JOB_ID)] == ["ftevent-001"]
    assert await jobs.delete(JOB_ID) is None


# -- models ---------------------------------------------------------------------------------------


def test_models(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    mock_api.get("/models").respond(
        200, json={"object": "list", "data": [model_body("gpt-4o"), model_body("davinci-002")]}
    )
    route = mock_api.get("/models/gpt-35-turbo.ft-abc").respond(
        200, json=model_body("gpt-35-turbo.ft-abc")
    )
    assert [m.id for m in client.models.list()] == ["gpt-4o", "davinci-002"]
    model = client.models.retrieve("gpt-35-turbo.ft-abc")
    assert isinstance(model, Model)
    assert model.capabilities.fine_tune is True
    assert route.called


async def test_async_models(async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter) -> None:
    mock_api.get("/models").respond(200, json={"object": "list", "data": [model_body("gpt-4o")]})
    mock_api.get("/models/gpt-4o").respond(200, json=model_body("gpt-4o"))
    assert [m.id async for m in await async_client.models.list()] == ["gpt-4o"]
    assert (await async_client.models.retrieve("gpt-4o")).lifecycle_status == "generally-available"


def test_raw_responses_show_the_location_header(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    location = f"https://example-resource.openai.azure.com/openai/files/{FILE_ID}"
    mock_api.post("/files").respond(201, json=file_body(), headers={"location": location})
    raw = client.with_raw_response.files.create(file=b"{}", purpose="fine-tune")
    assert raw.status_code == 201
    assert raw.headers["location"] == location
    assert raw.parse().id == FILE_ID
