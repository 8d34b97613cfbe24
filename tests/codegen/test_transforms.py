"""Spec transforms: they explain every example violation, and stale ones fail loudly."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from codegen import transforms
from codegen.jsonish import as_array, as_object
from codegen.spec import load_examples, load_raw, load_spec, mock_ready
from codegen.transforms import StaleTransformError, TransformError
from codegen.validate import check_examples

from .conftest import ALL_VERSIONS, DEFAULT_VERSION, EXAMPLES_VERSION, NEXT_VERSION


def test_raw_spec_examples_show_the_known_defects() -> None:
    """Sanity check of the checker itself: upstream's examples do break upstream's schemas."""
    violations = check_examples(load_raw(EXAMPLES_VERSION), version=EXAMPLES_VERSION)
    seen = {(v.file, v.path) for v in violations}
    assert ("cancel_vector_store_file_batch.json", "$.object") in seen
    assert ("create_run.json", "$.expires_at") in seen
    assert any(v.file == "create_run.json" and v.side == "request" for v in violations)
    assert any(v.file == "audio_speech.json" and v.side == "request" for v in violations)
    broken_responses = {v.file for v in violations if v.side == "response"}
    assert len(broken_responses) >= 25


def test_transformed_spec_has_no_example_violations() -> None:
    spec = load_spec(EXAMPLES_VERSION)
    examples, _ = load_examples(EXAMPLES_VERSION)
    assert len(examples) >= 39
    violations = check_examples(spec, examples)
    assert not violations, "\n".join(map(str, violations))


def test_next_preview_accepts_the_same_examples() -> None:
    """No examples ship for the next preview; its schemas share the defects (and fixes)."""
    examples, _ = load_examples(EXAMPLES_VERSION)
    violations = check_examples(load_spec(NEXT_VERSION), examples)
    assert not violations, "\n".join(map(str, violations))


@pytest.mark.parametrize("version", ALL_VERSIONS)
def test_every_version_loads_and_applies_its_transforms(version: str) -> None:
    declared = transforms.load(version)
    assert declared, f"{version} declares no transforms"
    names = [t.name for t in declared]
    assert len(names) == len(set(names))
    for transform in declared:
        assert transform.reason
        assert transform.evidence
        assert transform.explains
        for target in transform.explains:
            assert target.schema or target.operation_id or target.pointer
    transforms.apply(load_raw(version), declared)


def test_explains_names_schema_and_property() -> None:
    by_name = {t.name: t for t in transforms.load(EXAMPLES_VERSION)}
    (target,) = by_name["run-step-object-type"].explains
    assert (target.schema, target.property, target.op) == (
        "runStepObject",
        "object",
        "add-enum-value",
    )
    pointers = [t.pointer for t in by_name["completions-usage-integer-counts"].explains]
    assert all(p and p.startswith("/paths/") for p in pointers)
    pointer, node = transforms.locate(
        load_raw(EXAMPLES_VERSION), {"schema": "runObject", "property": "expires_at"}
    )
    assert pointer == "/components/schemas/runObject/properties/expires_at"
    assert node["type"] == "integer"


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "t.toml"
    path.write_text(body, encoding="utf-8")
    return path


STALE_CASES = {
    "missing-schema": '{ op = "make-nullable", schema = "noSuchSchema", property = "x" }',
    "missing-property": '{ op = "make-nullable", schema = "runObject", property = "no_such_field" }',
    "already-nullable": '{ op = "make-nullable", schema = "runObject", property = "started_at" }',
    "enum-value-present": '{ op = "add-enum-value", schema = "runObject", property = "status", value = "queued" }',
    "not-required": '{ op = "make-optional", schema = "runObject", properties = ["temperature"] }',
    "now-defined": '{ op = "drop-undefined-required", schema = "runObject", properties = ["id"] }',
    "missing-pointer": '{ op = "remove", pointer = "/components/schemas/runObject/properties/nope" }',
    "replace-old-mismatch": '{ op = "replace", pointer = "/components/schemas/runObject/type", old = "array", value = "object" }',
    "schema-exists": '{ op = "add-schema", name = "runObject", schema = { type = "object" } }',
    "content-type-gone": '{ op = "set-request-content-type", operation = "Create_Run", from = "multipart/form-data", to = "application/json" }',
    "missing-operation": '{ op = "make-optional", operation = "No_Such_Op", properties = ["x"] }',
}


@pytest.mark.parametrize("case", sorted(STALE_CASES))
def test_stale_transform_fails_loudly(tmp_path: Path, case: str) -> None:
    path = _write(
        tmp_path,
        f'[[transform]]\nname = "{case}"\nreason = "r"\nevidence = ["e"]\nops = [{STALE_CASES[case]}]\n',
    )
    declared = transforms.load_file(path)
    with pytest.raises(StaleTransformError, match=case):
        transforms.apply(load_raw(EXAMPLES_VERSION), declared)


def test_applying_twice_is_stale() -> None:
    declared = transforms.load(EXAMPLES_VERSION)
    once = transforms.apply(load_raw(EXAMPLES_VERSION), declared)
    with pytest.raises(StaleTransformError):
        transforms.apply(once, declared)


def test_apply_does_not_mutate_its_input() -> None:
    raw = load_raw(EXAMPLES_VERSION)
    before = copy.deepcopy(raw)
    transforms.apply(raw, transforms.load(EXAMPLES_VERSION))
    assert raw == before


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            'name = "Bad_Name"\nreason = "r"\nevidence = ["e"]\nops = [{ op = "remove", pointer = "/x" }]',
            "kebab-case",
        ),
        (
            'name = "no-reason"\nevidence = ["e"]\nops = [{ op = "remove", pointer = "/x" }]',
            "reason",
        ),
        (
            'name = "bad-op"\nreason = "r"\nevidence = ["e"]\nops = [{ op = "frobnicate" }]',
            "unknown op",
        ),
        (
            'name = "no-locator"\nreason = "r"\nevidence = ["e"]\nops = [{ op = "make-nullable" }]',
            "schema / operation / pointer",
        ),
    ],
)
def test_malformed_transform_files_are_rejected(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(TransformError, match=message):
        transforms.load_file(_write(tmp_path, f"[[transform]]\n{body}\n"))


def test_duplicate_names_are_rejected(tmp_path: Path) -> None:
    entry = '[[transform]]\nname = "same"\nreason = "r"\nevidence = ["e"]\nops = [{ op = "remove", pointer = "/x" }]\n'
    with pytest.raises(TransformError, match="duplicate"):
        transforms.load_file(_write(tmp_path, entry + entry))


def test_mock_ready_removes_only_examples() -> None:
    spec = load_spec(EXAMPLES_VERSION)
    ready = mock_ready(spec)

    def strip(node: Any) -> Any:
        mapping, array = as_object(node), as_array(node)
        if mapping is not None:
            return {k: strip(v) for k, v in mapping.items() if k != "x-ms-examples"}
        if array is not None:
            return [strip(v) for v in array]
        return node

    assert "x-ms-examples" not in str(ready)
    assert ready == strip(spec)
    assert "x-ms-examples" in str(spec)  # the input is left alone


def test_mock_spec_cli_writes_transformed_and_raw(tmp_path: Path) -> None:
    import json

    from codegen.cli import main

    out = tmp_path / "mock.json"
    assert main(["mock-spec", "--out", str(out)]) == 0
    written = json.loads(out.read_text())
    assert "createChatCompletionStreamResponse" in written["components"]["schemas"]
    assert main(["mock-spec", "--out", str(out), "--no-transforms"]) == 0
    raw = json.loads(out.read_text())
    assert "createChatCompletionStreamResponse" not in raw["components"]["schemas"]
    assert raw == mock_ready(load_raw(DEFAULT_VERSION))


# ------------------------------------------------------------------------------ authoring


def test_raw_authoring_examples_show_the_known_defects() -> None:
    spec = load_raw(EXAMPLES_VERSION, document="authoring")
    examples, missing = load_examples(EXAMPLES_VERSION, document="authoring")
    assert (len(examples), missing) == (22, [])
    seen = {(v.file, v.side, v.path) for v in check_examples(spec, examples)}
    assert ("list_ingestion_job_runs.json", "response", "$.value[0].status") in seen
    assert ("put_ingestion_job_sc.json", "request", "$") in seen


def test_transformed_authoring_document_has_no_example_violations() -> None:
    spec = load_spec(EXAMPLES_VERSION, document="authoring")
    examples, _ = load_examples(EXAMPLES_VERSION, document="authoring")
    violations = check_examples(spec, examples)
    assert not violations, "\n".join(map(str, violations))


def test_every_authoring_transform_is_needed() -> None:
    """Leaving out any one transform brings back a violation or a stale/unnamed defect."""
    declared = transforms.load(EXAMPLES_VERSION, document="authoring")
    raw = load_raw(EXAMPLES_VERSION, document="authoring")
    examples, _ = load_examples(EXAMPLES_VERSION, document="authoring")
    for skipped in declared:
        spec = transforms.apply(raw, [t for t in declared if t is not skipped])
        violations = check_examples(spec, examples)
        if skipped.name == "connection-type-x-ms-enum-value":
            names = [
                v["value"]
                for v in spec["components"]["schemas"]["ConnectionType"]["x-ms-enum"]["values"]
            ]
            assert "relativeConnection" not in names
        elif skipped.name == "file-content-is-binary":
            content = spec["paths"]["/files/{file-id}/content"]["get"]["responses"]["200"][
                "content"
            ]
            assert "application/json" in content
        elif skipped.name == "ingestion-job-create-long-running":
            put = spec["paths"]["/ingestion/jobs/{job-id}"]["put"]
            assert "headers" not in put["responses"]["200"]
        elif skipped.name == "authoring-service-set-fields-required":
            # A typing transform: the examples conform either way; without it the ids are
            # optional again.
            schemas = spec["components"]["schemas"]
            assert "id" not in schemas["File"]["required"]
            assert "required" not in schemas["IngestionJobRun"]
        else:
            assert violations, f"{skipped.name} explains nothing"


def test_transform_names_are_unique_across_documents() -> None:
    for version in ALL_VERSIONS:
        inference = {t.name for t in transforms.load(version)}
        authoring = {t.name for t in transforms.load(version, document="authoring")}
        assert not inference & authoring, version


def test_add_discriminator_value_is_stale_when_mapped(tmp_path: Path) -> None:
    op = '{ op = "add-discriminator-value", schema = "BaseConnection", value = "endpointMI", target = "EndpointMIConnection" }'
    path = _write(
        tmp_path,
        f'[[transform]]\nname = "mapped"\nreason = "r"\nevidence = ["e"]\nops = [{op}]\n',
    )
    with pytest.raises(StaleTransformError, match="already maps 'endpointMI'"):
        transforms.apply(
            load_raw(EXAMPLES_VERSION, document="authoring"), transforms.load_file(path)
        )
