"""The package's public names: complete, importable, and cheap to import."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import textwrap

import pytest

import azure_oai_preview

PUBLIC = sorted(set(azure_oai_preview.__all__))


def test_all_matches_the_lazy_exports() -> None:
    assert len(azure_oai_preview.__all__) == len(PUBLIC), "duplicates in __all__"
    assert set(azure_oai_preview.__all__) == set(azure_oai_preview._export_map()) | {"__version__"}


@pytest.mark.parametrize("name", PUBLIC)
def test_every_public_name_imports(name: str) -> None:
    value = getattr(azure_oai_preview, name)
    assert value is not None
    if name == "__version__":
        assert isinstance(value, str)
        return
    module = importlib.import_module(azure_oai_preview._export_map()[name], "azure_oai_preview")
    assert value is (module if name == "models" else getattr(module, name))
    namespace: dict[str, object] = {}
    exec(f"from azure_oai_preview import {name}", namespace)
    assert namespace[name] is value


def test_dir_lists_the_public_names() -> None:
    assert set(PUBLIC) <= set(dir(azure_oai_preview))


def test_unknown_names_raise_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = azure_oai_preview.no_such_name  # type: ignore[attr-defined]


def test_every_exported_error_belongs_to_the_hierarchy() -> None:
    base = azure_oai_preview.AzureOpenAIError
    errors = [name for name in PUBLIC if name.endswith("Error")]
    assert len(errors) > 10
    for name in errors:
        assert issubclass(getattr(azure_oai_preview, name), base), name


def _imported_after(statement: str) -> list[str]:
    script = textwrap.dedent(
        f"""
        import json, sys
        {statement}
        print(json.dumps(sorted(sys.modules)))
        """
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    return json.loads(completed.stdout)


HEAVY = ("httpx", "pydantic", "pydantic_core", "anyio", "azure_oai_preview.models._generated")


@pytest.mark.parametrize(
    "statement",
    ["import azure_oai_preview", "from azure_oai_preview import AzureOpenAI, AsyncAzureOpenAI"],
)
def test_importing_the_package_is_cheap(statement: str) -> None:
    modules = _imported_after(statement)
    assert "azure_oai_preview" in modules
    loaded = [m for m in modules if m.split(".")[0] in HEAVY or m in HEAVY]
    assert loaded == []


def test_building_a_client_loads_the_http_stack() -> None:
    # The control for the test above: the same probe does see httpx once it is needed.
    modules = _imported_after(
        "from azure_oai_preview import AzureOpenAI; "
        "AzureOpenAI('https://r.openai.azure.com', api_key='k')"
    )
    assert "httpx" in modules


def _type_checking_recipe() -> tuple[list[str], list[str], list[str]]:
    """What ``__init__``'s TYPE_CHECKING block tells type checkers: the star-imported modules,
    the modules whose ``__all__`` joins the facade's, and the names removed again."""
    import ast
    from pathlib import Path

    tree = ast.parse(Path(azure_oai_preview.__file__).read_text(encoding="utf-8"))
    block = next(
        node
        for node in tree.body
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name)
        if node.test.id == "TYPE_CHECKING"
    )
    starred = [
        "." + (node.module or "")
        for node in block.body
        if isinstance(node, ast.ImportFrom) and [a.name for a in node.names] == ["*"]
    ]
    added = [
        "." + node.value.value.id
        for node in block.body
        if isinstance(node, ast.AugAssign)
        and isinstance(node.value, ast.Attribute)
        and isinstance(node.value.value, ast.Name)
    ]
    removed = [
        node.value.args[0].value
        for node in block.body
        if isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Attribute)
        and node.value.func.attr == "remove"
        and isinstance(node.value.args[0], ast.Constant)
    ]
    return starred, added, removed


def test_type_checkers_see_the_same_recipe_as_the_runtime() -> None:
    starred, added, removed = _type_checking_recipe()
    assert sorted(starred) == sorted(azure_oai_preview._SOURCES)
    assert added == list(azure_oai_preview._SOURCES), "same modules, same order"
    # Modules list only public names in __all__: nothing to take out again.
    assert removed == []


def test_a_name_a_module_adds_to_its_all_is_public(monkeypatch: pytest.MonkeyPatch) -> None:
    from azure_oai_preview import _exceptions

    class ShinyNewError(azure_oai_preview.AzureOpenAIError):
        pass

    monkeypatch.setattr(_exceptions, "ShinyNewError", ShinyNewError, raising=False)
    monkeypatch.setattr(_exceptions, "__all__", [*_exceptions.__all__, "ShinyNewError"])
    monkeypatch.delitem(vars(azure_oai_preview), "__all__", raising=False)
    assert "ShinyNewError" in azure_oai_preview.__all__
    monkeypatch.delitem(vars(azure_oai_preview), "__all__", raising=False)
    assert azure_oai_preview.ShinyNewError is ShinyNewError  # type: ignore[attr-defined]
    monkeypatch.delitem(vars(azure_oai_preview), "ShinyNewError")


def test_internal_helpers_stay_private() -> None:
    for name in (
        "StreamReader",
        "PageReader",
        "RunStreamMachine",
        "AssistantStreamReader",
        "AsyncAssistantStreamManager",
        "EventHooks",
        "status_error",
        "Call",
    ):
        assert name not in azure_oai_preview.__all__
        with pytest.raises(AttributeError):
            getattr(azure_oai_preview, name)
