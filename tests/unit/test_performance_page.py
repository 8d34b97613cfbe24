"""The performance page shows the recorded benchmark results (docs/_tools/performance.py)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def performance() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "_docs_performance", ROOT / "docs/_tools/performance.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_the_page_has_the_tables_of_the_recorded_results(performance: ModuleType) -> None:
    assert not performance.refresh_page(check=True), (
        "run `nox -s bench` (or docs/_tools/performance.py tables)"
    )
    page = (ROOT / "docs/performance.md").read_text(encoding="utf-8")
    results = json.loads((ROOT / "benchmarks/results.json").read_text(encoding="utf-8"))
    titles = {table["title"] for table in results["tables"]}
    assert performance.COLD_TITLE in titles
    for table in results["tables"]:
        assert f"### {table['title']}" in page
        for row in table["rows"]:
            assert f"| {row['case']} | {row['contender']} |" in page


def test_refreshing_writes_the_tables_between_the_markers(
    performance: ModuleType, tmp_path: Path
) -> None:
    results = {
        "date": "2024-06-01T00:00:00Z",
        "environment": {"python": "3.11.9", "system": "Linux", "machine": "x86_64", "cpus": 4},
        "tables": [
            {
                "title": "Demo",
                "baseline": "json.loads",
                "targets": {"case a": "<= 1x"},
                "rows": [
                    {"case": "case a", "contender": "azure-oai-preview", "seconds": 0.002},
                    {"case": "case a", "contender": "json.loads", "seconds": 0.004},
                    {
                        "case": "memory",
                        "contender": "azure-oai-preview",
                        "seconds": 3 * 2**20,
                        "unit": "bytes",
                    },
                ],
            }
        ],
    }
    source = tmp_path / "results.json"
    source.write_text(json.dumps(results), encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text(f"# Title\n\n{performance.BEGIN}\nstale\n{performance.END}\n\nafter\n")
    assert performance.refresh_page(page, source, check=True)
    assert "stale" in page.read_text(encoding="utf-8")  # --check writes nothing
    assert performance.refresh_page(page, source)
    text = page.read_text(encoding="utf-8")
    assert "stale" not in text
    assert text.endswith(f"{performance.END}\n\nafter\n")
    assert "| case a | azure-oai-preview | 2.0 ms | 1.00x | 0.50x | <= 1x |" in text
    assert "| case a | json.loads | 4.0 ms | 2.00x | 1.00x |  |" in text
    assert "| memory | azure-oai-preview | 3.0 MiB |" in text
    assert not performance.refresh_page(page, source)
