"""Timing helpers, fresh-process runs, and the tables (and results file) the benchmarks write.

Steady-state cases are timed in process as the median of several repeats, on the same bytes
for every contender, through an in-process httpx transport so that no network or server time
is included. Cold-start and memory cases run each sample in a fresh interpreter
(:func:`fresh_process`). Every table printed with :func:`print_table` is also kept in
:data:`TABLES`, which ``python -m benchmarks`` writes to ``benchmarks/results.json`` (the docs'
performance page reads it).
"""

from __future__ import annotations

import atexit
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import httpx

# Both contenders send the client's default api-version (the generated one).
from azure_oai_preview.models._manifest import API_VERSION as API_VERSION

ENDPOINT = "https://bench-resource.openai.azure.com"
API_KEY = "bench-key"

OURS = "azure-oai-preview"
OPENAI = "openai-python"


@dataclass(frozen=True)
class Row:
    case: str
    contender: str
    seconds: float  # the measured value: seconds, or bytes when ``unit`` is "bytes"
    note: str = ""
    unit: str = "s"
    extra: dict[str, float] = field(default_factory=dict[str, float])


TABLES: list[dict[str, Any]] = []
"""Every table printed in this run, as data (``python -m benchmarks --json`` writes them)."""


def best_of(fn: Callable[[], object], repeats: int = 5) -> float:
    times: list[float] = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def median_time(fn: Callable[[], object], repeats: int = 7) -> float:
    """The median wall time of ``repeats`` calls of ``fn`` (after one untimed warm-up call)."""
    fn()
    times: list[float] = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def interleaved_medians(
    contenders: dict[str, Callable[[], object]], rounds: int
) -> dict[str, float]:
    """Each contender's median wall time over ``rounds`` rounds in which they take turns (after
    one untimed warm-up each), so that a change of load hits them all alike."""
    for run in contenders.values():
        run()
    samples: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(rounds):
        for name, run in contenders.items():
            start = time.perf_counter()
            run()
            samples[name].append(time.perf_counter() - start)
    return {name: statistics.median(times) for name, times in samples.items()}


def median_of(fn: Callable[[], float], repeats: int) -> float:
    return statistics.median(fn() for _ in range(repeats))


def fixed_transport(body: bytes, content_type: str) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, content=body, headers={"content-type": content_type, "apim-request-id": "bench"}
        )

    return httpx.MockTransport(handler)


# ------------------------------------------------------------------------- fresh processes

_PYCACHE = tempfile.mkdtemp(prefix="azure-oai-bench-pycache-")
atexit.register(shutil.rmtree, _PYCACHE, ignore_errors=True)


def fresh_env() -> dict[str, str]:
    """The environment of a fresh-process sample: bytecode caching on (what an installed
    package has), in a scratch folder so nothing is written next to the sources."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = _PYCACHE
    return env


@dataclass(frozen=True)
class Sample:
    wall: float  # seconds from spawning the interpreter to its READY line
    values: tuple[float, ...]  # what the child printed after READY


def fresh_process(script: str, timeout: float = 300) -> Sample:
    """Run ``script`` in a new interpreter; it prints ``READY <numbers...>`` when done.

    The wall time runs from spawning the process to reading that line, so it counts the
    interpreter's start-up and not its shut-down.
    """
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=fresh_env(),
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    wall = time.perf_counter() - start
    _, stderr = child.communicate(timeout=timeout)
    if not line.startswith("READY") or child.returncode != 0:
        raise RuntimeError(f"benchmark child failed ({child.returncode}): {line}{stderr[-3000:]}")
    return Sample(wall, tuple(float(v) for v in line.split()[1:]))


def interleaved(scripts: dict[str, str], rounds: int) -> dict[str, list[Sample]]:
    """``rounds`` fresh-process samples of every script, one of each per round (so a busy
    moment on the machine hits every contender alike), after one warm-up run each."""
    for script in scripts.values():
        fresh_process(script)  # writes the bytecode caches
    samples: dict[str, list[Sample]] = {name: [] for name in scripts}
    for _ in range(rounds):
        for name, script in scripts.items():
            samples[name].append(fresh_process(script))
    return samples


def rounds_from_env(default: int) -> int:
    return int(os.environ.get("BENCH_ROUNDS", default))


# ---------------------------------------------------------------------------------- tables


def size_text(size: float) -> str:
    return f"{size / 2**20:.1f} MiB" if abs(size) >= 2**20 else f"{size / 1024:.0f} KiB"


def _value(row: Row) -> str:
    return size_text(row.seconds) if row.unit == "bytes" else f"{row.seconds * 1000:.1f} ms"


def _ratio(value: float, reference: float | None, unit: str) -> str:
    # A few KiB of resident memory more or less is page-granular noise, not a ratio to report.
    if not reference or (unit == "bytes" and max(value, reference) < 2**20):
        return "-"
    return f"{value / reference:.2f}x"


def print_table(title: str, rows: list[Row], *, baseline: str, targets: dict[str, str]) -> None:
    """One block per case: each contender's value and its ratio to ours and to the baseline."""
    TABLES.append(
        {
            "title": title,
            "baseline": baseline,
            "targets": targets,
            "rows": [asdict(r) for r in rows],
        }
    )
    print(f"\n## {title}\n")
    print(f"| case | contender | value | vs azure-oai-preview | vs {baseline} | target |")
    print("|---|---|---:|---:|---:|---|")
    cases: dict[str, list[Row]] = {}
    for row in rows:
        cases.setdefault(row.case, []).append(row)
    for case, case_rows in cases.items():
        ours = next((r.seconds for r in case_rows if r.contender == OURS), None)
        base = next((r.seconds for r in case_rows if r.contender == baseline), None)
        for row in case_rows:
            vs_ours = _ratio(row.seconds, ours, row.unit)
            vs_base = _ratio(row.seconds, base, row.unit)
            target = targets.get(case, "") if row.contender == OURS else ""
            print(
                f"| {case} | {row.contender} | {_value(row)} | {vs_ours} | {vs_base} | {target} {row.note} |"
            )
