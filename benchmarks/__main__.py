"""Run the benchmarks, print the tables and record them: ``python -m benchmarks`` (or
``nox -s bench``).

    python -m benchmarks [NAME ...] [--json PATH | --no-json]

NAME picks modules (``inference``, ``assistants``, ``cold``, ``memory``; all by default). The
tables are written to ``benchmarks/results.json`` (the docs' performance page and its chart are
made from it): tables of this run replace the ones with the same title, others are kept.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import json
import os
import platform
from pathlib import Path
from typing import Any

from ._harness import TABLES

MODULES = {
    "inference": "benchmarks.bench_inference",
    "assistants": "benchmarks.bench_assistants",
    "cold": "benchmarks.bench_cold",
    "memory": "benchmarks.bench_memory",
    "burst": "benchmarks.bench_burst",
}
RESULTS = Path(__file__).resolve().parent / "results.json"


def _machine() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "machine": platform.machine(),
        "system": platform.system(),
        "cpus": os.cpu_count(),
    }


def write_results(path: Path, tables: list[dict[str, Any]]) -> None:
    previous: list[dict[str, Any]] = []
    if path.is_file():
        previous = json.loads(path.read_text(encoding="utf-8")).get("tables", [])
    titles = {t["title"] for t in tables}
    document = {
        "generated_by": "python -m benchmarks",
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "environment": _machine(),
        "tables": [t for t in previous if t["title"] not in titles] + tables,
    }
    path.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("names", nargs="*", metavar="NAME", help=", ".join(MODULES))
    parser.add_argument("--json", type=Path, default=RESULTS, help="where to record the tables")
    parser.add_argument("--no-json", action="store_true", help="print only")
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in MODULES]
    if unknown:
        parser.error(f"no benchmark named {', '.join(unknown)} (known: {', '.join(MODULES)})")
    env = _machine()
    print(f"# azure-oai-preview benchmarks (Python {env['python']}, {env['machine']})")
    for name in args.names or MODULES:
        importlib.import_module(MODULES[name]).main()
    if not args.no_json:
        write_results(args.json, TABLES)
        print(f"\nrecorded in {args.json}")


if __name__ == "__main__":
    main()
