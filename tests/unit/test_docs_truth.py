"""The README and guides stay true: every declared spec transform is listed, links resolve."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from codegen import transforms
from codegen.pins import document_pin
from tests.docs_blocks import doc_pages
from tests.versions import ALL_VERSIONS

ROOT = Path(__file__).resolve().parents[2]


def test_readme_lists_exactly_the_declared_transforms() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Spec transforms", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"^- `([a-z0-9-]+)`:", section, flags=re.MULTILINE))
    # Every transform a pinned version declares (docs/codegen.md's table says which versions
    # each applies to), so that moving the default keeps the list true.
    declared: set[str] = set()
    for version in ALL_VERSIONS:
        declared |= {t.name for t in transforms.load(version)}
        authoring = document_pin(version, "authoring")  # a reused document: its own pin's
        if authoring is not None:
            declared |= {
                t.name for t in transforms.load(authoring.api_version, document="authoring")
            }
    assert listed == declared, f"README misses {declared - listed}, lists stale {listed - declared}"


@pytest.mark.parametrize("page", [str(p.relative_to(ROOT)) for p in doc_pages()])
def test_relative_links_resolve(page: str) -> None:
    path = ROOT / page
    text = re.sub(r"^```.*?^```", "", path.read_text(encoding="utf-8"), flags=re.M | re.S)
    targets = re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", text)
    # The API reference pages and the performance charts are generated at build time; the
    # strict site build and tests/docs check links to them (and every anchor).
    generated = ("reference/", "img/performance-")
    missing = [
        t
        for t in targets
        if not (path.parent / t).exists()
        and not (page.startswith("docs/") and t.startswith(generated))
    ]
    assert not missing, f"{page} links to missing files: {missing}"


def test_readme_commands_match_ci() -> None:
    """The README's test command is what .ci/run executes."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "nox -t ci" in readme
    assert "nox --non-interactive -t ci" in ci
