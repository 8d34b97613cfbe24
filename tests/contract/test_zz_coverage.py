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
MANIFEST = [operation.operation_id for operation in OPERATIONS]


def test_the_call_table_covers_the_manifest() -> None:
    assert len(MANIFEST) == len(set(MANIFEST)) == 42
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
    complete = len(MANIFEST) - len({m.split(":")[0] for m in missing})
    lines.append(
        f"{complete}/{len(MANIFEST)} operations exercised in every pass, sync (S) and async (A)"
    )
    report(pytestconfig, "contract coverage", lines)
    assert not missing, (
        f"{len(missing)} operation/pass/flavour combination(s) never exercised "
        "(run the whole tests/contract directory; a failing test above may be why):\n  "
        + "\n  ".join(missing)
    )
