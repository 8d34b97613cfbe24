"""pytest plugin for the contract suite: Prism servers, violation checking, diagnostics.

Fixtures (see docs/contract-tests.md):

* ``prism_server`` — static-mode Prism on the transformed, mock-ready spec (session);
* ``prism_dynamic_server`` — ``--dynamic --seed`` Prism on the same spec (session);
* ``prism_untransformed_server`` — static Prism on the upstream spec (session);
* ``authoring_prism_server`` — static Prism on the transformed authoring document (files,
  fine-tuning, models, ingestion jobs); ``prism_servers`` — the static server of each
  document, by document name;
* ``prism`` — any server by indirect parametrization (``"static"``, ``"dynamic"``,
  ``"untransformed"``, or ``"authoring-"`` + one of those; default ``"static"``);
* ``contract_fleet`` — the owner of all three (started lazily, stopped at session end);
* ``violations`` — a ``ViolationRecorder`` for the test; any request-side violation it
  holds when the test body returns fails the test;
* ``contract_http_client`` / ``contract_async_http_client`` — httpx clients feeding
  ``violations``; hand them to the SDK as ``http_client=``.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from .harness import (
    PrismFleet,
    PrismServer,
    ViolationRecorder,
    contract_async_client,
    contract_client,
)
from .harness.config import WORK_DIR, default_api_version
from .harness.prism import describe_fleet, tail

HERE = Path(__file__).resolve().parent
SERVER_FIXTURES = {
    "prism_server": "static",
    "prism_dynamic_server": "dynamic",
    "prism_untransformed_server": "untransformed",
    "authoring_prism_server": "authoring-static",
}
FLEET = pytest.StashKey[PrismFleet]()
NEEDED = pytest.StashKey[list[str]]()
RECORDERS = pytest.StashKey[list[ViolationRecorder]]()
LOG_OFFSETS = pytest.StashKey[dict[str, int]]()


def _is_contract_item(item: pytest.Item) -> bool:
    return HERE in Path(str(item.path)).resolve().parents


# --------------------------------------------------------------------------- collection


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark contract tests, and note which Prism servers the selected tests need.

    Runs last so ``-k``/``-m`` deselection has happened: only servers some selected test
    uses are started, all at once, so their start-up times overlap.
    """
    needed: list[str] = []
    for item in items:
        if not _is_contract_item(item):
            continue
        if item.get_closest_marker("contract") is None:
            item.add_marker(pytest.mark.contract)
        wanted = [name for fixture, name in SERVER_FIXTURES.items() if fixture in item.fixturenames]
        if "prism" in item.fixturenames:
            callspec = getattr(item, "callspec", None)
            wanted.append(callspec.params.get("prism", "static") if callspec else "static")
        needed += [name for name in wanted if name not in needed]
    config.stash[NEEDED] = needed


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def contract_fleet(request: pytest.FixtureRequest) -> Iterator[PrismFleet]:
    fleet = PrismFleet(default_api_version())
    request.config.stash[FLEET] = fleet
    try:
        fleet.prepare(request.config.stash.get(NEEDED, []))
        yield fleet
    finally:  # stops whatever did start, even if starting another one failed
        fleet.close()


@pytest.fixture(scope="session")
def prism_server(contract_fleet: PrismFleet) -> PrismServer:
    """Static mode, transformed spec: the server contract tests run against."""
    return contract_fleet.get("static")


@pytest.fixture(scope="session")
def prism_dynamic_server(contract_fleet: PrismFleet) -> PrismServer:
    """Dynamic mode (fixed seed), transformed spec: schema-generated, varied bodies."""
    return contract_fleet.get("dynamic")


@pytest.fixture(scope="session")
def prism_untransformed_server(contract_fleet: PrismFleet) -> PrismServer:
    """Static mode, upstream spec without transforms: for the violations report."""
    return contract_fleet.get("untransformed")


@pytest.fixture(scope="session")
def authoring_prism_server(contract_fleet: PrismFleet) -> PrismServer:
    """Static mode, transformed authoring document (files, fine-tuning, models, ingestion)."""
    return contract_fleet.get("authoring-static")


@pytest.fixture(scope="session")
def prism_servers(
    prism_server: PrismServer, authoring_prism_server: PrismServer
) -> dict[str, PrismServer]:
    """The static server of each document: ``{"inference": ..., "authoring": ...}``."""
    return {"inference": prism_server, "authoring": authoring_prism_server}


@pytest.fixture
def prism(request: pytest.FixtureRequest, contract_fleet: PrismFleet) -> PrismServer:
    """The server named by indirect parametrization (default ``static``)::

    @pytest.mark.parametrize("prism", ["static", "dynamic"], indirect=True)
    def test_x(prism, contract_http_client): ...
    """
    return contract_fleet.get(getattr(request, "param", "static"))


@pytest.fixture
def violations(request: pytest.FixtureRequest, contract_fleet: PrismFleet) -> ViolationRecorder:
    recorder = ViolationRecorder(contract_fleet.server_for)
    request.config.stash.setdefault(RECORDERS, []).append(recorder)
    return recorder


@pytest.fixture
def contract_http_client(violations: ViolationRecorder) -> Iterator[httpx.Client]:
    with contract_client(violations) as client:
        yield client


@pytest.fixture
async def contract_async_http_client(
    violations: ViolationRecorder,
) -> AsyncIterator[httpx.AsyncClient]:
    async with contract_async_client(violations) as client:
        yield client


# --------------------------------------------------------------------------- checking


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Any:
    fleet = item.config.stash.get(FLEET, None)
    if fleet is not None and _is_contract_item(item):
        item.stash[LOG_OFFSETS] = {server.name: server.log_offset() for server in fleet.servers}
    result = yield
    __tracebackhide__ = True
    recorder = getattr(item, "funcargs", {}).get("violations")
    if isinstance(recorder, ViolationRecorder):
        recorder.check()  # fails the test (call phase) with every violation listed
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when != "call" or not report.failed or not _is_contract_item(item):
        return report
    recorder = getattr(item, "funcargs", {}).get("violations")
    used: set[str] = set()
    if isinstance(recorder, ViolationRecorder):
        used |= {c.server for c in recorder.calls}
        if recorder.failures and "contract violation" not in str(report.longrepr):
            report.sections.append(("contract violations", recorder.report()))
    used |= {v.name for v in getattr(item, "funcargs", {}).values() if isinstance(v, PrismServer)}
    fleet = item.config.stash.get(FLEET, None)
    offsets = item.stash.get(LOG_OFFSETS, {})
    for server in fleet.servers if fleet else []:
        if server.name in used:
            text = tail(server.log_path, 60, start=offsets.get(server.name, 0))
            report.sections.append((f"prism {server.name} log ({server.log_path})", text))
    return report


# --------------------------------------------------------------------------- reporting


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    fleet = config.stash.get(FLEET, None)
    if fleet is None or not fleet.servers:
        return
    recorders = config.stash.get(RECORDERS, [])
    response_side = [v for r in recorders for v in r.by_side("response")]
    mock_side = [v for r in recorders for v in r.by_side("mock")]
    report = {
        "api_version": fleet.api_version,
        "servers": [
            {
                "name": s.name,
                "base_url": s.base_url,
                "spec": str(s.spec.path),
                "started_in_s": s.started_in,
                "adapter_changes": len(s.spec.adapter_changes),
                "log": str(s.log_path),
            }
            for s in fleet.servers
        ],
        "calls": sum(len(r.calls) for r in recorders),
        "response_violations": [v.describe() for v in response_side],
        "mock_issues": [v.describe() for v in mock_side],
    }
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    (WORK_DIR / "report.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    write = terminalreporter.write_line
    terminalreporter.section("contract harness")
    write(f"prism: {describe_fleet(fleet)}")
    write(f"report: {WORK_DIR / 'report.json'}")
    if response_side:
        operations = sorted({v.operation_id or "?" for v in response_side})
        write(
            f"{len(response_side)} response-side violation(s) (mock bodies the spec itself "
            f"rejects; not failures) in: {', '.join(operations)}"
        )
