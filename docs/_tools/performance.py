"""The performance page's tables and charts, made from ``benchmarks/results.json``.

``nox -s bench`` runs the benchmarks and records them in ``benchmarks/results.json``; it then
refreshes the tables of ``docs/performance.md`` (between the ``bench:tables`` markers). The docs
build never runs a benchmark: it draws the charts from the committed results and fails when the
page's tables are not those of the results file.

    python docs/_tools/performance.py tables [--check]   refresh (or check) the page's tables
    python docs/_tools/performance.py charts OUT_DIR     write the charts (SVG) into OUT_DIR

As an MkDocs hook (``hooks:`` in ``properdocs.yml``) it checks the page and
adds the charts to the site as ``img/<name>.svg`` files (``on_files``). Drawing needs
matplotlib; the tables do not.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parents[1]
ROOT = DOCS.parent
RESULTS = ROOT / "benchmarks" / "results.json"
PAGE = DOCS / "performance.md"
BEGIN = "<!-- bench:tables:begin (written by `nox -s bench` from benchmarks/results.json) -->"
END = "<!-- bench:tables:end -->"
OURS, OPENAI = "azure-oai-preview", "openai-python"
COLD_TITLE = "Cold start: fresh process, import, client, first call (issue 16)"
CHART_NAMES = ("performance-cold-start.svg", "performance-steady-state.svg")


def load(path: Path = RESULTS) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------- tables


def _value(row: dict[str, Any]) -> str:
    value = row["seconds"]
    if row.get("unit") == "bytes":
        return f"{value / 2**20:.1f} MiB" if value >= 2**20 else f"{value / 1024:.0f} KiB"
    return f"{value * 1000:.1f} ms"


def _ratio(value: float, reference: float | None, unit: str) -> str:
    if not reference or (unit == "bytes" and max(value, reference) < 2**20):
        return "-"
    return f"{value / reference:.2f}x"


def table_markdown(table: dict[str, Any]) -> str:
    """One results table as Markdown, like the benchmarks print it."""
    baseline = table["baseline"]
    lines = [
        f"### {table['title']}",
        "",
        f"| case | contender | value | vs {OURS} | vs {baseline} | target |",
        "|---|---|---:|---:|---:|---|",
    ]
    cases: dict[str, list[dict[str, Any]]] = {}
    for row in table["rows"]:
        cases.setdefault(row["case"], []).append(row)
    for case, rows in cases.items():
        ours = next((r["seconds"] for r in rows if r["contender"] == OURS), None)
        base = next((r["seconds"] for r in rows if r["contender"] == baseline), None)
        for row in rows:
            unit = row.get("unit", "s")
            target = table["targets"].get(case, "") if row["contender"] == OURS else ""
            cells = [
                case,
                row["contender"],
                _value(row),
                _ratio(row["seconds"], ours, unit),
                _ratio(row["seconds"], base, unit),
                " ".join(p for p in (target, row.get("note", "")) if p),
            ]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def tables_markdown(results: dict[str, Any]) -> str:
    env = results["environment"]
    head = (
        f"Last run: {results['date']}, CPython {env['python']} on {env['system']} "
        f"{env['machine']} ({env['cpus']} CPUs)."
    )
    return "\n\n".join([head, *(table_markdown(t) for t in results["tables"])])


def _with_tables(page: str, results: dict[str, Any]) -> str:
    start, end = page.index(BEGIN) + len(BEGIN), page.index(END)
    return page[:start] + "\n\n" + tables_markdown(results) + "\n\n" + page[end:]


def refresh_page(page: Path = PAGE, results: Path = RESULTS, *, check: bool = False) -> bool:
    """Write the results' tables into the page; True when it changed (or, with ``check``,
    would change)."""
    current = page.read_text(encoding="utf-8")
    wanted = _with_tables(current, load(results))
    if wanted != current and not check:
        page.write_text(wanted, encoding="utf-8")
    return wanted != current


# ---------------------------------------------------------------------------------- charts


def _cold_rows(results: dict[str, Any]) -> dict[str, dict[str, float]]:
    """Area -> contender -> milliseconds, from the cold-start table."""
    table = next(t for t in results["tables"] if t["title"] == COLD_TITLE)
    found: dict[str, dict[str, float]] = {}
    for row in table["rows"]:
        area = row["case"].removeprefix("cold first call: ")
        found.setdefault(area, {})[row["contender"]] = row["seconds"] * 1000
    return found


def _speedups(results: dict[str, Any]) -> dict[str, float]:
    """Steady-state case -> how many times faster than openai-python."""
    found: dict[str, float] = {}
    for table in results["tables"]:
        if table["title"] == COLD_TITLE:
            continue
        by_case: dict[str, dict[str, float]] = {}
        for row in table["rows"]:
            if row.get("unit", "s") == "s":
                by_case.setdefault(row["case"], {})[row["contender"]] = row["seconds"]
        for case, rows in by_case.items():
            if OURS in rows and OPENAI in rows and rows[OURS] > 0:
                found[case] = rows[OPENAI] / rows[OURS]
    return found


def render_charts(results: dict[str, Any], out_dir: Path) -> list[Path]:
    """The charts of the page as SVG files in ``out_dir`` (reproducible bytes)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"svg.hashsalt": "azure-oai-preview", "svg.fonttype": "none"})
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    cold = _cold_rows(results)
    areas = list(cold)
    contenders = [c for c in next(iter(cold.values())) if c not in (OURS, OPENAI)]
    contenders += [OURS, OPENAI]
    fig, ax = plt.subplots(figsize=(8, 4.2))
    height = 0.8 / len(contenders)
    for i, contender in enumerate(contenders):
        ys = [a + i * height for a in range(len(areas))]
        values = [cold[area].get(contender, 0.0) for area in areas]
        ax.barh(ys, values, height=height, label=contender)
    ax.set_yticks([a + 0.4 - height / 2 for a in range(len(areas))], areas)
    ax.invert_yaxis()
    ax.set_xlabel("ms from process start to the first call's result (median)")
    ax.set_title("Cold first call per API area")
    ax.legend(loc="lower right", fontsize="small")
    fig.tight_layout()
    written.append(out_dir / CHART_NAMES[0])
    fig.savefig(written[-1], format="svg", metadata={"Date": None})
    plt.close(fig)

    speedups = _speedups(results)
    fig, ax = plt.subplots(figsize=(8, 3.2))
    cases = list(speedups)
    bars = ax.barh(cases, [speedups[c] for c in cases], color="tab:green")
    ax.bar_label(bars, fmt="%.1fx", padding=3, fontsize="small")
    ax.axvline(1.0, color="grey", linewidth=0.8)
    ax.invert_yaxis()
    ax.set_xlabel("times faster than openai-python on the same bytes (median)")
    ax.set_title("Steady state")
    floor = min(speedups.values(), default=1.0)
    ax.set_xscale("log" if max(speedups.values(), default=1.0) / floor > 20 else "linear")
    fig.tight_layout()
    written.append(out_dir / CHART_NAMES[1])
    fig.savefig(written[-1], format="svg", metadata={"Date": None})
    plt.close(fig)
    return written


# ------------------------------------------------------------------------ MkDocs hook


def on_pre_build(config: Any) -> None:
    if refresh_page(check=True):
        raise SystemExit("docs/performance.md is not benchmarks/results.json: run `nox -s bench`")


def on_files(files: Any, config: Any) -> Any:
    from mkdocs.structure.files import File

    folder = Path(tempfile.mkdtemp(prefix="azure-oai-perf-charts-"))
    render_charts(load(), folder / "img")
    for name in CHART_NAMES:
        files.append(
            File(
                f"img/{name}",
                str(folder),
                config["site_dir"],
                config["use_directory_urls"],
            )
        )
    return files


# ------------------------------------------------------------------------------ command line


def main(argv: list[str]) -> int:
    if argv[:1] == ["tables"]:
        changed = refresh_page(check="--check" in argv)
        if changed and "--check" in argv:
            print("docs/performance.md is out of date: run `nox -s bench`", file=sys.stderr)
            return 1
        return 0
    if argv[:1] == ["charts"] and len(argv) == 2:
        for path in render_charts(load(), Path(argv[1])):
            print(f"wrote {path}")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
