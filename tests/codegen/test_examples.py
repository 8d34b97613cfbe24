"""Every example parses into the generated models with nothing unforeseen, and dumps back exactly."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter

import azure_oai_preview.models as models
from azure_oai_preview.models._manifest import BY_ID
from codegen.jsonish import as_object
from codegen.pins import Document
from codegen.spec import Example, load_examples

from .conftest import EXAMPLES_VERSION
from .helpers import deviations, same_json


def _examples(document: Document = "inference") -> list[Example]:
    examples, missing = load_examples(EXAMPLES_VERSION, document=document)
    if document == "authoring":
        assert missing == [], "the mirror has every authoring example"
    return examples


def _id(example: Example) -> str:
    return f"{example.operation_id}:{example.file}"


@pytest.fixture(scope="module", params=["inference", "authoring"])
def examples(request: pytest.FixtureRequest) -> list[Example]:
    return _examples(request.param)


def _round_trip(model_name: str, body: Any) -> tuple[list[str], Any]:
    adapter: TypeAdapter[Any] = TypeAdapter(getattr(models, model_name))
    parsed = adapter.validate_python(body)
    dumped = adapter.dump_python(parsed, mode="json", by_alias=True, exclude_unset=True)
    return deviations(parsed), dumped


def test_examples_cover_most_operations(examples: list[Example]) -> None:
    if examples[0].document == "authoring":
        # All 22 example files; every one of the 20 operations has at least one.
        assert len(examples) == 22
        assert len({e.operation_id for e in examples}) == 20
        return
    assert len(examples) >= 39
    assert len({e.operation_id for e in examples}) >= 30


def test_every_example_response(examples: list[Example]) -> None:
    failures: list[str] = []
    for example in examples:
        operation = BY_ID[example.operation_id]
        declared = [r for r in operation.responses if r.status == example.status]
        if example.kind == "json":
            (response,) = [r for r in declared if r.content_type == "application/json"]
            assert response.model is not None
            problems, dumped = _round_trip(response.model, example.response_body)
            if not same_json(dumped, example.response_body):
                problems.append(f"dump differs from the example: {dumped!r}")
        elif example.kind == "empty":
            problems = (
                []
                if any(r.kind == "empty" and r.model is None for r in declared)
                else ["no empty response"]
            )
        elif example.kind == "text":
            problems = (
                []
                if any(r.content_type.startswith("text/") and r.model is None for r in declared)
                else ["no text/* response"]
            )
        else:
            problems = (
                []
                if any(
                    r.content_type == "application/octet-stream" and r.model is None
                    for r in declared
                )
                else ["no binary response"]
            )
        failures.extend(f"{_id(example)} response {p}" for p in problems)
    assert not failures, "\n".join(failures)


def test_every_example_request(examples: list[Example]) -> None:
    failures: list[str] = []
    checked = 0
    for example in examples:
        operation = BY_ID[example.operation_id]
        if not example.has_request_body:
            continue
        assert operation.request_body is not None, _id(example)
        body = as_object(example.request_body)
        if body is None:
            # Multipart bodies are given as raw text; the operation must say multipart.
            assert operation.request_body.content_type.startswith("multipart/"), _id(example)
            continue
        expected = "multipart/form-data" if example.request_form else "application/json"
        assert operation.request_body.content_type == expected, _id(example)
        problems, dumped = _round_trip(operation.request_body.model, body)
        if not same_json(dumped, body):
            problems.append(f"dump differs from the example: {dumped!r}")
        failures.extend(f"{_id(example)} request {p}" for p in problems)
        checked += 1
    assert checked >= (20 if examples[0].document == "inference" else 5)
    assert not failures, "\n".join(failures)


def test_deviation_walker_sees_extras_and_unknown_values() -> None:
    """The checks above would pass vacuously if the walker saw nothing."""
    problems, _ = _round_trip(
        "RunObject",
        {**_examples_by_file()["create_run.json"].response_body, "surprise": 1, "status": "paused"},
    )
    assert any("surprise" in p for p in problems)
    assert any("paused" in p for p in problems)


def _examples_by_file() -> dict[str, Example]:
    return {e.file: e for e in _examples()}


def test_authoring_examples_that_needed_transforms_parse_to_known_values() -> None:
    """The defects the authoring transforms declare are really what the examples carry."""
    by_file = {e.file: e for e in _examples("authoring")}
    job = TypeAdapter(models.IngestionJob).validate_python(
        by_file["put_ingestion_job_sc.json"].response_body
    )
    assert isinstance(job, models.IngestionJobSystemCompute)
    assert isinstance(job.searchServiceConnection, models.EndpointMIConnection)
    assert job.searchServiceConnection.kind == "EndpointWithManagedIdentity"
    assert isinstance(job.datasource, models.SystemComputeStorage)
    # The schema's own spelling still selects the same member.
    same = TypeAdapter(models.BaseConnection).validate_python(
        {"kind": "endpointMI", "endpoint": "e"}
    )
    assert isinstance(same, models.EndpointMIConnection)
    runs = models.IngestionJobRunList.model_validate(
        by_file["list_ingestion_job_runs.json"].response_body
    )
    assert [r.status for r in runs.value or []] == ["succeeded", "failed", "running"]
    assert all(r.status is not None and r.status.is_known() for r in runs.value or [])
    assert (
        by_file["put_ingestion_job_sc.json"]
        .response_headers["operation-location"]
        .startswith("https://")
    )
    manifest_headers = BY_ID["IngestionJobs_Create"].responses[0].headers
    assert set(by_file["put_ingestion_job_uc.json"].response_headers) <= set(manifest_headers)
