"""The API reference covers the public API, and shows resource methods as users call them.

Coverage is read from the built site (the ids of its headings); signatures from griffe with
the site's extension, compared with what Python itself says about each method at run time.
"""

from __future__ import annotations

import importlib
import inspect
import re
from functools import cache
from pathlib import Path
from typing import Any

import griffe
import pytest
from griffe_resources import ResourceMethods
from model_areas import model_areas
from reference_pages import ResourceNode, facade_modules, resource_tree

from azure_oai_preview._resource import Method

ROOT = Path(__file__).resolve().parents[2]
ID = re.compile(r'\bid="([^"]+)"')


@cache
def _ids(site: Path, page: str) -> frozenset[str]:
    return frozenset(ID.findall((site / page / "index.html").read_text(encoding="utf-8")))


def _reference_ids(site: Path) -> set[str]:
    found: set[str] = set()
    for html in (site / "reference").rglob("index.html"):
        found |= set(ID.findall(html.read_text(encoding="utf-8")))
    return found


def test_every_public_name_is_documented(site: Path) -> None:
    ids = _reference_ids(site)
    expected = {
        f"azure_oai_preview.{module}.{name}"
        for module, names in facade_modules().items()
        for name in names
    }
    import azure_oai_preview.testing as testing

    expected |= {f"azure_oai_preview.testing.{name}" for name in testing.__all__}
    assert expected - ids == set()
    assert len(expected) > 60


def test_every_resource_method_is_documented(site: Path) -> None:
    ids = _reference_ids(site)
    tree = resource_tree()
    expected = {f"{node.identifier}.{method}" for node in tree for method in node.methods}
    assert {node.identifier for node in tree} - ids == set()
    assert expected - ids == set()
    assert len(expected) > 50


def test_each_model_is_on_its_area_page(site: Path) -> None:
    import azure_oai_preview.models as models

    areas = model_areas()
    listed = [name for names in areas.values() for name in names]
    assert sorted(listed) == sorted(set(models.__all__)), "every model, exactly once"
    for area, names in areas.items():
        page = _ids(site, f"reference/models/{area}")
        missing = {f"azure_oai_preview.models.{name}" for name in names} - page
        assert not missing, (area, sorted(missing)[:5])


@pytest.fixture(scope="module")
def package() -> griffe.Module:
    return griffe.load(
        "azure_oai_preview",
        search_paths=[str(ROOT)],
        extensions=griffe.load_extensions(ResourceMethods),
        docstring_parser=griffe.Parser.google,
    )


def _nodes() -> list[ResourceNode]:
    return resource_tree()


def _runtime_keywords(method: Method) -> set[str]:
    """The keyword arguments Python itself sees: named ones plus the unpacked TypedDict's keys."""
    names: set[str] = set()
    module = importlib.import_module(method.builder.__module__)
    for parameter in method.signature().parameters.values():
        if parameter.kind is inspect.Parameter.VAR_KEYWORD:
            unpacked = re.fullmatch(r"Unpack\[(\w+)\]", str(parameter.annotation))
            assert unpacked, parameter
            name = unpacked.group(1)
            typed_dict = getattr(module, name, None) or _typed_dict(name)
            names |= typed_dict.__required_keys__ | typed_dict.__optional_keys__
        else:
            names.add(parameter.name)
    return names


def _typed_dict(name: str) -> Any:
    for candidate in ("azure_oai_preview.resources._args", "azure_oai_preview._options"):
        module = importlib.import_module(candidate)
        if hasattr(module, name):
            return getattr(module, name)
    raise LookupError(name)


@pytest.mark.parametrize("node", _nodes(), ids=lambda n: n.path)
def test_methods_show_what_users_pass_and_get(node: ResourceNode, package: griffe.Module) -> None:
    cls = package[node.identifier.removeprefix("azure_oai_preview.")]
    for name in node.methods:
        function = cls.members[name]
        assert isinstance(function, griffe.Function), f"{node.path}.{name} is not a method"
        shown = {p.name for p in function.parameters if p.name != "self"}
        kinds = {p.kind for p in function.parameters}
        assert griffe.ParameterKind.var_keyword not in kinds, f"{node.path}.{name}: **kwargs left"
        assert shown == _runtime_keywords(vars(node.cls)[name]), f"{node.path}.{name}"
        for signature in [function, *(function.overloads or [])]:
            assert not re.match(r"(Call|Flow)\[", str(signature.returns)), (name, signature.returns)
        returns = [s for s in function.docstring.parsed if s.kind.value == "returns"]
        assert returns, f"{node.path}.{name}: no Returns section"
        assert len(returns[0].value) >= 2, f"{node.path}.{name}: sync and async returns"
        assert "AsyncAzureOpenAI" in returns[0].value[1].description
