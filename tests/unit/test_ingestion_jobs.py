"""Ingestion jobs: the PUT with credential headers, nextLink pages, and the long-running
operation followed through ``operation-location`` and ``retry-after`` (sync, asyncio, trio)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import anyio
import httpx
import pytest
import respx
from _support import API_VERSION, Clock
from conftest import API_KEY, BASE_URL, ENDPOINT

from azure_oai_preview import (
    APIResponseValidationError,
    AsyncAzureOpenAI,
    AsyncNextLinkPage,
    AzureOpenAI,
    InvalidRequestError,
    NextLinkPage,
    PollTimeoutError,
    _polling,
)
from azure_oai_preview.models import (
    IngestionJobRun,
    IngestionJobSystemCompute,
    IngestionJobUserCompute,
    OperationState,
)

JOB = "ingestion-job"
RUN = "72a2792ef7d24ba7b82c7fe4a37e379f"
MONITOR = f"{BASE_URL}/ingestion/jobs/{JOB}/runs/{RUN}?api-version={API_VERSION}"
MGMT = "mgmt-token-7c1e-never-print-me"
AML = "aml-token-93b0-never-print-me"

SYSTEM_JOB: dict[str, Any] = {
    "kind": "SystemCompute",
    "searchServiceConnection": {
        "kind": "EndpointWithManagedIdentity",
        "endpoint": "https://contoso-search.search.windows.net",
    },
    "datasource": {
        "kind": "Storage",
        "connection": {
            "kind": "EndpointWithManagedIdentity",
            "endpoint": "https://contoso.blob.core.windows.net/",
            "resourceId": "/subscriptions/123/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/contoso",
        },
        "containerName": "handbook",
        "chunking": {"maxChunkSizeInTokens": 2048},
        "embeddings": [{"connection": {"kind": "RelativeConnection"}, "deploymentName": "ada"}],
    },
    "dataRefreshIntervalInHours": 24,
    "completionAction": "keepAllAssets",
}
USER_JOB: dict[str, Any] = {
    "kind": "UserCompute",
    "workspaceId": "/subscriptions/123/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/rag",
    "compute": {"kind": "serverless"},
    "target": {"kind": "acs", "connectionId": "/subscriptions/123/connections/search"},
    "datasource": {
        "kind": "dataset",
        "datasetId": "azureml://data/PlainText/versions/1",
        "datasetType": "uri_folder",
    },
}


def run_body(status: str, **changes: Any) -> dict[str, Any]:
    return {"jobId": JOB, "runId": RUN, "status": status, **changes}


def created(body: dict[str, Any], **headers: str) -> httpx.Response:
    return httpx.Response(
        200, json={**body, "jobId": JOB}, headers={"operation-location": MONITOR, **headers}
    )


def run_statuses(*answers: tuple[str, dict[str, str]]) -> Callable[[httpx.Request], httpx.Response]:
    """A run monitor answering these (status, headers) in turn; the last one repeats."""
    queue = list(answers)

    def answer(request: httpx.Request) -> httpx.Response:
        status, headers = queue.pop(0) if len(queue) > 1 else queue[0]
        return httpx.Response(200, json=run_body(status), headers=headers)

    return answer


# -- create ---------------------------------------------------------------------------------------


def test_create_puts_the_job_with_the_tokens(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    route = mock_api.put(f"/ingestion/jobs/{JOB}").mock(return_value=created(USER_JOB))

    job = client.ingestion_jobs.create(JOB, USER_JOB, mgmt_user_token=MGMT, aml_user_token=AML)

    assert isinstance(job, IngestionJobUserCompute)
    assert job.jobId == JOB
    request = route.calls.last.request
    assert json.loads(request.content) == USER_JOB
    assert (request.headers["mgmt-user-token"], request.headers["aml-user-token"]) == (MGMT, AML)
    assert request.headers["api-key"] == API_KEY


def test_create_accepts_a_model_and_the_example_spellings(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    route = mock_api.put(f"/ingestion/jobs/{JOB}").mock(return_value=created(SYSTEM_JOB))
    job = client.ingestion_jobs.create(JOB, IngestionJobSystemCompute.model_validate(SYSTEM_JOB))
    assert isinstance(job, IngestionJobSystemCompute)
    assert json.loads(route.calls.last.request.content) == SYSTEM_JOB
    assert "mgmt-user-token" not in route.calls.last.request.headers


@pytest.mark.parametrize(
    ("job", "where"),
    [
        pytest.param({"kind": "Serverless"}, "job", id="unknown-kind"),
        pytest.param({"workspaceId": "/x"}, "job", id="no-kind"),
        pytest.param({**USER_JOB, "workspace": "/x"}, "job", id="unknown-field"),
        pytest.param({"kind": "UserCompute"}, "job.workspaceId", id="missing-field"),
        pytest.param(["SystemCompute"], "job", id="not-a-dict"),
    ],
)
def test_create_checks_the_job_before_sending(
    job: Any, where: str, client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    route = mock_api.put(f"/ingestion/jobs/{JOB}").mock(return_value=created(USER_JOB))
    with pytest.raises(InvalidRequestError) as info:
        client.ingestion_jobs.create(JOB, job)
    assert info.value.problems[0][0] == where
    assert not route.called


@pytest.mark.parametrize("token", ["", "naïve-token", "line\nbreak", 42])
def test_a_bad_token_is_refused_without_echoing_it(
    token: Any, client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    route = mock_api.put(f"/ingestion/jobs/{JOB}").mock(return_value=created(USER_JOB))
    with pytest.raises(InvalidRequestError) as info:
        client.ingestion_jobs.create(JOB, USER_JOB, mgmt_user_token=token)
    assert info.value.problems == [
        ("mgmt_user_token", "must be a non-empty string of printable ASCII")
    ]
    if isinstance(token, str) and token:
        assert token not in str(info.value)
    assert not route.called


def test_the_typed_token_replaces_one_in_extra_headers(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    route = mock_api.get("/ingestion/jobs").respond(200, json={"value": []})
    client.ingestion_jobs.list(mgmt_user_token=MGMT, extra_headers={"MGMT-User-Token": "old"})
    assert route.calls.last.request.headers.get_list("mgmt-user-token") == [MGMT]


def test_retrieve(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    mock_api.get(f"/ingestion/jobs/{JOB}").respond(200, json={**SYSTEM_JOB, "jobId": JOB})
    assert isinstance(client.ingestion_jobs.retrieve(JOB), IngestionJobSystemCompute)


# -- nextLink pages -------------------------------------------------------------------------------


def paged_jobs(mock_api: respx.MockRouter, link_of: Callable[[int], str | None]) -> respx.Route:
    def answer(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("$skip", "0")) // 2
        value = [{"kind": "SystemCompute", "jobId": f"job-{page}-{i}"} for i in range(2)]
        link = link_of(page)
        return httpx.Response(200, json={"value": value, **({"nextLink": link} if link else {})})

    return mock_api.get("/ingestion/jobs").mock(side_effect=answer)


def test_list_follows_next_links(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    route = paged_jobs(
        mock_api,
        lambda page: (
            f"{BASE_URL}/ingestion/jobs?api-version={API_VERSION}&$skip={2 * page + 2}"
            if page < 2
            else None
        ),
    )
    page = client.ingestion_jobs.list(mgmt_user_token=MGMT)
    assert isinstance(page, NextLinkPage)
    assert page.has_more
    assert [job.jobId for job in page] == [f"job-{p}-{i}" for p in range(3) for i in range(2)]
    assert route.call_count == 3
    assert [call.request.url.params.get("$skip") for call in route.calls] == [None, "2", "4"]
    assert {call.request.headers["mgmt-user-token"] for call in route.calls} == {MGMT}
    assert {call.request.url.params["api-version"] for call in route.calls} == {API_VERSION}
    second = page.next_page()
    assert second is not None
    assert second.data[0].jobId == "job-1-0"


def test_a_relative_next_link_is_resolved_against_the_page(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    paged_jobs(mock_api, lambda page: "jobs?$skip=2" if page == 0 else None)
    assert len(list(client.ingestion_jobs.list())) == 4


def test_a_link_back_ends_the_walk(
    client: AzureOpenAI, mock_api: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    route = paged_jobs(mock_api, lambda page: f"{BASE_URL}/ingestion/jobs?$skip=2")
    with caplog.at_level(logging.WARNING, logger="azure_oai_preview"):
        jobs = list(client.ingestion_jobs.list())
    assert len(jobs) == 4
    assert route.call_count == 2
    assert "linked back" in caplog.text


@pytest.mark.parametrize(
    "link",
    [
        "https://attacker.example.org/openai/ingestion/jobs?$skip=2",
        "http://example-resource.openai.azure.com/openai/ingestion/jobs?$skip=2",
        "https://example-resource.openai.azure.com:8443/openai/ingestion/jobs",
        "https://example-resource.openai.azure.com/other/ingestion/jobs",
    ],
)
def test_a_next_link_off_the_endpoint_is_not_followed(
    link: str, client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    paged_jobs(mock_api, lambda page: link)
    elsewhere = respx.route(host__regex=r"attacker").respond(200, json={"value": []})
    page = client.ingestion_jobs.list()
    with pytest.raises(InvalidRequestError) as info:
        page.next_page()
    assert info.value.problems[0][0] == "url"
    assert "not on the endpoint" in str(info.value)
    assert not elsewhere.called


def test_runs_list_and_retrieve(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    runs = mock_api.get(f"/ingestion/jobs/{JOB}/runs").respond(
        200,
        json={"value": [run_body("succeeded"), run_body("failed"), run_body("running")]},
    )
    mock_api.get(f"/ingestion/jobs/{JOB}/runs/{RUN}").respond(
        200,
        json=run_body(
            "Running",
            progress={"stageProgress": [{"name": "Indexing", "state": "NotRunning"}]},
        ),
    )
    listed = client.ingestion_jobs.runs.list(JOB, mgmt_user_token=MGMT)
    assert [run.status for run in listed] == [
        OperationState.SUCCEEDED_,
        OperationState.FAILED_,
        OperationState.RUNNING_,
    ]
    assert runs.calls.last.request.headers["mgmt-user-token"] == MGMT
    run = client.ingestion_jobs.runs.retrieve(RUN, job_id=JOB)
    assert isinstance(run, IngestionJobRun)
    assert run.progress is not None
    assert run.progress.stageProgress[0].name == "Indexing"


# -- the long-running operation -------------------------------------------------------------------


def test_create_and_poll_follows_the_operation(
    client: AzureOpenAI, mock_api: respx.MockRouter, clock: Clock
) -> None:
    put = mock_api.put(f"/ingestion/jobs/{JOB}").mock(
        return_value=created(USER_JOB, **{"retry-after": "3"})
    )
    monitor = mock_api.get(f"/ingestion/jobs/{JOB}/runs/{RUN}").mock(
        side_effect=run_statuses(
            ("NotRunning", {}),
            ("Running", {"retry-after": "7"}),
            ("Succeeded", {}),
        )
    )

    run = client.ingestion_jobs.create_and_poll(
        JOB, USER_JOB, mgmt_user_token=MGMT, aml_user_token=AML, poll_interval=4
    )

    assert isinstance(run, IngestionJobRun)
    assert run.status == OperationState.SUCCEEDED
    assert put.call_count == 1
    assert monitor.call_count == 3
    assert clock.slept == [3, 4, 7], "retry-after wins; poll_interval without one"
    for call in monitor.calls:
        assert call.request.headers["mgmt-user-token"] == MGMT
        assert "aml-user-token" not in call.request.headers
        assert call.request.url.params["api-version"] == API_VERSION


def test_a_failed_run_is_returned_not_raised(
    client: AzureOpenAI, mock_api: respx.MockRouter, clock: Clock
) -> None:
    mock_api.put(f"/ingestion/jobs/{JOB}").mock(return_value=created(SYSTEM_JOB))
    mock_api.get(f"/ingestion/jobs/{JOB}/runs/{RUN}").respond(
        200, json=run_body("Failed", error={"message": "the container is empty"})
    )
    run = client.ingestion_jobs.create_and_poll(JOB, SYSTEM_JOB, poll_interval=1)
    assert run.status == OperationState.FAILED
    assert run.error is not None
    assert run.error.message == "the container is empty"
    assert clock.slept == [1]


def test_no_operation_location_is_a_validation_error(
    client: AzureOpenAI, mock_api: respx.MockRouter, clock: Clock
) -> None:
    mock_api.put(f"/ingestion/jobs/{JOB}").respond(200, json={**SYSTEM_JOB, "jobId": JOB})
    with pytest.raises(APIResponseValidationError, match="operation-location"):
        client.ingestion_jobs.create_and_poll(JOB, SYSTEM_JOB)
    assert client.ingestion_jobs.create(JOB, SYSTEM_JOB).jobId == JOB, "plain create is fine"


def test_polling_times_out_with_the_last_run(
    client: AzureOpenAI, mock_api: respx.MockRouter, clock: Clock
) -> None:
    mock_api.put(f"/ingestion/jobs/{JOB}").mock(return_value=created(SYSTEM_JOB))
    monitor = mock_api.get(f"/ingestion/jobs/{JOB}/runs/{RUN}").respond(
        200, json=run_body("Running"), headers={"retry-after": "30"}
    )
    with pytest.raises(PollTimeoutError) as info:
        client.ingestion_jobs.create_and_poll(JOB, SYSTEM_JOB, poll_interval=30, timeout=70)
    assert info.value.last.status == OperationState.RUNNING
    assert clock.slept == [30, 30, 10], "the last request is at the deadline"
    assert monitor.call_count == 3


def test_an_absurd_retry_after_falls_back_to_the_interval(
    client: AzureOpenAI, mock_api: respx.MockRouter, clock: Clock
) -> None:
    mock_api.put(f"/ingestion/jobs/{JOB}").mock(
        return_value=created(SYSTEM_JOB, **{"retry-after": "86400"})
    )
    mock_api.get(f"/ingestion/jobs/{JOB}/runs/{RUN}").mock(
        side_effect=run_statuses(("Running", {"retry-after": "-1"}), ("Succeeded", {}))
    )
    client.ingestion_jobs.create_and_poll(JOB, SYSTEM_JOB, poll_interval=2)
    assert clock.slept == [2, 2]


def test_a_monitor_off_the_endpoint_is_not_followed(
    client: AzureOpenAI, mock_api: respx.MockRouter, clock: Clock
) -> None:
    mock_api.put(f"/ingestion/jobs/{JOB}").respond(
        200,
        json={**SYSTEM_JOB, "jobId": JOB},
        headers={"operation-location": "https://attacker.example.org/openai/runs/1"},
    )
    elsewhere = respx.route(host="attacker.example.org").respond(200, json=run_body("Succeeded"))
    with pytest.raises(InvalidRequestError, match="not on the endpoint"):
        client.ingestion_jobs.create_and_poll(JOB, SYSTEM_JOB, mgmt_user_token=MGMT)
    assert not elsewhere.called


def test_poll_resumes_from_an_operation_location(
    client: AzureOpenAI, mock_api: respx.MockRouter, clock: Clock
) -> None:
    monitor = mock_api.get(f"/ingestion/jobs/{JOB}/runs/{RUN}").mock(
        side_effect=run_statuses(("Running", {}), ("Succeeded", {}))
    )
    run = client.ingestion_jobs.poll(MONITOR, poll_interval=5, request_timeout=3)
    assert run.status == OperationState.SUCCEEDED
    assert clock.slept == [5], "the first request goes at once"
    assert monitor.call_count == 2

    by_id = client.ingestion_jobs.runs.poll(RUN, job_id=JOB, mgmt_user_token=MGMT)
    assert by_id.status == OperationState.SUCCEEDED
    assert monitor.calls.last.request.headers["mgmt-user-token"] == MGMT


def test_raw_create_shows_the_operation_location(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    mock_api.put(f"/ingestion/jobs/{JOB}").mock(return_value=created(SYSTEM_JOB))
    raw = client.with_raw_response.ingestion_jobs.create(JOB, SYSTEM_JOB)
    assert raw.headers["operation-location"] == MONITOR


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_async_create_and_poll_and_pages(backend: str, clock: Clock) -> None:
    async def scenario() -> None:
        with respx.mock(base_url=BASE_URL) as service:
            service.put(f"/ingestion/jobs/{JOB}").mock(
                return_value=created(USER_JOB, **{"retry-after": "2"})
            )
            monitor = service.get(f"/ingestion/jobs/{JOB}/runs/{RUN}").mock(
                side_effect=run_statuses(("Running", {}), ("Succeeded", {}))
            )
            paged_jobs(
                service,
                lambda page: f"{BASE_URL}/ingestion/jobs?$skip=2" if page == 0 else None,
            )
            service.get(f"/ingestion/jobs/{JOB}/runs").respond(
                200, json={"value": [run_body("running")]}
            )
            async with AsyncAzureOpenAI(ENDPOINT, api_key=API_KEY) as client:
                run = await client.ingestion_jobs.create_and_poll(
                    JOB, USER_JOB, mgmt_user_token=MGMT, aml_user_token=AML, poll_interval=6
                )
                page = await client.ingestion_jobs.list(mgmt_user_token=MGMT)
                assert isinstance(page, AsyncNextLinkPage)
                jobs = [job.jobId async for job in page]
                runs = [r.runId async for r in await client.ingestion_jobs.runs.list(JOB)]
            assert run.status == OperationState.SUCCEEDED
            assert monitor.call_count == 2
            assert clock.slept == [2, 6]
            assert jobs == ["job-0-0", "job-0-1", "job-1-0", "job-1-1"]
            assert runs == [RUN]

    anyio.run(scenario, backend=backend)


def test_raw_view_polls_with_plain_results(
    client: AzureOpenAI, mock_api: respx.MockRouter, clock: Clock
) -> None:
    mock_api.put(f"/ingestion/jobs/{JOB}").mock(return_value=created(SYSTEM_JOB))
    mock_api.get(f"/ingestion/jobs/{JOB}/runs/{RUN}").respond(200, json=run_body("Succeeded"))
    run = client.with_raw_response.ingestion_jobs.create_and_poll(JOB, SYSTEM_JOB)
    assert isinstance(run, IngestionJobRun)


def test_poll_interval_is_checked(client: AzureOpenAI) -> None:
    with pytest.raises(ValueError, match="poll_interval"):
        client.ingestion_jobs.poll(MONITOR, poll_interval=-1)
    assert _polling.DEFAULT_POLL_INTERVAL > 0
