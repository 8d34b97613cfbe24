"""The docs' block extraction (tests/docs_blocks.py) that the snippet runner and the snippet type
check share: every block found, indented ones dedented, opt-outs read and misspelt ones refused."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.docs_blocks import ROOT, MarkerError, doc_pages, python_blocks


def test_every_python_block_of_every_page_is_found() -> None:
    pages = doc_pages()
    assert ROOT / "README.md" in pages
    assert ROOT / "docs" / "guide.md" in pages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        fences = re.findall(r"^[ \t]*```(?:python|py)[ \t]*$", text, re.M)
        assert len(python_blocks(page)) == len(fences), page


def test_opting_out_needs_a_visible_reason(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "<!-- snippet: no-typecheck (needs pytest fixtures) -->\n```python\nx = fixture\n```\n"
        "<!-- snippet: no-run (needs a live service) -->\n```python\ny = 1\n```\n"
        "<!-- snippet: no-run no-typecheck (another library's code) -->\n```py\nz = 2\n```\n"
        "```python\n# no marker: both checks\nw = 3\n```\n",
        encoding="utf-8",
    )
    found = python_blocks(page)
    assert [(b.runs, b.type_checked, b.reason) for b in found] == [
        (True, False, "needs pytest fixtures"),
        (False, True, "needs a live service"),
        (False, False, "another library's code"),
        (True, True, None),
    ]
    for page_ in doc_pages():
        for block in python_blocks(page_):
            assert not block.opt_outs or (block.reason or "").strip()


@pytest.mark.parametrize(
    "marker",
    [
        "<!-- snippet: no-typecheck () -->",  # no reason
        "<!-- snippet: no-typecheck -->",
        "<!-- snippet: no-tpyecheck (a typo) -->",
        "<!-- snippet: no-run no-run (twice) -->",
        "<!-- snippet: skip (not an opt-out) -->",
    ],
)
def test_a_malformed_opt_out_is_an_error(tmp_path: Path, marker: str) -> None:
    page = tmp_path / "page.md"
    page.write_text(f"{marker}\n```python\nx = 1\n```\n", encoding="utf-8")
    with pytest.raises(MarkerError, match="not a snippet opt-out"):
        python_blocks(page)


@pytest.mark.parametrize(
    "text",
    [
        "<!-- snippet: no-run (a reason) -->\n\n```python\nx = 1\n```\n",  # a blank line between
        "<!-- snippet: no-run (a reason) -->\n```bash\nls\n```\n",  # not a python block
        "text\n<!-- snippet: no-run (a reason) -->\n",  # at the end
    ],
)
def test_an_opt_out_must_sit_right_above_a_python_block(tmp_path: Path, text: str) -> None:
    page = tmp_path / "page.md"
    page.write_text(text, encoding="utf-8")
    with pytest.raises(MarkerError, match="right above a python block"):
        python_blocks(page)


def test_indented_blocks_are_dedented_and_keep_their_page_lines(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "- an item:\n\n  ```python\n  reply = await call()\n  print(reply)\n  ```\n"
        "```python\nx = 1\n```\n"
        "~~~~python\ny = 2\n~~~~\n",
        encoding="utf-8",
    )
    first, second, third = python_blocks(page)
    assert (first.line, first.code) == (4, "reply = await call()\nprint(reply)\n")
    assert (second.line, second.code) == (8, "x = 1\n")
    assert (third.line, third.code) == (11, "y = 2\n")
    assert third.compiled_source().splitlines()[10] == "y = 2"  # tracebacks give page lines
