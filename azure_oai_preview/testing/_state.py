"""Everything the emulated resource holds, and a typed read API over it for tests.

Objects are kept in their wire form (the JSON the service sends), in creation order,
which is also the order the list operations page through. Tests read them back as the
generated models (``emulator.state.runs(thread_id)`` gives ``RunObject``\\ s), the same types
the client returns.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from ._script import ToolOutput

if TYPE_CHECKING:
    from ..models import (
        AssistantObject,
        FineTuningJob,
        FineTuningJobCheckpoint,
        FineTuningJobEvent,
        IngestionJob,
        IngestionJobRun,
        MessageObject,
        RunObject,
        RunStepObject,
        ThreadObject,
        VectorStoreFileBatchObject,
        VectorStoreFileObject,
        VectorStoreObject,
    )

__all__ = ["FineTuningRecord", "IngestionRecord", "RunRecord", "State", "StoredFile"]

Json = dict[str, Any]
ModelT = TypeVar("ModelT")


@dataclass
class RunRecord:
    """A run and what only the emulator knows about it."""

    run: Json
    steps: dict[str, Json] = field(default_factory=dict[str, Json])
    tool_step_id: str | None = None
    """The ``tool_calls`` step waiting for (or holding) the latest tool outputs."""
    outputs: list[ToolOutput] = field(default_factory=list[ToolOutput])
    """Tool outputs submitted and not yet answered by the model."""
    usage: dict[str, int] = field(
        default_factory=lambda: {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}
    )
    """Tokens used so far (sent as the run's ``usage`` once it ends)."""
    step_usage: dict[str, dict[str, int]] = field(default_factory=dict[str, dict[str, int]])
    """Each step's tokens by step id (sent as the step's ``usage`` once it ends)."""


@dataclass
class FineTuningRecord:
    """A fine-tuning job (``FineTuningJob``), its events and checkpoints (oldest first), and
    the fine-tuned model it produced (``Model``; None until it succeeds)."""

    job: Json
    events: list[Json] = field(default_factory=list[Json])
    checkpoints: list[Json] = field(default_factory=list[Json])
    model: Json | None = None

    @property
    def status(self) -> str:
        return str(self.job["status"])


@dataclass
class IngestionRecord:
    """An ingestion job (as defined by its last PUT, with ``jobId``) and its runs, oldest
    first. Runs are kept in their ``IngestionJobRun`` form with the capitalised statuses."""

    job: Json
    runs: dict[str, Json] = field(default_factory=dict[str, Json])


@dataclass
class StoredFile:
    """An uploaded file: its ``File`` object (authoring API) and its content."""

    object: Json
    content: bytes
    download_error: str | None = None
    """Why an imported file could not be downloaded (it ends in ``error``)."""

    @property
    def id(self) -> str:
        return str(self.object["id"])

    @property
    def filename(self) -> str:
        return str(self.object["filename"])

    @property
    def purpose(self) -> str:
        return str(self.object["purpose"])

    @property
    def status(self) -> str:
        return str(self.object["status"])


class State:
    """The emulated resource's objects; reachable as ``emulator.state``.

    The typed accessors return copies parsed into :mod:`azure_oai_preview.models` (changing
    them changes nothing in the emulator). Lists are in creation order.
    """

    def __init__(self, lock: threading.RLock) -> None:
        self._lock = lock
        self.assistants: dict[str, Json] = {}
        self.threads: dict[str, Json] = {}
        self.messages: dict[str, dict[str, Json]] = {}
        self.runs: dict[str, dict[str, RunRecord]] = {}
        self.vector_stores: dict[str, Json] = {}
        self.vector_store_files: dict[str, dict[str, Json]] = {}
        self.file_batches: dict[str, dict[str, Json]] = {}
        self.batch_files: dict[str, list[str]] = {}
        self.files: dict[str, StoredFile] = {}
        self.images: dict[str, bytes] = {}
        self.fine_tuning_jobs: dict[str, FineTuningRecord] = {}
        self.ingestion_jobs: dict[str, IngestionRecord] = {}
        self.web: dict[str, bytes] = {}
        """What ``Files_Import`` downloads: content by URL (the emulator never goes online)."""

    def clear(self) -> None:
        with self._lock:
            for store in (
                self.assistants,
                self.threads,
                self.messages,
                self.runs,
                self.vector_stores,
                self.vector_store_files,
                self.file_batches,
                self.batch_files,
                self.files,
                self.images,
                self.fine_tuning_jobs,
                self.ingestion_jobs,
                self.web,
            ):
                store.clear()

    def find_run(self, run_id: str) -> RunRecord | None:
        for runs in self.runs.values():
            if run_id in runs:
                return runs[run_id]
        return None

    # -- the typed read API --------------------------------------------------------------

    def _parse(self, model_name: str, items: Iterable[Json]) -> list[Any]:
        from pydantic import TypeAdapter

        from .. import models

        # A TypeAdapter parses unions (IngestionJob) as well as models.
        adapter: TypeAdapter[Any] = TypeAdapter(getattr(models, model_name))
        with self._lock:
            snapshot = [copy.deepcopy(item) for item in items]
        return [adapter.validate_python(item) for item in snapshot]

    def assistant_list(self) -> list[AssistantObject]:
        return self._parse("AssistantObject", self.assistants.values())

    def thread_list(self) -> list[ThreadObject]:
        return self._parse("ThreadObject", self.threads.values())

    def message_list(self, thread_id: str) -> list[MessageObject]:
        """The thread's messages, oldest first (KeyError for an unknown thread)."""
        return self._parse("MessageObject", self.messages[thread_id].values())

    def run_list(self, thread_id: str) -> list[RunObject]:
        return self._parse("RunObject", (r.run for r in self.runs[thread_id].values()))

    def run(self, run_id: str) -> RunObject:
        """The run with this id, on whichever thread (KeyError if there is none)."""
        with self._lock:
            record = self.find_run(run_id)
        if record is None:
            raise KeyError(run_id)
        return self._parse("RunObject", [record.run])[0]

    def run_step_list(self, run_id: str) -> list[RunStepObject]:
        with self._lock:
            record = self.find_run(run_id)
        if record is None:
            raise KeyError(run_id)
        return self._parse("RunStepObject", record.steps.values())

    def vector_store_list(self) -> list[VectorStoreObject]:
        return self._parse("VectorStoreObject", self.vector_stores.values())

    def vector_store_file_list(self, vector_store_id: str) -> list[VectorStoreFileObject]:
        return self._parse(
            "VectorStoreFileObject", self.vector_store_files[vector_store_id].values()
        )

    def file_batch_list(self, vector_store_id: str) -> list[VectorStoreFileBatchObject]:
        return self._parse(
            "VectorStoreFileBatchObject", self.file_batches[vector_store_id].values()
        )

    def fine_tuning_job_list(self) -> list[FineTuningJob]:
        """Fine-tuning jobs, oldest first."""
        return self._parse("FineTuningJob", (r.job for r in self.fine_tuning_jobs.values()))

    def fine_tuning_job(self, job_id: str) -> FineTuningJob:
        """The fine-tuning job with this id (KeyError if there is none)."""
        return self._parse("FineTuningJob", [self.fine_tuning_jobs[job_id].job])[0]

    def fine_tuning_event_list(self, job_id: str) -> list[FineTuningJobEvent]:
        """The job's events, oldest first (the API lists them newest first)."""
        return self._parse("FineTuningJobEvent", self.fine_tuning_jobs[job_id].events)

    def checkpoint_list(self, job_id: str) -> list[FineTuningJobCheckpoint]:
        """The job's checkpoints, oldest first."""
        return self._parse("FineTuningJobCheckpoint", self.fine_tuning_jobs[job_id].checkpoints)

    def ingestion_job_list(self) -> list[IngestionJob]:
        """Ingestion jobs (``IngestionJobSystemCompute`` / ``IngestionJobUserCompute``)."""
        return self._parse("IngestionJob", (r.job for r in self.ingestion_jobs.values()))

    def ingestion_run_list(self, job_id: str) -> list[IngestionJobRun]:
        """The job's runs, oldest first, with the capitalised statuses (``Succeeded``)."""
        return self._parse("IngestionJobRun", self.ingestion_jobs[job_id].runs.values())

    def file_list(self) -> list[StoredFile]:
        """Files with their content (``object`` is the ``File`` object as sent, a dict)."""
        with self._lock:
            return [StoredFile(copy.deepcopy(f.object), f.content) for f in self.files.values()]

    def file(self, file_id: str) -> StoredFile:
        with self._lock:
            stored = self.files[file_id]
            return StoredFile(copy.deepcopy(stored.object), stored.content)
