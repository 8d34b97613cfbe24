"""The violations report: the whole call table against the *untransformed* upstream spec.

The SDK is generated from the spec after the declared transforms (``specs/transforms/``).
Run against the upstream document, Prism disagrees with some requests (e.g. upstream
``createRunRequest`` requires a ``thread_id`` it never defines) and with some of its own
answers. Every such violation must be explained by a declared transform
(``explain_violations`` raises on any that is not); the mapping violation -> transform is
printed in the terminal summary ("untransformed spec: violation -> transform").

A call the upstream spec rejects comes back as a typed ``APIStatusError``; anything else
the SDK raises (a crash while parsing, say) fails the test.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

import httpx
import pytest

from azure_oai_preview import APIStatusError

from ._calls import CALLS, async_client, drive_async, drive_sync, report, sync_client
from .harness import (
    Explanation,
    PrismServer,
    RecordedCall,
    UnexplainedViolationsError,
    Violation,
    ViolationRecorder,
    declared_transforms,
    explain_violations,
)

pytestmark = pytest.mark.contract

SECTION = "untransformed spec: violation -> transform"
_FINDINGS: dict[str, list[RecordedCall]] = {"sync": [], "async": []}


SUMMARY = re.compile(r'must match "(then|else)" schema$')
"""Ajv's summary of a failed ``if``/``then`` (the adapter's discriminator dispatch): it is
reported next to the violations nested below it and means nothing more than they do."""


def _check_errors(errors: dict[str, BaseException], violations: list[Violation]) -> None:
    rejected = {v.operation_id for v in violations if v.side == "request"}
    for call_id, error in errors.items():
        assert isinstance(error, APIStatusError), f"{call_id}: {type(error).__name__}: {error}"
        operation_id = call_id.split("[", 1)[0]
        assert operation_id in rejected, f"{call_id}: {error} without a request-side violation"


def _relevant(call: RecordedCall) -> list[Violation]:
    return [v for v in call.violations if v.side in ("request", "response")]


def _explain(server: PrismServer, calls: list[RecordedCall]) -> list[Explanation]:
    """Each call's violations mapped to transforms; an if/then summary takes the
    transforms of the violations nested below it in the same answer, if all are explained."""
    source = server.spec.source_document
    transforms = declared_transforms(server.api_version)
    explanations: list[Explanation] = []
    for call in calls:
        found = explain_violations(_relevant(call), source, transforms, require_all=False)
        for item in found:
            location = item.violation.location
            if not item.explained and SUMMARY.search(item.violation.message):
                nested = [
                    other
                    for other in found
                    if len(other.violation.location) > len(location)
                    and other.violation.location[: len(location)] == location
                ]
                if nested and all(other.explained for other in nested):
                    names = sorted({name for other in nested for name in other.transforms})
                    item = Explanation(item.violation, tuple(names), item.site)
            explanations.append(item)
    return explanations


def _mapping_lines(explanations: list[Explanation]) -> list[str]:
    grouped: dict[tuple[Any, ...], set[str]] = defaultdict(set)
    for item in explanations:
        v = item.violation
        key = (v.operation_id, v.side, ".".join(v.location), v.message)
        grouped[key] |= set(item.transforms) or {"UNEXPLAINED"}
    return [
        f"{operation} [{side}] {location}: {message}  ->  {', '.join(sorted(names))}"
        for (operation, side, location, message), names in sorted(grouped.items())
    ]


def _judge(
    server: PrismServer, flavour: str, calls: list[RecordedCall], config: pytest.Config
) -> None:
    _FINDINGS[flavour] = calls
    explanations = _explain(server, [*_FINDINGS["sync"], *_FINDINGS["async"]])
    lines = _mapping_lines(explanations)
    used = sorted({name for item in explanations for name in item.transforms})
    declared = declared_transforms(server.api_version)
    lines.append(
        f"{len(explanations)} violation(s) in {sum(map(len, _FINDINGS.values()))} calls "
        f"(sync + async), {len(lines)} distinct; explained by {len(used)} of "
        f"{len(declared)} declared transforms (the others correct schemas these calls "
        "do not reach, or responses the static mock does not produce)"
    )
    report(config, SECTION, lines)
    unexplained = [item for item in _explain(server, calls) if not item.explained]
    if unexplained:
        raise UnexplainedViolationsError(unexplained)


def test_untransformed_violations_are_explained(
    prism_untransformed_server: PrismServer,
    contract_http_client: httpx.Client,
    violations: ViolationRecorder,
    pytestconfig: pytest.Config,
) -> None:
    server = prism_untransformed_server
    client = sync_client(server, contract_http_client)
    errors: dict[str, BaseException] = {}
    with violations.expect(at_least=1) as caught:
        for call in CALLS:
            error = drive_sync(call, client, server, violations)
            if error is not None:
                errors[call.id] = error
    assert {c.operation_id for c in caught.calls} >= {c.operation_id for c in CALLS}
    _check_errors(errors, list(caught))
    _judge(server, "sync", caught.calls, pytestconfig)


async def test_untransformed_violations_are_explained_async(
    prism_untransformed_server: PrismServer,
    contract_async_http_client: httpx.AsyncClient,
    violations: ViolationRecorder,
    pytestconfig: pytest.Config,
) -> None:
    server = prism_untransformed_server
    client = async_client(server, contract_async_http_client)
    errors: dict[str, BaseException] = {}
    with violations.expect(at_least=1) as caught:
        for call in CALLS:
            error = await drive_async(call, client, server, violations)
            if error is not None:
                errors[call.id] = error
    assert {c.operation_id for c in caught.calls} >= {c.operation_id for c in CALLS}
    _check_errors(errors, list(caught))
    _judge(server, "async", caught.calls, pytestconfig)
