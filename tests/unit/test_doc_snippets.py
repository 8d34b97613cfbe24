"""The docs' snippet extraction that ``nox -s typecheck`` runs pyright on (tests/typing/doc_snippets.py)."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "doc_snippets", ROOT / "tests" / "typing" / "doc_snippets.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["doc_snippets"] = module
    spec.loader.exec_module(module)
    return module


snippets = _load()


def test_every_python_block_of_every_page_is_found() -> None:
    pages = snippets.pages()
    assert ROOT / "README.md" in pages
    assert ROOT / "docs" / "guide.md" in pages
    for page in pages:
        fences = re.findall(r"^[ \t]*```python[ \t]*$", page.read_text(encoding="utf-8"), re.M)
        assert len(snippets.extract(page)) == len(fences), page


def test_opting_out_needs_a_visible_reason(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "```python\n# not type-checked: needs pytest fixtures\nx = fixture\n```\n"
        "```python\n# not type-checked:\ny = 1\n```\n"
        "```python\n# no reason given here\nz = 2\n```\n",
        encoding="utf-8",
    )
    found = snippets.extract(page)
    assert [s.skip_reason for s in found] == ["needs pytest fixtures", None, None]
    for page_ in snippets.pages():
        for snippet in snippets.extract(page_):
            assert snippet.skip_reason is None or snippet.skip_reason.strip()


def test_indented_blocks_and_top_level_await(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "- an item:\n\n  ```python\n  reply = await call()\n  print(reply)\n  ```\n"
        "```python\nx = 1\n```\n",
        encoding="utf-8",
    )
    first, second = snippets.extract(page)
    assert (first.line, first.code, first.is_async) == (
        4,
        "reply = await call()\nprint(reply)\n",
        True,
    )
    assert (second.line, second.is_async) == (8, False)

    made = snippets.program(page, [first, second])
    lines = made.text.splitlines()
    assert "async def snippet_0() -> None:" in lines
    assert "    reply = await call()" in lines
    number = lines.index("    reply = await call()") + 1
    assert made.lines[number] == (page, 4)
    assert made.lines[lines.index("x = 1") + 1] == (page, 8)


@pytest.mark.parametrize("page", ["README.md", "docs/guide.md", "docs/assistants.md"])
def test_the_pages_form_programs_that_compile(page: str) -> None:
    path = ROOT / page
    made = snippets.program(path, snippets.extract(path))
    compile(made.text, page, "exec")
