"""The violations report: the whole call table against the *untransformed* upstream spec.

The SDK is generated from the spec after the declared transforms (``specs/transforms/``).
Run against the upstream document, Prism disagrees with some requests (e.g. upstream
``createRunRequest`` requires a ``thread_id`` it never defines) and with some of its own
answers. Every such violation must be explained by a declared transform
(``explain_violations`` raises on any that is not); the mapping violation -> transform is
printed in the terminal summary ("untransformed spec: violation -> transform").

A call the upstream spec rejects comes back as a typed ``APIStatusError``; anything else
the SDK raises (a crash while parsing, say) fails the test. Both documents are judged, each
by its own untransformed server and with its own transforms (``specs/transforms/authoring/``
for the authoring document).
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

import httpx
import pytest

from azure_oai_preview import APIStatusError

from ._calls import (
    CALLS,
    OperationCall,
    async_client,
    drive_async,
    drive_sync,
    report,
    sync_client,
)
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
_FINDINGS: dict[tuple[str, str], list[RecordedCall]] = {}
"""(document, flavour) -> the calls the untransformed server of that document judged."""
DOCUMENTS = ["untransformed", "authoring-untransformed"]
"""The untransformed server of each document (``prism`` is parametrized indirectly)."""


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
    return [
        v
        for v in call.violations
        if v.side in ("request", "response") and not _mock_header_format(v)
    ]


def _mock_header_format(violation: Violation) -> bool:
    """Prism's static mock fills a response header declared ``format: url`` (``Location``
    of the authoring creations) with a plain string, then flags its own value: the same on
    the transformed server, so no transform is involved."""
    return violation.location[:2] == ("response", "header") and violation.code == "format"


def _explain(server: PrismServer, calls: list[RecordedCall]) -> list[Explanation]:
    """Each call's violations mapped to transforms; an if/then summary takes the
    transforms of the violations nested below it in the same answer, if all are explained."""
    source = server.spec.source_document
    transforms = declared_transforms(server.api_version, server.document)
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
    _FINDINGS[(server.document, flavour)] = calls
    lines: list[str] = []
    for document in ("inference", "authoring"):
        judged = [
            call
            for (where, _), found in sorted(_FINDINGS.items())
            if where == document
            for call in found
        ]
        if not judged:
            continue
        explanations = _explain(_SERVERS[document], judged)
        mapping = _mapping_lines(explanations)
        used = sorted({name for item in explanations for name in item.transforms})
        declared = declared_transforms(server.api_version, document)
        lines += mapping
        lines.append(
            f"{document}: {len(explanations)} violation(s) in {len(judged)} calls "
            f"(sync + async), {len(mapping)} distinct; explained by {len(used)} of "
            f"{len(declared)} declared transforms (the others correct schemas these calls "
            "do not reach, or responses the static mock does not produce)"
        )
    report(config, SECTION, lines)
    unexplained = [item for item in _explain(server, calls) if not item.explained]
    if unexplained:
        raise UnexplainedViolationsError(unexplained)


_SERVERS: dict[str, PrismServer] = {}


def _calls_of(server: PrismServer) -> list[OperationCall]:
    _SERVERS[server.document] = server
    return [call for call in CALLS if call.document == server.document]


@pytest.mark.parametrize("prism", DOCUMENTS, indirect=True)
def test_untransformed_violations_are_explained(
    prism: PrismServer,
    contract_http_client: httpx.Client,
    violations: ViolationRecorder,
    pytestconfig: pytest.Config,
) -> None:
    server = prism
    client = sync_client(server, contract_http_client)
    calls = _calls_of(server)
    errors: dict[str, BaseException] = {}
    with violations.expect(at_least=1) as caught:
        for call in calls:
            error = drive_sync(call, client, server, violations)
            if error is not None:
                errors[call.id] = error
    assert {c.operation_id for c in caught.calls} >= {c.operation_id for c in calls}
    _check_errors(errors, list(caught))
    _judge(server, "sync", caught.calls, pytestconfig)


@pytest.mark.parametrize("prism", DOCUMENTS, indirect=True)
async def test_untransformed_violations_are_explained_async(
    prism: PrismServer,
    contract_async_http_client: httpx.AsyncClient,
    violations: ViolationRecorder,
    pytestconfig: pytest.Config,
) -> None:
    server = prism
    client = async_client(server, contract_async_http_client)
    calls = _calls_of(server)
    errors: dict[str, BaseException] = {}
    with violations.expect(at_least=1) as caught:
        for call in calls:
            error = await drive_async(call, client, server, violations)
            if error is not None:
                errors[call.id] = error
    assert {c.operation_id for c in caught.calls} >= {c.operation_id for c in calls}
    _check_errors(errors, list(caught))
    _judge(server, "async", caught.calls, pytestconfig)
