"""docs/testing.md stays true: its Python examples run, in order, against the emulator."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from azure_oai_preview.testing import Emulator

PAGE = Path(__file__).resolve().parents[2] / "docs" / "testing.md"


def _blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.DOTALL)


def test_examples_run() -> None:
    namespace: dict[str, Any] = {"__name__": "docs_testing"}
    blocks = _blocks()
    assert len(blocks) >= 6
    for index, block in enumerate(blocks):
        exec(compile(block, f"{PAGE}#block{index}", "exec"), namespace)
    # the fixture examples define tests: run them with fresh emulators, as the fixture would
    namespace["test_summary_uses_the_model"](Emulator())
    marker = namespace["test_with_options"].pytestmark[0]
    namespace["test_with_options"](Emulator(**marker.kwargs))
    assert isinstance(namespace["emulator"], Emulator)


def test_readme_example_runs() -> None:
    readme = (PAGE.parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Test your app without a live resource", 1)[1]
    block = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert block is not None
    namespace: dict[str, Any] = {}
    exec(compile(block.group(1), "README.md", "exec"), namespace)
    assert namespace["reply"].choices[0].message.content == "Paris."


@pytest.mark.parametrize("name", ["default_reply", "Emulator", "Reply", "ToolCall", "Deployment"])
def test_documented_names_are_exported(name: str) -> None:
    import azure_oai_preview.testing as testing

    assert name in testing.__all__
    assert getattr(testing, name) is not None
