"""The violation -> declared-transform mapping, on the real untransformed spec.

No Prism needed: violations are written the way the recorder produces them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .harness import (
    PrismFleet,
    UnexplainedViolationsError,
    Violation,
    declared_transforms,
    explain_violations,
    locate,
    touch_of,
)

pytestmark = pytest.mark.contract


@pytest.fixture(scope="module")
def source(contract_fleet: PrismFleet) -> dict[str, Any]:
    """The untransformed document as codegen produced it (pointers as transforms use)."""
    return contract_fleet.spec("untransformed").source_document


def violation(
    operation_id: str,
    location: tuple[str, ...],
    message: str,
    code: str = "required",
    status: int = 422,
) -> Violation:
    side = "request" if location[0] == "request" else "response"
    return Violation(
        server="untransformed",
        operation_id=operation_id,
        method="POST",
        target="/openai/...",
        status=status,
        side=side,
        location=location,
        code=code,
        severity="Error",
        message=message,
        source="problem+json",
    )


THREAD_ID = violation(
    "Create_Run", ("request", "body"), "Request body must have required property 'thread_id'"
)
NESTED_BYTES = violation(
    "List_Vector_Stores",
    ("response", "body", "data", "0"),
    "Response body property data.0 must have required property 'bytes'",
    status=200,
)


def test_site_of_a_required_property(source: dict[str, Any]) -> None:
    site = locate(THREAD_ID, source)
    assert "createRunRequest" in site.schemas
    assert ("createRunRequest", "thread_id") in site.properties
    assert "/components/schemas/createRunRequest/required" in site.pointers


def test_site_follows_refs_and_array_items(source: dict[str, Any]) -> None:
    site = locate(NESTED_BYTES, source)
    assert {"vectorStoreObject"} <= site.schemas
    assert ("vectorStoreObject", "bytes") in site.properties


@pytest.mark.parametrize(
    "declaration",
    [
        {"name": "by-property", "schema": "createRunRequest", "property": "thread_id"},
        {"name": "by-pointer", "pointer": "#/components/schemas/createRunRequest/required"},
        {"name": "by-schema", "schemas": ["createRunRequest"]},
        {"name": "any-schema", "properties": ["thread_id"]},
    ],
)
def test_plain_declarations_explain(source: dict[str, Any], declaration: dict[str, Any]) -> None:
    unrelated = {"name": "unrelated", "schema": "runObject", "property": "thread_id"}
    (explanation,) = explain_violations([THREAD_ID], source, [unrelated, declaration])
    assert explanation.transforms == (declaration["name"],)


def test_unexplained_violation_fails_with_its_site(source: dict[str, Any]) -> None:
    unrelated = {"name": "unrelated", "schema": "runObject", "property": "thread_id"}
    with pytest.raises(UnexplainedViolationsError) as failure:
        explain_violations([THREAD_ID, NESTED_BYTES], source, [unrelated])
    text = str(failure.value)
    assert "2 violation(s)" in text
    assert "Create_Run" in text
    assert "List_Vector_Stores" in text
    assert "('createRunRequest', 'thread_id')" in text
    kept = explain_violations([THREAD_ID], source, [unrelated], require_all=False)
    assert not kept[0].explained


def test_query_parameter_violation_maps_to_the_parameter(source: dict[str, Any]) -> None:
    limit = violation(
        "List_Assistants",
        ("request", "query", "limit"),
        "Request query parameter limit must be integer",
        code="type",
    )
    site = locate(limit, source)
    (pointer,) = [p for p in site.pointers if "/parameters/" in p]
    assert (
        source["paths"]["/assistants"]["get"]["parameters"][int(pointer.rsplit("/", 1)[1])]["name"]
        == "limit"
    )
    assert explain_violations([limit], source, [{"name": "limit-param", "pointer": pointer}])


def test_codegen_transform_declarations_explain(source: dict[str, Any], tmp_path: Path) -> None:
    from codegen.transforms import load_file

    declared = tmp_path / "transforms.toml"
    declared.write_text(
        """
[[transform]]
name = "run-thread-id"
reason = "required but never defined"
evidence = ["spec"]
ops = [{ op = "drop-undefined-required", schema = "createRunRequest", properties = ["thread_id"] }]

[[transform]]
name = "run-expires-nullable"
reason = "service sends null"
evidence = ["example"]
ops = [{ op = "make-nullable", schema = "runObject", property = "expires_at" }]
""",
        encoding="utf-8",
    )
    transforms = load_file(declared)
    expires = violation(
        "Get_Run",
        ("response", "body", "expires_at"),
        "Response body property expires_at must be integer",
        code="type",
        status=200,
    )
    explained = explain_violations([THREAD_ID, expires], source, transforms)
    assert [item.transforms for item in explained] == [
        ("run-thread-id",),
        ("run-expires-nullable",),
    ]


def test_every_declared_transform_touches_something(source: dict[str, Any]) -> None:
    """The mapper understands every transform declared for the suite's api-version."""
    transforms = declared_transforms(str(source["info"]["version"]))
    assert transforms
    for transform in transforms:
        touch = touch_of(transform, source)
        assert touch.schemas or touch.properties or touch.pointers, transform.name
    explained = explain_violations([THREAD_ID, NESTED_BYTES], source, transforms)
    assert [item.transforms for item in explained] == [
        ("create-run-undefined-thread-id",),
        ("vector-store-object-bytes",),
    ]
