# pyright: reportUnnecessaryTypeIgnoreComment=true
"""Type-checker test of a user program on the authoring surface: files, fine-tuning, models,
ingestion jobs and the vector store upload helpers, sync and async.

Checked by pyright like ``params_check.py`` (not run by pytest): correct calls must
type-check and give the documented types; every wrong call carries a ``pyright: ignore``
that must stay necessary.
"""

from __future__ import annotations

import io
from pathlib import Path

from azure_oai_preview import (
    AsyncAzureOpenAI,
    AsyncBinaryResponse,
    AsyncCursorPage,
    AsyncNextLinkPage,
    AzureOpenAI,
    AzureOpenAIError,
    BinaryResponse,
    CursorPage,
    NextLinkPage,
    RawResponse,
)
from azure_oai_preview.models import (
    File,
    FineTuningJob,
    FineTuningJobCheckpoint,
    FineTuningJobEvent,
    IngestionJob,
    IngestionJobRun,
    IngestionJobsCreateParams,
    IngestionJobSystemCompute,
    Model,
    Purpose,
    VectorStoreFileBatchObject,
    VectorStoreFileObject,
)

JOB: IngestionJobsCreateParams = {
    "kind": "SystemCompute",
    "searchServiceConnection": {"kind": "endpointMI", "endpoint": "https://s.search.windows.net"},
    "datasource": {
        "kind": "storage",
        "connection": {"kind": "endpointMI", "endpoint": "https://a.blob.core.windows.net/"},
        "containerName": "docs",
        "embeddings": [{"connection": {"kind": "relativeConnection"}, "deploymentName": "ada"}],
    },
}


def files(client: AzureOpenAI) -> list[object]:
    uploaded: File = client.files.create(file=Path("train.jsonl"), purpose="fine-tune")
    from_tuple: File = client.files.create(
        file=("a.jsonl", io.BytesIO(b"{}"), "application/jsonl"), purpose=Purpose.FINE_TUNE
    )
    imported: File = client.files.import_from_url(
        purpose="fine-tune", filename="a.jsonl", content_url="https://x/a.jsonl"
    )
    page: CursorPage[File] = client.files.list(purpose="assistants")
    content: BinaryResponse = client.files.content(uploaded.id)
    done: File = client.files.wait_for_processing("file-1", poll_interval=1, timeout=60)
    deleted: None = client.files.delete("file-1")
    raw: RawResponse[File] = client.with_raw_response.files.retrieve("file-1")
    client.files.create(file=b"x", purpose="training")  # pyright: ignore[reportArgumentType]
    client.files.create(purpose="fine-tune")  # pyright: ignore[reportCallIssue]
    client.files.create(file=42, purpose="fine-tune")  # pyright: ignore[reportArgumentType]
    client.files.import_from_url(purpose="fine-tune", filename="a")  # pyright: ignore[reportCallIssue]
    client.files.list(purpose="everything")  # pyright: ignore[reportArgumentType]
    return [
        from_tuple,
        imported,
        page,
        content,
        done,
        deleted,
        raw,
    ]


def fine_tuning(client: AzureOpenAI) -> list[object]:
    job: FineTuningJob = client.fine_tuning.jobs.create(
        model="gpt-35-turbo-0613",
        training_file="file-1",
        hyperparameters={"n_epochs": 2, "batch_size": 4, "learning_rate_multiplier": 0.1},
        seed=7,
    )
    jobs: CursorPage[FineTuningJob] = client.fine_tuning.jobs.list(limit=10, after="ft-1")
    events: CursorPage[FineTuningJobEvent] = client.fine_tuning.jobs.list_events("ft-1")
    saved: CursorPage[FineTuningJobCheckpoint] = client.fine_tuning.jobs.checkpoints.list("ft-1")
    cancelled: FineTuningJob = client.fine_tuning.jobs.cancel("ft-1")
    client.fine_tuning.jobs.create(model="gpt-35-turbo")  # pyright: ignore[reportCallIssue]
    client.fine_tuning.jobs.create(
        model="m",
        training_file="f",
        hyperparameters={"epochs": 2},  # pyright: ignore[reportArgumentType]
    )
    client.fine_tuning.jobs.list(limit="10")  # pyright: ignore[reportArgumentType]
    return [
        job,
        jobs,
        events,
        saved,
        cancelled,
        client.fine_tuning.jobs.delete("ft-1"),
    ]


def models_and_ingestion(client: AzureOpenAI) -> list[object]:
    listed: CursorPage[Model] = client.models.list()
    model: Model = client.models.retrieve("gpt-4o")
    created: IngestionJob = client.ingestion_jobs.create(
        "job-1", JOB, mgmt_user_token="t", aml_user_token="u"
    )
    typed: IngestionJob = client.ingestion_jobs.create(
        "job-2", IngestionJobSystemCompute.model_validate(JOB)
    )
    jobs: NextLinkPage[IngestionJob] = client.ingestion_jobs.list(mgmt_user_token="t")
    runs: NextLinkPage[IngestionJobRun] = client.ingestion_jobs.runs.list("job-1")
    run: IngestionJobRun = client.ingestion_jobs.create_and_poll(
        "job-1", JOB, poll_interval=30, timeout=3600, request_timeout=20
    )
    resumed: IngestionJobRun = client.ingestion_jobs.poll(
        "https://r/openai/ingestion/jobs/j/runs/r"
    )
    by_id: IngestionJobRun = client.ingestion_jobs.runs.poll("run-1", job_id="job-1")
    client.ingestion_jobs.create("job-1", {"kind": "Serverless"})  # pyright: ignore[reportArgumentType]
    client.ingestion_jobs.create("job-1", JOB, mgmt_user_token=1)  # pyright: ignore[reportArgumentType]
    client.ingestion_jobs.retrieve("job-1", mgmt_user_token="t")  # pyright: ignore[reportCallIssue]
    client.ingestion_jobs.runs.retrieve("run-1")  # pyright: ignore[reportCallIssue]
    return [
        listed,
        model,
        created,
        typed,
        jobs,
        runs,
        run,
        resumed,
        by_id,
    ]


def vector_store_uploads(client: AzureOpenAI) -> list[object]:
    one: VectorStoreFileObject = client.vector_stores.files.upload_and_poll(
        "vs_1", file=Path("handbook.md")
    )
    batch: VectorStoreFileBatchObject = client.vector_stores.file_batches.upload_and_poll(
        "vs_1", files=[Path("a.md"), b"# b", ("c.md", io.BytesIO(b"# c"))], max_concurrency=4
    )
    client.vector_stores.file_batches.upload_and_poll("vs_1", files=[1])  # pyright: ignore[reportArgumentType]
    client.vector_stores.files.upload_and_poll("vs_1")  # pyright: ignore[reportCallIssue]
    try:
        client.vector_stores.file_batches.upload_and_poll("vs_1", files=[Path("a.md")])
    except AzureOpenAIError as error:
        # The files uploaded before a failure, to clean up: typed on every error of the SDK.
        left: tuple[str, ...] = error.uploaded_file_ids
        for file_id in left:
            client.files.delete(file_id)
    return [
        one,
        batch,
    ]


async def async_surface(client: AsyncAzureOpenAI) -> list[object]:
    uploaded: File = await client.files.create(file=b"{}", purpose="fine-tune")
    page: AsyncCursorPage[File] = await client.files.list()
    content: AsyncBinaryResponse = await client.files.content("file-1")
    job: FineTuningJob = await client.fine_tuning.jobs.retrieve("ft-1")
    jobs: AsyncNextLinkPage[IngestionJob] = await client.ingestion_jobs.list()
    run: IngestionJobRun = await client.ingestion_jobs.create_and_poll("job-1", JOB)
    batch: VectorStoreFileBatchObject = await client.vector_stores.file_batches.upload_and_poll(
        "vs_1", files=[b"a", b"b"]
    )
    names = [f.filename async for f in page]
    await client.files.create(file=b"{}", purpose="tuning")  # pyright: ignore[reportArgumentType]
    return [uploaded, content, job, jobs, run, batch, names]
