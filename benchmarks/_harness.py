"""Timing helpers and the table the benchmarks print.

Each case is timed as the best of several repeats (the least disturbed run), on the same
bytes for every contender, through an in-process httpx transport so that no network or
server time is included.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

# Both contenders send the client's default api-version (the generated one).
from azure_oai_preview.models._manifest import API_VERSION as API_VERSION

ENDPOINT = "https://bench-resource.openai.azure.com"
API_KEY = "bench-key"


@dataclass(frozen=True)
class Row:
    case: str
    contender: str
    seconds: float
    note: str = ""


def best_of(fn: Callable[[], object], repeats: int = 5) -> float:
    times: list[float] = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def median_of(fn: Callable[[], float], repeats: int) -> float:
    return statistics.median(fn() for _ in range(repeats))


def fixed_transport(body: bytes, content_type: str) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, content=body, headers={"content-type": content_type, "apim-request-id": "bench"}
        )

    return httpx.MockTransport(handler)


def print_table(title: str, rows: list[Row], *, baseline: str, targets: dict[str, str]) -> None:
    """One block per case: each contender's time and its ratio to ours and to the baseline."""
    print(f"\n## {title}\n")
    print(f"| case | contender | time | vs azure-oai-preview | vs {baseline} | target |")
    print("|---|---|---:|---:|---:|---|")
    cases: dict[str, list[Row]] = {}
    for row in rows:
        cases.setdefault(row.case, []).append(row)
    for case, case_rows in cases.items():
        ours = next((r.seconds for r in case_rows if r.contender == "azure-oai-preview"), None)
        base = next((r.seconds for r in case_rows if r.contender == baseline), None)
        for row in case_rows:
            vs_ours = f"{row.seconds / ours:.2f}x" if ours else "-"
            vs_base = f"{row.seconds / base:.2f}x" if base else "-"
            target = targets.get(case, "") if row.contender == "azure-oai-preview" else ""
            print(
                f"| {case} | {row.contender} | {row.seconds * 1000:.1f} ms | {vs_ours} | {vs_base} | {target} {row.note} |"
            )
