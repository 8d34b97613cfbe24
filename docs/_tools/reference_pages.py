"""The API reference pages, generated from the code at build time.

Nothing here lists the API by hand: the public names come from ``azure_oai_preview.__all__``
(grouped by the module that defines them), the resource pages from walking a client's resource
tree (every cached property that returns a resource, down to the leaves), the testing page from
``azure_oai_preview.testing.__all__`` and the model pages from :func:`model_areas.model_areas`.
A new module, resource, method or model gets its place without an edit; :data:`GROUPS` only
chooses titles and which facade modules share a page.
"""

from __future__ import annotations

import functools
import inspect
from dataclasses import dataclass
from typing import Any

from model_areas import area_title, model_areas

PACKAGE = "azure_oai_preview"

GROUPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "clients": ("Clients", ("_client",)),
    "errors": ("Errors and warnings", ("_exceptions",)),
    "options": ("Per-call options", ("_options",)),
    "results": (
        "Results: pages, streams, raw responses",
        (
            "_raw",
            "_pagination",
            "_streaming",
            "_chat_stream",
            "_assistant_stream",
            "_binary",
            "_files",
            "_deviations",
        ),
    ),
}
"""Reference pages of the facade: ``{slug: (title, facade modules)}``. A facade module not
listed here gets a page of its own, titled by its docstring's first line."""

CLIENT_OPTIONS = {"inherited_members": True, "show_bases": False}
RESOURCE_OPTIONS = {
    "show_bases": False,
    "merge_init_into_class": False,  # users never build a resource: no constructor shown
    "summary": {"functions": True, "attributes": True},
}


@dataclass(frozen=True)
class Page:
    path: str
    """Relative to the docs directory, e.g. ``reference/clients.md``."""
    title: str
    markdown: str


@dataclass(frozen=True)
class ResourceNode:
    path: str
    """How users reach it: ``client.threads.runs``."""
    cls: type[Any]
    methods: tuple[str, ...]

    @property
    def identifier(self) -> str:
        return f"{self.cls.__module__}.{self.cls.__qualname__}"


def reference_pages() -> list[Page]:
    """Every page of the API reference, the overview first."""
    facade = _facade_pages()
    resources = _resource_pages()
    models = _model_pages()
    testing = Page("reference/testing.md", "Testing (emulator)", _testing_markdown())
    index = Page("reference/index.md", "Overview", _index_markdown(facade, resources, models))
    return [index, *facade, *resources, testing, *models]


def _directive(identifier: str, heading_level: int = 2, **options: Any) -> str:
    lines = [f"::: {identifier}"]
    options = {"heading_level": heading_level, **options}
    lines.append("    options:")
    for name, value in options.items():
        lines.append(f"      {name}: {_yaml(value)}")
    return "\n".join(lines) + "\n"


def _yaml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_yaml(v)}" for k, v in value.items()) + "}"
    if isinstance(value, str):
        return '"' + value.replace('"', '\\"') + '"'
    return str(value)


# -- the facade ------------------------------------------------------------------------------------


def facade_modules() -> dict[str, list[str]]:
    """``{facade module: its public names}``, in the facade's own order."""
    import azure_oai_preview

    by_module: dict[str, list[str]] = {}
    for name, module in azure_oai_preview._export_map().items():
        if name != "models":
            by_module.setdefault(module.lstrip("."), []).append(name)
    return by_module


def _facade_pages() -> list[Page]:
    import importlib

    modules = facade_modules()
    grouped = {m for _, members in GROUPS.values() for m in members}
    groups = dict(GROUPS)
    for module in modules:
        if module not in grouped:
            doc = inspect.getdoc(importlib.import_module(f"{PACKAGE}.{module}")) or module
            groups[module.strip("_")] = (doc.splitlines()[0].rstrip("."), (module,))
    pages = []
    for slug, (title, members) in groups.items():
        parts = [f"# {title}\n"]
        for module in members:
            for name in sorted(modules.get(module, []), key=_source_order):
                options = CLIENT_OPTIONS if module == "_client" else {}
                # The defining module's path: griffe does not see every facade alias (names
                # a module defines under TYPE_CHECKING, say); headings show the bare name.
                parts.append(_directive(f"{PACKAGE}.{module}.{name}", **options))
        if len(parts) > 1:
            pages.append(Page(f"reference/{slug}.md", title, "\n".join(parts)))
    return pages


def _source_order(name: str) -> tuple[int, int]:
    """Classes and functions in the order of their source (base classes first), then the rest."""
    import azure_oai_preview

    obj = getattr(azure_oai_preview, name)
    try:
        return (0, inspect.getsourcelines(obj)[1])
    except (TypeError, OSError):
        return (1, 0)


# -- resources -------------------------------------------------------------------------------------


def resource_tree() -> list[ResourceNode]:
    """Every resource users reach from a client, depth first in definition order."""
    from azure_oai_preview import AzureOpenAI
    from azure_oai_preview._resource import Method, Resource

    nodes: list[ResourceNode] = []

    def walk(obj: Any, path: str) -> None:
        for name, attribute in _class_attributes(type(obj)):
            if name.startswith("_") or not isinstance(attribute, functools.cached_property):
                continue
            child = getattr(obj, name)
            if isinstance(child, Resource):
                cls = type(child)
                methods = tuple(n for n, a in _class_attributes(cls) if isinstance(a, Method))
                nodes.append(ResourceNode(f"{path}.{name}", cls, methods))
                walk(child, f"{path}.{name}")

    # Never sends anything: only the resource objects are built.
    with AzureOpenAI(endpoint="https://docs.invalid", api_key="docs") as client:
        walk(client, "client")
    return nodes


def _class_attributes(cls: type[Any]) -> list[tuple[str, Any]]:
    seen: dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        seen.update(vars(klass))
    return list(seen.items())


def _resource_pages() -> list[Page]:
    pages: list[Page] = []
    documented: set[type[Any]] = set()
    for node in resource_tree():
        top = node.path.split(".")[1]
        if node.path.count(".") == 1:
            pages.append(Page(f"reference/resources/{top}.md", node.path, _resource_intro(node)))
        page = next(p for p in pages if p.path == f"reference/resources/{top}.md")
        if node.cls in documented:
            text = f"\n`{node.path}` is [`{node.cls.__name__}`][{node.identifier}] too.\n"
        else:
            documented.add(node.cls)
            text = "\n" + _directive(
                node.identifier, heading=node.path, toc_label=node.path, **RESOURCE_OPTIONS
            )
        pages[pages.index(page)] = Page(page.path, page.title, page.markdown + text)
    return pages


def _resource_intro(node: ResourceNode) -> str:
    return (
        f"# `{node.path}`\n\n"
        "The same methods exist on `AsyncAzureOpenAI` (awaited; streams and pages are their "
        "async variants) and under `client.with_raw_response` (a "
        "[`RawResponse`][azure_oai_preview._raw.RawResponse] around the result; polling helpers "
        "return their result as is). Keyword arguments are checked against the spec before "
        "anything is sent ([`InvalidRequestError`][azure_oai_preview._exceptions.InvalidRequestError]).\n"
    )


# -- testing and models ----------------------------------------------------------------------------


def _testing_markdown() -> str:
    import azure_oai_preview.testing as testing

    parts = [
        "# Testing: `azure_oai_preview.testing`\n",
        "The emulator and its parts; the guide is [Testing your app](../testing.md).\n",
    ]
    parts += [_directive(f"{PACKAGE}.testing.{name}") for name in testing.__all__]
    return "\n".join(parts)


def _model_pages() -> list[Page]:
    pages = []
    for area, names in model_areas().items():
        title = area_title(area)
        parts = [
            f"# Models: {title}\n",
            "Import them from `azure_oai_preview.models`. Response models keep unknown fields "
            "(`model_extra`) and unknown enum values; the `...Param` TypedDicts type the "
            "dicts that request arguments accept.\n",
        ]
        parts += [_directive(f"{PACKAGE}.models.{name}") for name in names]
        pages.append(Page(f"reference/models/{area}.md", title, "\n".join(parts)))
    return pages


def _index_markdown(facade: list[Page], resources: list[Page], models: list[Page]) -> str:
    lines = [
        "# API reference\n",
        "Generated from the code: every public name of `azure_oai_preview`, every resource "
        "method with its full keyword arguments, and the generated models by API area.\n",
        "## Resources\n",
        "| reached as | class | methods |",
        "|---|---|---|",
    ]
    for node in resource_tree():
        methods = ", ".join(f"[`{m}`][{node.identifier}.{m}]" for m in node.methods) or "-"
        lines.append(f"| `{node.path}` | [`{node.cls.__name__}`][{node.identifier}] | {methods} |")
    lines += ["", "## Pages\n"]
    lines += [f"- [{p.title}]({p.path.removeprefix('reference/')})" for p in facade + resources]
    lines.append("- [Testing (emulator)](testing.md)")
    lines += ["", "## Models by API area\n"]
    lines += [f"- [{p.title}]({p.path.removeprefix('reference/')})" for p in models]
    return "\n".join(lines) + "\n"
