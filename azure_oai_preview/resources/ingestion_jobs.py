"""``client.ingestion_jobs``: On Your Data ingestion jobs and their runs (authoring API).

An ingestion job reads documents from a data source (blob storage, an Azure Machine Learning
dataset), chunks and embeds them and fills a search index, once or every
``dataRefreshIntervalInHours``. Creating one (a PUT of the job id) starts a run and is an
Azure long-running operation: the answer names the run's status monitor in
``operation-location``. :meth:`IngestionJobs.create_and_poll` follows it to the run's end;
:meth:`IngestionJobs.poll` resumes from a monitor URL kept earlier. Lists page the Azure way,
following ``nextLink`` (:class:`~azure_oai_preview.NextLinkPage`).

User-compute jobs run in an Azure Machine Learning workspace and need the caller's tokens
for it: ``mgmt_user_token`` (the workspace) and ``aml_user_token`` (the resources in it),
sent as the ``mgmt-user-token`` / ``aml-user-token`` headers and never shown in a repr, a log
record or an error.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any

import httpx
from pydantic import BaseModel
from typing_extensions import Unpack

from .._call import Body, Call, JsonReader, ResultReader
from .._exceptions import InvalidRequestError
from .._lro import Monitored, MonitoredReader, follow, watch
from .._models import OpenModel
from .._next_link import at_link
from .._options import (
    PollBodyOptions,
    PollOptions,
    RequestOptions,
    apply_options,
    take_poll_options,
)
from .._resource import M, Resource, method, polling
from .._strict import validate_request
from ._authoring import link_list_call, with_secret_headers
from ._common import model, operation_named
from ._crud import checked_path, plain_call, reader_call

if TYPE_CHECKING:
    from .._next_link import AsyncNextLinkPage, NextLinkPage
    from .._polling import Flow
    from ..models import IngestionJob, IngestionJobRun, IngestionJobsCreateParams

__all__ = ["IngestionJobRuns", "IngestionJobs"]

DEFAULT_INGESTION_POLL_INTERVAL = 10.0
"""Seconds between two status requests when the service sends no ``retry-after``
(ingestion runs take minutes)."""

MGMT = "mgmt-user-token"
AML = "aml-user-token"


@functools.cache
def _job_envelope() -> type[OpenModel]:
    # The body is one member of the IngestionJob union, chosen by its `kind`: checking it as
    # a field of a one-field model gives the union its strict request check (unknown kinds,
    # unknown fields, read-only fields...) with problems named `job.<field>`.
    from pydantic import create_model

    envelope: type[OpenModel] = create_model(
        "IngestionJobsCreateBody", __base__=OpenModel, job=(model("IngestionJob"), ...)
    )
    return envelope


def _job_body(job: Any) -> Body:
    if isinstance(job, BaseModel):
        job = job.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if not isinstance(job, Mapping):
        problem = ("job", "must be a dict or a model of one IngestionJob kind")
        raise InvalidRequestError("IngestionJobs_Create", [problem])
    instance: Any = validate_request("IngestionJobs_Create", _job_envelope(), {"job": job})
    return Body(
        content=instance.job.model_dump_json(exclude_unset=True).encode(),
        content_type="application/json",
    )


def _create_call(
    job_id: str,
    job: Any,
    tokens: Mapping[str, str | None],
    options: Mapping[str, Any],
    reader: ResultReader[Any, Any],
) -> Call[Any, Any]:
    call = Call(
        operation=operation_named("IngestionJobs_Create"),
        path_params=checked_path("IngestionJobs_Create", {"job-id": job_id}),
        body=_job_body(job),
        reader=reader,
    )
    return with_secret_headers(apply_options(call, options), tokens)


def _run_status(
    options: Mapping[str, Any], mgmt_user_token: str | None
) -> Callable[[str], Call[Monitored[Any], Monitored[Any]]]:
    """The status request of a run, for its monitor URL (``operation-location``)."""

    def status(url: str) -> Call[Monitored[Any], Monitored[Any]]:
        reader = MonitoredReader[Any](model("IngestionJobRun"))
        call = at_link(reader_call("IngestionJobRuns_Get", reader, options), httpx.URL(url))
        return with_secret_headers(call, {MGMT: mgmt_user_token})

    return status


def _run_by_id(
    job_id: str, run_id: str, options: Mapping[str, Any], mgmt_user_token: str | None
) -> Call[Any, Any]:
    ids = {"job-id": job_id, "run-id": run_id}
    reader = MonitoredReader[Any](model("IngestionJobRun"))
    call = reader_call("IngestionJobRuns_Get", reader, options, **ids)
    return with_secret_headers(call, {MGMT: mgmt_user_token})


class IngestionJobRuns(Resource[M]):
    """``client.ingestion_jobs.runs``: the runs of an ingestion job (one per refresh)."""

    @method
    def list(
        self,
        job_id: str,
        *,
        mgmt_user_token: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Call[NextLinkPage[IngestionJobRun], AsyncNextLinkPage[IngestionJobRun]]:
        """List a job's runs (``IngestionJobRuns_List``); iterate the page to follow ``nextLink``.

        ``mgmt_user_token``: the workspace token of a user-compute job (``mgmt-user-token``).
        """
        return link_list_call(
            "IngestionJobRuns_List",
            "IngestionJobRunList",
            options,
            {MGMT: mgmt_user_token},
            **{"job-id": job_id},
        )

    @method
    def retrieve(
        self,
        run_id: str,
        *,
        job_id: str,
        mgmt_user_token: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Call[IngestionJobRun, IngestionJobRun]:
        """Retrieve a run (``IngestionJobRuns_Get``): its ``status``, stage ``progress``,
        ``warnings`` and ``error``."""
        call = plain_call(
            "IngestionJobRuns_Get",
            "IngestionJobRun",
            options,
            **{"job-id": job_id, "run-id": run_id},
        )
        return with_secret_headers(call, {MGMT: mgmt_user_token})

    @polling
    def poll(
        self,
        run_id: str,
        *,
        job_id: str,
        mgmt_user_token: str | None = None,
        poll_interval: float = DEFAULT_INGESTION_POLL_INTERVAL,
        timeout: float | None = None,
        **options: Unpack[PollOptions],
    ) -> Flow[IngestionJobRun]:
        """Retrieve the run until its ``status`` is terminal (``Succeeded``, ``Failed``);
        returns it. Waits what the service asks (``retry-after``), else ``poll_interval``
        seconds; :class:`~azure_oai_preview.PollTimeoutError` after ``timeout`` seconds."""
        _, _, each = take_poll_options(options)
        return watch(
            lambda: _run_by_id(job_id, run_id, each, mgmt_user_token),
            poll_interval=poll_interval,
            timeout=timeout,
        )


class IngestionJobs(Resource[M]):
    """``client.ingestion_jobs``: On Your Data ingestion jobs (create, list, retrieve)."""

    @method
    def create(
        self,
        job_id: str,
        job: IngestionJobsCreateParams,
        *,
        mgmt_user_token: str | None = None,
        aml_user_token: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Call[IngestionJob, IngestionJob]:
        """Create (PUT) the ingestion job ``job_id`` (``IngestionJobs_Create``); it starts a run.

        ``job`` is one kind of job, as a dict or a model: ``{"kind": "SystemCompute", ...}``
        (the service's compute: ``searchServiceConnection``, ``datasource``...) or
        ``{"kind": "UserCompute", "workspaceId": ...}`` (an Azure Machine Learning workspace's
        compute, which needs ``mgmt_user_token`` and ``aml_user_token``). Returns the job; the
        run it started is named by the response's ``operation-location`` header (see
        ``with_raw_response``), which :meth:`create_and_poll` follows for you.
        """
        tokens = {MGMT: mgmt_user_token, AML: aml_user_token}
        return _create_call(job_id, job, tokens, options, JsonReader(model("IngestionJob")))

    @method
    def retrieve(
        self, job_id: str, **options: Unpack[RequestOptions]
    ) -> Call[IngestionJob, IngestionJob]:
        """Retrieve an ingestion job (``IngestionJobs_Get``)."""
        return plain_call("IngestionJobs_Get", "IngestionJob", options, **{"job-id": job_id})

    @method
    def list(
        self, *, mgmt_user_token: str | None = None, **options: Unpack[RequestOptions]
    ) -> Call[NextLinkPage[IngestionJob], AsyncNextLinkPage[IngestionJob]]:
        """List the ingestion jobs (``IngestionJobs_List``); iterate the page to follow ``nextLink``."""
        return link_list_call(
            "IngestionJobs_List", "IngestionJobList", options, {MGMT: mgmt_user_token}
        )

    @polling
    def create_and_poll(
        self,
        job_id: str,
        job: IngestionJobsCreateParams,
        *,
        mgmt_user_token: str | None = None,
        aml_user_token: str | None = None,
        poll_interval: float = DEFAULT_INGESTION_POLL_INTERVAL,
        timeout: float | None = None,
        **options: Unpack[PollBodyOptions],
    ) -> Flow[IngestionJobRun]:
        """Create the job (see :meth:`create`), then follow the run it started to its end.

        The run is the long-running operation named by ``operation-location``; it is requested
        after what the service asks (``retry-after``) or ``poll_interval`` seconds, until its
        ``status`` is terminal (``Succeeded``, ``Failed``). Returns that run, failed or not
        (``error`` says why). :class:`~azure_oai_preview.PollTimeoutError` after ``timeout``
        seconds (the run goes on); :class:`~azure_oai_preview.APIResponseValidationError` if
        the answer names no run. ``mgmt_user_token`` goes with every request.
        """
        _, first, each = take_poll_options(options)
        tokens = {MGMT: mgmt_user_token, AML: aml_user_token}
        reader = MonitoredReader[Any](model("IngestionJob"), require_monitor=True)
        return follow(
            _create_call(job_id, job, tokens, first, reader),
            _run_status(each, mgmt_user_token),
            poll_interval=poll_interval,
            timeout=timeout,
        )

    @polling
    def poll(
        self,
        operation_location: str,
        *,
        mgmt_user_token: str | None = None,
        poll_interval: float = DEFAULT_INGESTION_POLL_INTERVAL,
        timeout: float | None = None,
        **options: Unpack[PollOptions],
    ) -> Flow[IngestionJobRun]:
        """Follow a run from its status monitor URL (the ``operation-location`` header of a
        :meth:`create` answer) to its end, as :meth:`create_and_poll` does.

        The URL must be on the client's endpoint; another host is refused
        (:class:`~azure_oai_preview.InvalidRequestError`) so that no credential goes there.
        """
        _, _, each = take_poll_options(options)
        status = _run_status(each, mgmt_user_token)
        return watch(
            lambda: status(operation_location), poll_interval=poll_interval, timeout=timeout
        )

    @cached_property
    def runs(self) -> IngestionJobRuns[M]:
        return IngestionJobRuns(self._core)
