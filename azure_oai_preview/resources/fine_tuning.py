"""``client.fine_tuning.jobs``: fine-tuning jobs, their events and checkpoints (authoring API).

A job trains a base model on an uploaded ``fine-tune`` file (``client.files.create``); its
lists page forward with ``after`` cursors and ``has_more``, like openai-python's.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any

from typing_extensions import Unpack

from .._call import Call
from .._options import RequestOptions
from .._resource import M, Resource, method
from ._authoring import empty_call
from ._crud import body_call, list_call, plain_call

if TYPE_CHECKING:
    from .._pagination import AsyncCursorPage, CursorPage
    from ..models import FineTuningJob, FineTuningJobCheckpoint, FineTuningJobEvent
    from ._args import FineTuningCreateArgs

__all__ = ["Checkpoints", "FineTuning", "Jobs"]

JOB_ID = "fine-tuning-job-id"


def _job_list(
    operation_id: str,
    listing: str,
    job_id: str,
    after: str | None,
    limit: int | None,
    options: Mapping[str, Any],
) -> Call[Any, Any]:
    """A forward cursor list of one job's items (events, checkpoints)."""
    query = {"after": after, "limit": limit}
    return list_call(operation_id, listing, query, options, **{JOB_ID: job_id})


class Checkpoints(Resource[M]):
    """``client.fine_tuning.jobs.checkpoints``: the model checkpoints a job saved."""

    @method
    def list(
        self,
        fine_tuning_job_id: str,
        *,
        after: str | None = None,
        limit: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> Call[CursorPage[FineTuningJobCheckpoint], AsyncCursorPage[FineTuningJobCheckpoint]]:
        """List a job's checkpoints (``FineTuning_GetCheckpoints``), ``limit`` per page, after
        the checkpoint id ``after``; iterate the page to walk them all."""
        return _job_list(
            "FineTuning_GetCheckpoints",
            "FineTuningJobCheckpointList",
            fine_tuning_job_id,
            after,
            limit,
            options,
        )


class Jobs(Resource[M]):
    """``client.fine_tuning.jobs``: create, list, retrieve, cancel and delete fine-tuning jobs."""

    @method
    def create(self, **params: Unpack[FineTuningCreateArgs]) -> Call[FineTuningJob, FineTuningJob]:
        """Start fine-tuning ``model`` on ``training_file`` (``FineTuning_Create``).

        The job is queued (``status`` ``pending``); ``fine_tuned_model`` names the result
        once it has ``succeeded``. ``hyperparameters`` (``n_epochs``, ``batch_size``,
        ``learning_rate_multiplier``), ``validation_file``, ``suffix`` and ``seed`` are optional.
        """
        return body_call("FineTuning_Create", "FineTuningJobCreation", "FineTuningJob", params)

    @method
    def list(
        self,
        *,
        after: str | None = None,
        limit: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> Call[CursorPage[FineTuningJob], AsyncCursorPage[FineTuningJob]]:
        """List fine-tuning jobs (``FineTuning_List``), ``limit`` per page, after the job id
        ``after``; iterate the page to walk them all (pages follow ``has_more``/``after``)."""
        query = {"after": after, "limit": limit}
        return list_call("FineTuning_List", "FineTuningJobList", query, options)

    @method
    def retrieve(
        self, fine_tuning_job_id: str, **options: Unpack[RequestOptions]
    ) -> Call[FineTuningJob, FineTuningJob]:
        """Retrieve a fine-tuning job (``FineTuning_Get``)."""
        return plain_call(
            "FineTuning_Get", "FineTuningJob", options, **{JOB_ID: fine_tuning_job_id}
        )

    @method
    def cancel(
        self, fine_tuning_job_id: str, **options: Unpack[RequestOptions]
    ) -> Call[FineTuningJob, FineTuningJob]:
        """Cancel a fine-tuning job (``FineTuning_Cancel``); returns the job as it is now."""
        return plain_call(
            "FineTuning_Cancel", "FineTuningJob", options, **{JOB_ID: fine_tuning_job_id}
        )

    @method
    def delete(
        self, fine_tuning_job_id: str, **options: Unpack[RequestOptions]
    ) -> Call[None, None]:
        """Delete a fine-tuning job (``FineTuning_Delete``; the service answers ``204 No Content``).

        The fine-tuned model it produced is not deleted.
        """
        return empty_call("FineTuning_Delete", options, **{JOB_ID: fine_tuning_job_id})

    @method
    def list_events(
        self,
        fine_tuning_job_id: str,
        *,
        after: str | None = None,
        limit: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> Call[CursorPage[FineTuningJobEvent], AsyncCursorPage[FineTuningJobEvent]]:
        """List a job's events (``FineTuning_GetEvents``): progress messages and metrics,
        ``limit`` per page, after the event id ``after``."""
        return _job_list(
            "FineTuning_GetEvents",
            "FineTuningJobEventList",
            fine_tuning_job_id,
            after,
            limit,
            options,
        )

    @cached_property
    def checkpoints(self) -> Checkpoints[M]:
        return Checkpoints(self._core)


class FineTuning(Resource[M]):
    """``client.fine_tuning``: the namespace of the fine-tuning resources."""

    @cached_property
    def jobs(self) -> Jobs[M]:
        return Jobs(self._core)
