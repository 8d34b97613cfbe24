"""The call table of the authoring document: files, fine-tuning, models, ingestion jobs.

Like the inference table (``_calls``), each entry is written once as ``invoke(client)`` and
runs sync and async, plain and raw, in every pass; these go to the authoring servers.
Arguments are what an application sends: multipart uploads from bytes, a file object and a
``(name, file, content type)`` tuple, an import from a SAS URL, a fine-tuning job with every
hyperparameter, list cursors, and both kinds of ingestion job with the workspace tokens.
"""

from __future__ import annotations

import io
from typing import Any

from azure_oai_preview import models

from ._operation_call import OperationCall, Shape

FILE_ID = "file-181a1cbdcdcf4677ada87f63a0928099"
JOB_ID = "ft-72a2792ef7d24ba7b82c7fe4a37e379f"
MODEL_ID = "gpt-35-turbo-0613.ft-72a2792ef7d24ba7b82c7fe4a37e379f"
INGESTION_JOB = "handbook-ingestion"
RUN_ID = "72a2792ef7d24ba7b82c7fe4a37e379f"
MGMT_TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.bWdtdA.c2ln"
AML_TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.YW1s.c2ln"

TRAINING = (
    b'{"messages": [{"role": "system", "content": "You are a terse assistant."}, '
    b'{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello."}]}\n'
) * 10

WORKSPACE = (
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
    "/providers/Microsoft.MachineLearningServices/workspaces/contoso-rag"
)

SYSTEM_COMPUTE_JOB: dict[str, Any] = {
    "kind": "SystemCompute",
    "searchServiceConnection": {
        "kind": "endpointMI",
        "endpoint": "https://contoso-search.search.windows.net",
    },
    "datasource": {
        "kind": "storage",
        "connection": {
            "kind": "endpointMI",
            "endpoint": "https://contoso.blob.core.windows.net/",
            "resourceId": (
                "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
                "/providers/Microsoft.Storage/storageAccounts/contoso"
            ),
        },
        "containerName": "handbook",
        "chunking": {"maxChunkSizeInTokens": 1024},
        "embeddings": [{"connection": {"kind": "relativeConnection"}, "deploymentName": "ada"}],
    },
    "dataRefreshIntervalInHours": 24,
    "completionAction": "cleanUpAssets",
}

USER_COMPUTE_JOB: dict[str, Any] = {
    "kind": "UserCompute",
    "workspaceId": WORKSPACE,
    "compute": {"kind": "serverless"},
    "target": {"kind": "acs", "connectionId": f"{WORKSPACE}/connections/search"},
    "datasource": {
        "kind": "dataset",
        "datasetId": "azureml://locations/eastus/workspaces/123/data/handbook/versions/1",
        "datasetType": "uri_folder",
    },
    "dataRefreshIntervalInHours": 12,
}

INGESTION_JOB_TYPES = (
    models.IngestionJobSystemCompute,
    models.IngestionJobUserCompute,
    models.UnknownIngestionJob,
)
"""What an ``IngestionJob`` parses into (the mock answers with any kind, whatever was sent)."""

AUTHORING_CALLS: list[OperationCall] = []


def _add(
    operation_id: str, variant: str, returns: Any, invoke: Any, shape: Shape = "model"
) -> None:
    AUTHORING_CALLS.append(OperationCall(operation_id, variant, invoke, returns, shape))


# -- files ----------------------------------------------------------------------------------------

_add(
    "Files_Upload",
    "name-file-type",
    models.File,
    lambda c: c.files.create(
        file=("train.jsonl", io.BytesIO(TRAINING), "application/jsonl"), purpose="fine-tune"
    ),
)
_add(
    "Files_Upload",
    "bytes-assistants",
    models.File,
    lambda c: c.files.create(file=("handbook.md", b"# Handbook\n"), purpose="assistants"),
)
_add(
    "Files_Import",
    "sas-url",
    models.File,
    lambda c: c.files.import_from_url(
        purpose="fine-tune",
        filename="train.jsonl",
        content_url="https://contoso.blob.core.windows.net/data/train.jsonl?sv=2022-11-02&sig=x",
    ),
)
_add("Files_List", "all", models.File, lambda c: c.files.list(), "page")
_add("Files_List", "purpose", models.File, lambda c: c.files.list(purpose="fine-tune"), "page")
_add("Files_Get", "by-id", models.File, lambda c: c.files.retrieve(FILE_ID))
_add("Files_GetContent", "by-id", bytes, lambda c: c.files.content(FILE_ID), "binary")
_add("Files_Delete", "by-id", None, lambda c: c.files.delete(FILE_ID), "none")

# -- fine-tuning ----------------------------------------------------------------------------------

_add(
    "FineTuning_Create",
    "all-hyperparameters",
    models.FineTuningJob,
    lambda c: c.fine_tuning.jobs.create(
        model="gpt-35-turbo-0613",
        training_file=FILE_ID,
        validation_file="file-0b7d1cbdcdcf4677ada87f63a0928099",
        hyperparameters={"n_epochs": 3, "batch_size": 8, "learning_rate_multiplier": 0.1},
        suffix="terse",
        seed=42,
    ),
)
_add(
    "FineTuning_List",
    "cursor",
    models.FineTuningJob,
    lambda c: c.fine_tuning.jobs.list(limit=5, after="ft-0a1b2c"),
    "page",
)
_add("FineTuning_Get", "by-id", models.FineTuningJob, lambda c: c.fine_tuning.jobs.retrieve(JOB_ID))
_add(
    "FineTuning_Cancel", "by-id", models.FineTuningJob, lambda c: c.fine_tuning.jobs.cancel(JOB_ID)
)
_add("FineTuning_Delete", "by-id", None, lambda c: c.fine_tuning.jobs.delete(JOB_ID), "none")
_add(
    "FineTuning_GetEvents",
    "cursor",
    models.FineTuningJobEvent,
    lambda c: c.fine_tuning.jobs.list_events(JOB_ID, limit=20, after="ftevent-0a1b2c"),
    "page",
)
_add(
    "FineTuning_GetCheckpoints",
    "cursor",
    models.FineTuningJobCheckpoint,
    lambda c: c.fine_tuning.jobs.checkpoints.list(JOB_ID, limit=3),
    "page",
)

# -- models ---------------------------------------------------------------------------------------

_add("Models_List", "all", models.Model, lambda c: c.models.list(), "page")
_add("Models_Get", "fine-tuned", models.Model, lambda c: c.models.retrieve(MODEL_ID))

# -- ingestion jobs -------------------------------------------------------------------------------

_add(
    "IngestionJobs_Create",
    "user-compute-tokens",
    INGESTION_JOB_TYPES,
    lambda c: c.ingestion_jobs.create(
        INGESTION_JOB, USER_COMPUTE_JOB, mgmt_user_token=MGMT_TOKEN, aml_user_token=AML_TOKEN
    ),
)
_add(
    "IngestionJobs_Create",
    "system-compute",
    INGESTION_JOB_TYPES,
    lambda c: c.ingestion_jobs.create(INGESTION_JOB, SYSTEM_COMPUTE_JOB),
)
_add(
    "IngestionJobs_List",
    "token",
    INGESTION_JOB_TYPES,
    lambda c: c.ingestion_jobs.list(mgmt_user_token=MGMT_TOKEN),
    "link-page",
)
_add(
    "IngestionJobs_Get",
    "by-id",
    INGESTION_JOB_TYPES,
    lambda c: c.ingestion_jobs.retrieve(INGESTION_JOB),
)
_add(
    "IngestionJobRuns_List",
    "token",
    models.IngestionJobRun,
    lambda c: c.ingestion_jobs.runs.list(INGESTION_JOB, mgmt_user_token=MGMT_TOKEN),
    "link-page",
)
_add(
    "IngestionJobRuns_Get",
    "by-id",
    models.IngestionJobRun,
    lambda c: c.ingestion_jobs.runs.retrieve(
        RUN_ID, job_id=INGESTION_JOB, mgmt_user_token=MGMT_TOKEN
    ),
)
