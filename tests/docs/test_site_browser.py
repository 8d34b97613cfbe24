"""The built site in a real browser: every page renders, the nav reaches it, no link is broken.

The site is served from 127.0.0.1 by a thread of this process, and crawled with headless
Chromium (the distribution's package, driven by Playwright; no browser is ever downloaded):
from the home page, every internal page any page links to is opened. On each page:

- no console error, no uncaught exception, no failed request, and no request to another host
  (the site must work offline: such requests are blocked and reported);
- an ``<h1>``;
- every internal link leads to an existing page or file, and its ``#anchor`` to an element of
  that page.

Across the site, the primary navigation of the pages together reaches every page of the site.
Without Chromium the tests are skipped with a message saying how to get it.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urlsplit

import pytest

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class Visit:
    url: str
    status: int | None = None
    problems: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)
    nav: set[str] = field(default_factory=set)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _chromium() -> str:
    binary = (
        os.environ.get("DOCS_CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )
    if not binary:
        pytest.skip(
            "browser check skipped: Chromium is not installed (as root, `apt-get install -y "
            "chromium`; `nox -s docs` does it when it can)"
        )
    return binary


@pytest.fixture(scope="module")
def visits(base_url: str, site: Path) -> dict[str, Visit]:
    binary = _chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=binary, args=CHROMIUM_ARGS)
        try:
            return _crawl(browser, base_url, site)
        finally:
            browser.close()


def _page_url(url: str) -> str:
    """``http://h/a/index.html#x`` -> ``http://h/a/``: one key per page."""
    url = urldefrag(url).url
    return url.removesuffix("index.html")


def _crawl(browser: Any, base_url: str, site: Path) -> dict[str, Visit]:
    context = browser.new_context(user_agent="docs-check", service_workers="block")
    outside: list[str] = []

    def route(route: Any) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:  # the site must not need the network
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    current: list[Visit] = []
    page.on(
        "console", lambda m: m.type == "error" and current[-1].problems.append(f"console: {m.text}")
    )
    page.on("pageerror", lambda e: current[-1].problems.append(f"uncaught: {e}"))
    page.on("requestfailed", lambda r: current[-1].problems.append(f"request failed: {r.url}"))

    visits: dict[str, Visit] = {}
    queue = [f"{base_url}/"]
    while queue:
        url = queue.pop(0)
        if url in visits:
            continue
        visit = visits[url] = Visit(url)
        current.append(visit)
        outside.clear()
        response = page.goto(url, wait_until="load")
        visit.status = response.status if response is not None else None
        if visit.status != 200:
            continue
        page.wait_for_load_state("networkidle")
        visit.problems += [f"request to another host: {u}" for u in outside]
        if page.locator("h1").count() == 0:
            visit.problems.append("no <h1>")
        visit.ids = set(page.eval_on_selector_all("[id]", "els => els.map(e => e.id)"))
        visit.links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        visit.nav = {
            _page_url(href)
            for href in page.eval_on_selector_all(
                "nav.md-nav--primary a.md-nav__link[href]", "els => els.map(e => e.href)"
            )
        }
        for link in visit.links:
            target = _page_url(link)
            if (
                target.startswith(base_url)
                and _is_page(site, target, base_url)
                and target not in visits
            ):
                queue.append(target)
    context.close()
    return visits


def _site_path(site: Path, url: str, base_url: str) -> Path:
    return site / urlsplit(url).path.lstrip("/")


def _is_page(site: Path, url: str, base_url: str) -> bool:
    path = _site_path(site, url, base_url)
    return url.endswith("/") and (path / "index.html").is_file()


def _all_pages(site: Path, base_url: str) -> set[str]:
    pages = set()
    for index in site.rglob("index.html"):
        relative = index.parent.relative_to(site).as_posix()
        pages.add(f"{base_url}/" if relative == "." else f"{base_url}/{relative}/")
    return pages


def test_every_page_renders_cleanly(visits: dict[str, Visit]) -> None:
    broken = {
        url: v.problems or [f"HTTP {v.status}"]
        for url, v in visits.items()
        if v.problems or v.status != 200
    }
    assert not broken, broken
    assert len(visits) >= 20, f"only {len(visits)} pages crawled"


def test_navigation_reaches_every_page(visits: dict[str, Visit], site: Path, base_url: str) -> None:
    reached = set().union(*(v.nav for v in visits.values())) | {f"{base_url}/"}
    missing = sorted(_all_pages(site, base_url) - reached)
    assert not missing, f"pages the navigation does not reach: {missing}"


def test_internal_links_and_anchors_resolve(
    visits: dict[str, Visit], site: Path, base_url: str
) -> None:
    broken: list[str] = []
    checked = 0
    for visit in visits.values():
        for link in visit.links:
            if not link.startswith(base_url):
                continue
            checked += 1
            target, fragment = urldefrag(link)
            fragment = unquote(fragment)
            page = _page_url(target)
            if page in visits:
                if fragment and fragment not in visits[page].ids:
                    broken.append(f"{visit.url} -> {link}: no #{fragment} there")
            elif not _site_path(site, target, base_url).is_file():
                broken.append(f"{visit.url} -> {link}: no such page or file")
    assert not broken, "\n".join(broken)
    assert checked > 100
