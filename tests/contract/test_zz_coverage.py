"""Coverage gate: every operationId of the manifest was exercised sync and async.

This module runs last (pytest runs the files of a directory in alphabetical order) and
reads what the session recorded (``_calls.EXERCISED``: the operation Prism matched and
answered with 200, per pass and client flavour). It fails, naming the gaps, when any
operation of ``azure_oai_preview.models._manifest.OPERATIONS`` was not:

* called and answered 200 through ``AzureOpenAI`` **and** ``AsyncAzureOpenAI`` against the
  static mock (test_operations_*), the dynamic mock (test_dynamic), with an api-key and
  with a bearer token (test_auth);
* sent to the untransformed upstream spec from both clients (test_untransformed; there a
  request may be rejected, that is what the report is about).

Coverage is counted per document of the api-version (``Operation.document``), each served
by its own Prism servers: the gate covers the inference document (42 operations) and the
authoring document (20: files, fine-tuning, models, ingestion jobs). "Answered 200" means the
success status the spec declares (201 for creations, 204 for deletes).

Run it together with the rest of ``tests/contract``: alone it has nothing to read and
fails. The matrix is printed in the terminal summary ("contract coverage").
"""

from __future__ import annotations

import pytest

from azure_oai_preview.models._manifest import OPERATIONS

from ._calls import CALLS, EXERCISED, REACHED, report

pytestmark = pytest.mark.contract

FLAVOURS = ("sync", "async")
ANSWERED_200 = ("static", "dynamic", "api-key", "bearer")
REACHED_ONLY = ("untransformed",)
GATED = ("inference", "authoring")
EXPECTED = {"inference": 42, "authoring": 20}
BY_DOCUMENT: dict[str, list[str]] = {}
for _operation in OPERATIONS:
    BY_DOCUMENT.setdefault(_operation.document, []).append(_operation.operation_id)
MANIFEST = [op_id for document in GATED for op_id in BY_DOCUMENT.get(document, [])]
PENDING = [op_id for document, ids in BY_DOCUMENT.items() if document not in GATED for op_id in ids]


def test_the_call_table_covers_the_manifest() -> None:
    assert {document: len(ids) for document, ids in BY_DOCUMENT.items()} == EXPECTED
    assert len(MANIFEST) == len(set(MANIFEST)) == sum(EXPECTED.values())
    in_table = {call.operation_id for call in CALLS}
    assert sorted(set(MANIFEST) - in_table) == [], "operations without a call in _calls.CALLS"
    assert sorted(in_table - set(MANIFEST)) == [], "calls of operations the manifest lacks"


def _cell(operation_id: str, label: str) -> str:
    seen = REACHED if label in REACHED_ONLY else EXERCISED
    marks = {flavour for (where, flavour) in seen.get(operation_id, set()) if where == label}
    return "".join(f[0].upper() if f in marks else "-" for f in FLAVOURS)


def test_every_operation_was_exercised_sync_and_async(pytestconfig: pytest.Config) -> None:
    labels = (*ANSWERED_200, *REACHED_ONLY)
    width = max(map(len, MANIFEST))
    lines = [f"{'operationId':<{width}}  " + "  ".join(f"{label:>13}" for label in labels)]
    missing: list[str] = []
    for operation_id in MANIFEST:
        cells = [_cell(operation_id, label) for label in labels]
        lines.append(f"{operation_id:<{width}}  " + "  ".join(f"{c:>13}" for c in cells))
        missing += [
            f"{operation_id}: {label} {flavour}"
            for label, cell in zip(labels, cells, strict=True)
            for flavour, mark in zip(FLAVOURS, cell, strict=True)
            if mark == "-"
        ]
    incomplete = {m.split(":")[0] for m in missing}
    for document in GATED:
        ids = BY_DOCUMENT.get(document, [])
        complete = sum(op_id not in incomplete for op_id in ids)
        lines.append(
            f"{document}: {complete}/{len(ids)} operations exercised in every pass, "
            "sync (S) and async (A)"
        )
    exercised = {op_id for op_id in PENDING if op_id in EXERCISED or op_id in REACHED}
    for document, ids in BY_DOCUMENT.items():
        if document not in GATED:
            done = sum(op_id in exercised for op_id in ids)
            lines.append(
                f"{document}: {done}/{len(ids)} operations exercised (not yet gated: no "
                f"contract tests for this document yet): "
                + ", ".join(op_id for op_id in ids if op_id not in exercised)
            )
    report(pytestconfig, "contract coverage", lines)
    assert not missing, (
        f"{len(missing)} operation/pass/flavour combination(s) never exercised "
        "(run the whole tests/contract directory; a failing test above may be why):\n  "
        + "\n  ".join(missing)
    )
