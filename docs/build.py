"""Build the docs site: the guides (Markdown, copied as is) and the API reference (pdoc).

    python docs/build.py OUT_DIR

Fails when a guide links to a missing file, or when pdoc cannot import or render the
public API (a broken docstring or a name that does not resolve).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import performance  # docs/performance.py: the page's tables and charts

DOCS = Path(__file__).parent
ROOT = DOCS.parent
GUIDES = [
    "guide.md",
    "assistants.md",
    "testing.md",
    "codegen.md",
    "contract-tests.md",
    "performance.md",
]
LINK = re.compile(r"\]\(([^)#:]+)(?:#[^)]*)?\)")


def check_links(page: Path, out: Path) -> list[str]:
    broken = []
    for target in LINK.findall(page.read_text(encoding="utf-8")):
        # Generated files (the performance charts) exist in the output only.
        if not (page.parent / target).exists() and not (out / target).exists():
            broken.append(f"{page.name}: link to missing {target}")
    return broken


def main(out: Path) -> None:
    pages = [DOCS / name for name in GUIDES] + [ROOT / "README.md"]
    if performance.refresh_page(check=True):
        sys.exit("docs: docs/performance.md is not benchmarks/results.json: run `nox -s bench`")
    out.mkdir(parents=True, exist_ok=True)
    performance.render_charts(performance.load(), out / "img")
    missing = [str(p) for p in pages if not p.exists()]
    broken = [problem for page in pages if page.exists() for problem in check_links(page, out)]
    if missing or broken:
        sys.exit("docs: " + "; ".join(missing + broken))
    for page in pages:
        shutil.copy(page, out / page.name)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pdoc",
            "--docformat",
            "restructuredtext",
            "-o",
            str(out / "reference"),
            "azure_oai_preview",
        ],
        check=True,
    )
    print(f"docs: {len(pages)} guides and the API reference written to {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
