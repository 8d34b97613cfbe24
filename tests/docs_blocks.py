"""The Python code blocks of the README and the docs pages, for the checks that run them and
type-check them.

A block is a fenced ```` ```python ```` block (indented ones inside list items too). Every block
is run against the emulator (``tests/unit/test_docs_snippets.py``) and type-checked by pyright,
strict (``tests/typing/doc_snippets.py``, in ``nox -s typecheck``). A block that cannot take one
of the checks opts out of it, visibly, with an HTML comment on the line just above its fence:
what it skips, then the reason::

    <!-- snippet: no-run (needs a service at a newer api-version) -->
    <!-- snippet: no-typecheck (a contract-suite test: its fixtures are pytest's) -->
    <!-- snippet: no-run no-typecheck (openai-python's code, shown for comparison) -->

A comment that starts ``<!-- snippet:`` but is not one of these is an error, so a misspelt
opt-out never passes silently.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n`]*)$")
OPT_OUTS = ("no-run", "no-typecheck")
MARKER = re.compile(
    r"^[ \t]*<!--\s*snippet:\s*(?P<what>[a-z -]+?)\s*\((?P<reason>.*\S.*)\)\s*-->[ \t]*$"
)
_MARKER_START = re.compile(r"^[ \t]*<!--\s*snippet:")


class MarkerError(ValueError):
    """A ``<!-- snippet: ... -->`` comment that is not a valid opt-out."""


@dataclass(frozen=True)
class Block:
    path: Path
    line: int
    """1-based line of the block's first code line in its file."""
    code: str
    opt_outs: frozenset[str]
    """The checks the block skips: ``"no-run"``, ``"no-typecheck"`` (empty: it takes both)."""
    reason: str | None
    """Why it skips them (its marker's reason), or None."""

    @property
    def name(self) -> str:
        shown = self.path.relative_to(ROOT) if self.path.is_relative_to(ROOT) else self.path
        return f"{shown}:{self.line}"

    @property
    def runs(self) -> bool:
        return "no-run" not in self.opt_outs

    @property
    def type_checked(self) -> bool:
        return "no-typecheck" not in self.opt_outs

    def compiled_source(self) -> str:
        """The code, padded so that tracebacks give the line numbers of the Markdown file."""
        return "\n" * (self.line - 1) + self.code


def doc_pages() -> list[Path]:
    """README.md and every Markdown page under docs/, in a stable order."""
    pages = sorted(p for p in (ROOT / "docs").rglob("*.md") if "_tools" not in p.parts)
    return [ROOT / "README.md", *pages]


def python_blocks(path: Path) -> list[Block]:
    """The ```` ```python ```` blocks of one Markdown file, in order, with their opt-outs.

    Raises :class:`MarkerError` for a ``<!-- snippet: -->`` comment that does not parse, or
    that is not right above a python block.
    """
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    marker: tuple[frozenset[str], str] | None = None  # the opt-out of the line above
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if opening is None:
            if marker is not None:
                raise _misplaced(path, index)
            marker = _marker(path, index, lines[index])
            index += 1
            continue
        fence, indent = opening.group("fence"), opening.group("indent")
        end = index + 1
        while end < len(lines) and not _closes(lines[end], fence):
            end += 1
        if _is_python(opening):
            body = [line.removeprefix(indent) for line in lines[index + 1 : end]]
            blocks.append(
                Block(
                    path=path,
                    line=index + 2,
                    code=textwrap.dedent("\n".join(body)) + "\n",
                    opt_outs=marker[0] if marker else frozenset(),
                    reason=marker[1] if marker else None,
                )
            )
        elif marker is not None:
            raise _misplaced(path, index)
        marker = None
        index = end + 1
    if marker is not None:
        raise _misplaced(path, len(lines))
    return blocks


def _misplaced(path: Path, marker_line: int) -> MarkerError:
    return MarkerError(
        f"{path}:{marker_line}: a snippet opt-out must be right above a python block"
    )


def _is_python(opening: re.Match[str]) -> bool:
    return opening.group("info").strip().split(" ", 1)[0].lower() in ("python", "py")


def _marker(path: Path, index: int, line: str) -> tuple[frozenset[str], str] | None:
    """The opt-out declared on ``line`` (0-based ``index``), or None when it declares none."""
    if not _MARKER_START.match(line):
        return None
    found = MARKER.match(line)
    what = found.group("what").split() if found else []
    if found is None or not what or not set(what) <= set(OPT_OUTS) or len(set(what)) < len(what):
        raise MarkerError(
            f"{path}:{index + 1}: not a snippet opt-out; write <!-- snippet: no-run (the reason) -->,"
            " no-typecheck, or no-run no-typecheck"
        )
    return frozenset(what), found.group("reason").strip()


def _closes(line: str, fence: str) -> bool:
    stripped = line.strip()
    return stripped.startswith(fence[0] * len(fence)) and not stripped.strip(fence[0])
