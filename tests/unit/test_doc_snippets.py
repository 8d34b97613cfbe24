"""The programs ``nox -s typecheck`` runs pyright on (tests/typing/doc_snippets.py): a page's
type-checked blocks in order, async blocks wrapped, every line traced back to the page."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.docs_blocks import ROOT, python_blocks
from tests.typing import doc_snippets as snippets


def _page(folder: Path, text: str) -> Path:
    page = folder / "page.md"
    page.write_text(text, encoding="utf-8")
    return page


def test_indented_blocks_and_top_level_await(tmp_path: Path) -> None:
    page = _page(
        tmp_path,
        "- an item:\n\n  ```python\n  reply = await call()\n  print(reply)\n  ```\n"
        "```python\nx = 1\n```\n",
    )
    first, second = python_blocks(page)
    assert (first.line, first.code, snippets.is_async(first)) == (
        4,
        "reply = await call()\nprint(reply)\n",
        True,
    )
    assert (second.line, snippets.is_async(second)) == (8, False)

    made = snippets.program(page, [first, second])
    lines = made.text.splitlines()
    assert "async def snippet_0() -> None:" in lines
    assert "    reply = await call()" in lines
    number = lines.index("    reply = await call()") + 1
    assert made.lines[number] == (page, 4)
    assert made.lines[lines.index("x = 1") + 1] == (page, 8)


def test_blocks_that_opt_out_of_the_type_check_are_left_out(tmp_path: Path) -> None:
    page = _page(
        tmp_path,
        "<!-- snippet: no-typecheck (needs pytest fixtures) -->\n```python\nskipped = fixture\n```\n"
        "<!-- snippet: no-run (needs a live service) -->\n```python\nchecked = 1\n```\n",
    )
    lines = snippets.program(page, python_blocks(page)).text.splitlines()
    assert "skipped = fixture" not in lines
    assert "checked = 1" in lines  # not run, but type-checked


@pytest.mark.parametrize("page", ["README.md", "docs/guide.md", "docs/assistants.md"])
def test_the_pages_form_programs_that_compile(page: str) -> None:
    path = ROOT / page
    made = snippets.program(path, python_blocks(path))
    compile(made.text, page, "exec")
