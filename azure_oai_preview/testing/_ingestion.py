"""On Your Data ingestion jobs (authoring API): create by PUT, get, list; their runs.

``PUT /ingestion/jobs/{job-id}`` defines the job (or redefines it) and starts a run, the Azure
long-running operation way: 200 with the job, ``operation-location`` naming the run
(``.../ingestion/jobs/{job-id}/runs/{run-id}?api-version=...``) and ``retry-after`` (seconds,
``emulator.retry_after``). A PUT without a body starts a new run of an existing job. A run is
``Running`` with both stages (``Preprocessing``, ``Indexing``) ``NotRunning``, then
``Running`` with preprocessing done, then ``Succeeded`` - or ``Failed`` with an ``error``
when :meth:`Script.fail_ingestion` says so. A job takes one run at a time (409 otherwise).

Credentials: the spec declares ``mgmt-user-token`` (and ``aml-user-token`` on create) as
"needed only for user compute jobs", so a ``UserCompute`` job needs both on create and
``mgmt-user-token`` to read its runs; a missing one is a 400 naming the header. Their values
are never kept, logged or sent back.

Lists page with ``nextLink`` (10 items a page). Run lists send lower-case statuses
(``succeeded``) and a single run the capitalised ones (``Succeeded``), as the spec's examples
show.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from ._errors import authoring_error, authoring_lookup
from ._routes import NEXT_LINK_PARAM
from ._state import IngestionRecord, Json
from ._wire import EmulatedResponse, json_response
from ._world import Call, World

__all__ = ["HANDLERS", "PAGE_SIZE", "progress"]

PAGE_SIZE = 10
_USER_COMPUTE = "UserCompute"
_STAGES = ("Preprocessing", "Indexing")


def _record(world: World, call: Call) -> IngestionRecord:
    return authoring_lookup(world.state.ingestion_jobs, call.path_params["job-id"], "ingestion job")


def _require(call: Call, job: Json, *headers: str) -> None:
    if job.get("kind") != _USER_COMPUTE:
        return
    for header in headers:
        if header not in call.headers:
            raise authoring_error(
                400,
                "invalidPayload",
                f"The '{header}' header is required for user compute jobs.",
                header,
            )


def _total_items(job: Json) -> int | None:
    urls = cast("dict[str, Any]", job.get("datasource") or {}).get("urls")
    return len(cast("list[Any]", urls)) if isinstance(urls, list) else None


def _new_run(world: World, record: IngestionRecord) -> Json:
    total = _total_items(record.job)
    stages: list[Json] = [{"name": name, "state": "NotRunning"} for name in _STAGES]
    if total is not None:
        stages[0].update(totalItems=total, processedItems=0)
    run: Json = {
        "jobId": record.job["jobId"],
        "runId": world.ids.uuid("ingestion-run"),
        "status": "Running",
        "progress": {"stageProgress": stages},
    }
    record.runs[run["runId"]] = run
    return run


def create_job(world: World, call: Call) -> EmulatedResponse:
    job_id = call.path_params["job-id"]
    record = world.state.ingestion_jobs.get(job_id)
    if call.body:
        if call.body.get("jobId", job_id) != job_id:
            raise authoring_error(
                400, "invalidPayload", "The body's 'jobId' differs from the path's.", "jobId"
            )
        job: Json = {**call.body, "jobId": job_id}
    elif record is not None:
        job = record.job
    else:
        raise authoring_error(
            400,
            "invalidPayload",
            f"There is no ingestion job '{job_id}' to run: send its definition.",
        )
    _require(call, job, "mgmt-user-token", "aml-user-token")
    if record is not None and any(r["status"] == "Running" for r in record.runs.values()):
        raise authoring_error(
            409, "conflict", f"The ingestion job '{job_id}' already has a run in progress."
        )
    if record is None:
        record = world.state.ingestion_jobs[job_id] = IngestionRecord(job)
    record.job = job
    run = _new_run(world, record)
    location = (
        f"{call.base_url}/openai/ingestion/jobs/{job_id}/runs/{run['runId']}"
        f"?api-version={call.api_version}"
    )
    headers = {"operation-location": location, "retry-after": str(world.retry_after)}
    return json_response(200, job, headers)


def get_job(world: World, call: Call) -> EmulatedResponse:
    return json_response(200, _record(world, call).job)


def _page(call: Call, path: str, items: Sequence[Json]) -> Json:
    skip = call.query.get(NEXT_LINK_PARAM, 0)
    body: Json = {"value": list(items[skip : skip + PAGE_SIZE])}
    if skip + PAGE_SIZE < len(items):
        body["nextLink"] = (
            f"{call.base_url}/openai{path}?api-version={call.api_version}"
            f"&{NEXT_LINK_PARAM}={skip + PAGE_SIZE}"
        )
    return body


def list_jobs(world: World, call: Call) -> EmulatedResponse:
    jobs = [record.job for record in world.state.ingestion_jobs.values()]
    return json_response(200, _page(call, "/ingestion/jobs", jobs))


def _listed(run: Json) -> Json:
    return {**run, "status": run["status"].lower()}


def list_runs(world: World, call: Call) -> EmulatedResponse:
    record = _record(world, call)
    _require(call, record.job, "mgmt-user-token")
    runs = [_listed(run) for run in record.runs.values()]
    path = f"/ingestion/jobs/{record.job['jobId']}/runs"
    return json_response(200, _page(call, path, runs))


def get_run(world: World, call: Call) -> EmulatedResponse:
    record = _record(world, call)
    _require(call, record.job, "mgmt-user-token")
    run = authoring_lookup(record.runs, call.path_params["run-id"], "ingestion job run")
    if world.progress == "on_read":
        _step(world, run)
    return json_response(200, run)


def _step(world: World, run: Json) -> bool:
    if run["status"] != "Running":
        return False
    preprocessing, indexing = cast("list[Json]", run["progress"]["stageProgress"])
    if preprocessing["state"] == "NotRunning":
        preprocessing["state"] = "Succeeded"
        if "totalItems" in preprocessing:
            preprocessing["processedItems"] = preprocessing["totalItems"]
        indexing["state"] = "Running"
        return True
    failure = world.script.job_failure("ingestion")
    if failure is None:
        run["status"] = indexing["state"] = "Succeeded"
    else:
        run["status"] = indexing["state"] = "Failed"
        run["error"] = {"message": failure, "innerErrors": []}
    return True


def progress(world: World) -> int:
    """The ingestion progressor: every running run moves one step."""
    return sum(
        _step(world, run)
        for record in world.state.ingestion_jobs.values()
        for run in record.runs.values()
    )


HANDLERS = {
    "IngestionJobs_Create": create_job,
    "IngestionJobs_Get": get_job,
    "IngestionJobs_List": list_jobs,
    "IngestionJobRuns_List": list_runs,
    "IngestionJobRuns_Get": get_run,
}
