"""The Python code blocks of the README and the docs pages, for the tests that run or check them.

A block is a fenced ```` ```python ```` block (indented ones inside list items too). A block that
cannot run - one that needs a real Azure resource, say - is opted out, visibly, by an HTML
comment on the line just above its fence, with the reason::

    <!-- snippet: no-run (needs a real Azure resource and a login) -->

``tests/unit/test_docs_snippets.py`` runs every other block; other checks (a type checker over
the snippets, say) can use :func:`python_blocks` too.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n`]*)$")
NO_RUN = re.compile(r"^[ \t]*<!--\s*snippet:\s*no-run\s*\((?P<reason>[^)]+)\)\s*-->[ \t]*$")


@dataclass(frozen=True)
class Block:
    path: Path
    line: int
    """1-based line of the block's first code line in its file."""
    code: str
    skip_reason: str | None
    """Why the block is not run (its ``no-run`` marker), or None."""

    @property
    def name(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"

    def compiled_source(self) -> str:
        """The code, padded so that tracebacks give the line numbers of the Markdown file."""
        return "\n" * (self.line - 1) + self.code


def doc_pages() -> list[Path]:
    """README.md and every Markdown page under docs/, in a stable order."""
    pages = sorted(p for p in (ROOT / "docs").rglob("*.md") if "_tools" not in p.parts)
    return [ROOT / "README.md", *pages]


def python_blocks(path: Path) -> list[Block]:
    """The ```` ```python ```` blocks of one Markdown file, in order."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if opening is None:
            index += 1
            continue
        fence, indent = opening.group("fence"), opening.group("indent")
        language = opening.group("info").strip().split(" ", 1)[0].lower()
        end = index + 1
        while end < len(lines) and not _closes(lines[end], fence):
            end += 1
        if language in ("python", "py"):
            body = [line.removeprefix(indent) for line in lines[index + 1 : end]]
            previous = lines[index - 1] if index else ""
            marker = NO_RUN.match(previous)
            blocks.append(
                Block(
                    path=path,
                    line=index + 2,
                    code=textwrap.dedent("\n".join(body)) + "\n",
                    skip_reason=marker.group("reason").strip() if marker else None,
                )
            )
        index = end + 1
    return blocks


def _closes(line: str, fence: str) -> bool:
    stripped = line.strip()
    return stripped.startswith(fence[0] * len(fence)) and not stripped.strip(fence[0])
