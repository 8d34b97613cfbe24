"""Run every benchmark and print the tables: ``python -m benchmarks`` (or ``nox -s bench``)."""

from __future__ import annotations

import importlib
import platform

MODULES = ("benchmarks.bench_inference", "benchmarks.bench_assistants", "benchmarks.bench_burst")


def main() -> None:
    print(
        f"# azure-oai-preview benchmarks (Python {platform.python_version()}, {platform.machine()})"
    )
    for name in MODULES:
        importlib.import_module(name).main()


if __name__ == "__main__":
    main()
