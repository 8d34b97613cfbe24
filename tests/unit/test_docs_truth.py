"""The README and guides stay true: every declared spec transform is listed, links resolve."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from codegen import transforms

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_VERSION = "2024-05-01-preview"


def test_readme_lists_exactly_the_declared_transforms() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Spec transforms", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"^- `([a-z0-9-]+)`:", section, flags=re.MULTILINE))
    declared = {t.name for t in transforms.load(DEFAULT_VERSION)}
    declared |= {t.name for t in transforms.load(DEFAULT_VERSION, document="authoring")}
    assert listed == declared, f"README misses {declared - listed}, lists stale {listed - declared}"


@pytest.mark.parametrize(
    "page",
    [
        "README.md",
        "docs/guide.md",
        "docs/assistants.md",
        "docs/testing.md",
        "docs/codegen.md",
        "docs/contract-tests.md",
        "docs/reliability.md",
    ],
)
def test_relative_links_resolve(page: str) -> None:
    path = ROOT / page
    text = path.read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", text)
    missing = [t for t in targets if not (path.parent / t).exists()]
    assert not missing, f"{page} links to missing files: {missing}"


def test_readme_commands_match_ci() -> None:
    """The README's test command is what .ci/run executes."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "nox -t ci" in readme
    assert "nox --non-interactive -t ci" in ci
