"""MkDocs (ProperDocs) hooks of the documentation site.

- The API reference pages are generated (:mod:`reference_pages`) and put under the nav entry
  ``API reference``; the hand-written pages are listed in the nav by hand, and the strict
  build fails for a page that is not (``validation.nav.omitted_files``).
- ``<!-- include: FILE -->`` alone on a line of a page is replaced by the repository-root file
  ``FILE`` (ARCHITECTURE.md, CHANGELOG.md), its links rewritten for the site: ``docs/x.md`` ->
  ``x.md``; links to other repository files become plain text. A missing file fails the build.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from reference_pages import Page, reference_pages

REFERENCE_NAV = "API reference"
INCLUDE = re.compile(r"^<!-- include: (?P<file>[^ ]+) -->$", re.MULTILINE)
LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]+)\)")

_pages: list[Page] = []


def on_config(config: Any) -> Any:
    _pages[:] = reference_pages()
    for entry in config.nav:
        if isinstance(entry, dict) and REFERENCE_NAV in entry:
            entry[REFERENCE_NAV] = _reference_nav(_pages)
            return config
    raise ValueError(f"the nav has no {REFERENCE_NAV!r} entry for the generated reference")


def _reference_nav(pages: list[Page]) -> list[Any]:
    nav: list[Any] = []
    sections: dict[str, list[Any]] = {}
    for page in pages:
        folder = page.path.split("/")[1] if page.path.count("/") > 1 else None
        if folder is None:
            nav.append({page.title: page.path})
            continue
        if folder not in sections:
            sections[folder] = []
            nav.append({folder.capitalize(): sections[folder]})
        sections[folder].append({page.title: page.path})
    return nav


def on_files(files: Any, config: Any) -> Any:
    from mkdocs.structure.files import File

    for page in _pages:
        files.append(File.generated(config, page.path, content=page.markdown))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, **kwargs: Any) -> str:
    root = Path(config["config_file_path"]).parent
    return INCLUDE.sub(lambda match: _included(root, match.group("file")), markdown)


def _included(root: Path, name: str) -> str:
    path = root / name
    if not path.is_file():
        raise FileNotFoundError(f"<!-- include: {name} -->: {path} does not exist")
    return LINK.sub(_site_link, path.read_text(encoding="utf-8"))


def _site_link(match: re.Match[str]) -> str:
    text, target = match.group("text"), match.group("target")
    if re.match(r"^[a-z]+:", target) or target.startswith("#"):
        return match.group(0)
    if target.startswith("docs/"):
        return f"[{text}]({target.removeprefix('docs/')})"
    return text
