"""Definition order: real annotations, each declaration after what it uses, quotes for cycles."""

from __future__ import annotations

import ast
import builtins
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, TypeAdapter

from codegen.areas import module_name
from codegen.build import build_ir
from codegen.emit import emit_models
from codegen.generate import generate
from codegen.order import components, dependency_order
from codegen.paths import GENERATED_FILE

from .conftest import ALL_VERSIONS, GA_VERSION, import_from


def test_dependency_order_puts_uses_first_and_keeps_seed_order() -> None:
    deps = {"a": ["c"], "b": [], "c": ["b"], "d": []}
    assert dependency_order(["a", "b", "c", "d"], deps, lazy=lambda _: False) == [
        "b",
        "c",
        "a",
        "d",
    ]


def test_cycles_are_broken_at_lazy_references_only() -> None:
    deps = {"model": ["alias"], "alias": ["model", "leaf"], "leaf": [], "self": ["self"]}
    assert components(deps)["model"] == components(deps)["alias"]
    order = dependency_order(list(deps), deps, lazy=lambda n: n in ("model", "self"))
    # The alias needs the model defined; the model quotes its reference to the alias.
    assert order.index("model") < order.index("alias")
    assert order.index("leaf") < order.index("alias")
    with pytest.raises(ValueError, match="cycle"):
        dependency_order(list(deps), deps, lazy=lambda _: False)


def _names(node: ast.expr) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _quoted_types(annotation: ast.expr) -> list[str]:
    """String constants used as types (not Literal values or Field(...) arguments)."""
    found: list[str] = []

    def walk(node: ast.AST) -> None:
        literal = isinstance(node, ast.Subscript) and ast.unparse(node.value) == "Literal"
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.append(node.value)
        elif not literal and not isinstance(node, ast.Call):
            for child in ast.iter_child_nodes(node):
                walk(child)

    walk(annotation)
    return found


def _check_defined_before_use(source: str) -> tuple[int, list[str]]:
    """Every name an evaluated annotation or alias uses is defined above it; returns the number
    of statements checked and the quoted annotations."""
    tree = ast.parse(source)
    defined = set(dir(builtins)) | {
        "Annotated",
        "Any",
        "Literal",
        "TypeAlias",
        "Union",
        "Field",
        "OpenEnum",
        "OpenModel",
        "UnknownVariantModel",
    }
    checked = 0
    quoted: list[str] = []
    for stmt in tree.body:
        if isinstance(stmt, ast.ImportFrom) and stmt.level:
            # A sibling area module (`from ._common import ...`): defined before any class.
            defined.update(alias.asname or alias.name for alias in stmt.names)
        elif isinstance(stmt, ast.ClassDef):
            for item in stmt.body:
                if isinstance(item, ast.AnnAssign):
                    quoted.extend(_quoted_types(item.annotation))
                    missing = _names(item.annotation) - defined
                    assert not missing, (stmt.name, item.target, missing)
                    if item.value is not None:
                        assert not (_names(item.value) - defined - {"lambda"}), (stmt.name,)
                    checked += 1
            defined.add(stmt.name)
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            assert stmt.value is not None
            assert not (_names(stmt.value) - defined), stmt.target.id
            defined.add(stmt.target.id)
            checked += 1
        elif isinstance(stmt, ast.Assign):
            defined.update(t.id for t in stmt.targets if isinstance(t, ast.Name))
    return checked, quoted


@pytest.mark.parametrize("version", ALL_VERSIONS)
def test_pinned_versions_need_no_string_annotations(version: str) -> None:
    generated = generate(version)
    checked, quoted = 0, []
    for area in generated.layout.modules:
        source = generated.files[f"{module_name(area)}.py"]
        assert "from __future__ import annotations" not in source
        area_checked, area_quoted = _check_defined_before_use(source)
        checked += area_checked
        quoted += area_quoted
    assert checked > 300
    # The inference documents have no recursive schemas; the authoring document (reused by
    # the next preview, absent from the GA version) has three, and only those fields are quoted.
    recursive = [
        "AuthoringInnerError | None",  # InnerError.innererror
        "list[AuthoringError] | None",  # Error.details
        "list[IngestionJobStageProgress] | None",  # IngestionJobStageProgress.subStageProgress
    ]
    assert sorted(quoted) == ([] if version == GA_VERSION else sorted(recursive))


def _recursive_spec() -> dict[str, Any]:
    tree_ref = {"$ref": "#/components/schemas/tree"}
    return {
        "openapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {
            "schemas": {
                "node": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string"},
                        "children": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/node"},
                        },
                        "parent": {"$ref": "#/components/schemas/node"},
                        "class": {"$ref": "#/components/schemas/node"},
                    },
                    "required": ["name"],
                },
                "tree": {
                    "oneOf": [
                        {"$ref": "#/components/schemas/leaf"},
                        {"$ref": "#/components/schemas/branch"},
                    ]
                },
                "leaf": {
                    "type": "object",
                    "properties": {
                        "kind": {"type": "string", "enum": ["leaf"]},
                        "value": {"type": "integer"},
                    },
                    "required": ["kind"],
                },
                "branch": {
                    "type": "object",
                    "properties": {
                        "kind": {"type": "string", "enum": ["branch"]},
                        "items": {"type": "array", "items": tree_ref},
                        "first": tree_ref,
                    },
                    "required": ["kind", "items"],
                },
            }
        },
    }


def test_recursive_schemas_are_quoted_and_resolve(tmp_path: Path) -> None:
    source = emit_models(build_ir(_recursive_spec(), "recursive", "0" * 64))
    path = tmp_path / GENERATED_FILE
    path.write_text(source, encoding="utf-8")
    # Whole annotations are quoted, never a part of a `|` union ("X" | None fails at runtime).
    assert 'children: "list[Node] | None" = None' in source
    assert 'parent: "Node | None" = None' in source
    assert 'class_: Annotated["Node | None", Field(alias="class")] = None' in source
    assert 'items: "list[Tree]"' in source
    assert 'first: "Tree | None" = None' in source
    assert "value: int | None = None" in source
    module = import_from(path, "_codegen_recursive")
    for name in module.__all__:
        obj = getattr(module, name)
        if isinstance(obj, type) and issubclass(obj, BaseModel):
            obj.model_rebuild(force=True)
    node = module.Node.model_validate(
        {"name": "a", "children": [{"name": "b", "class": {"name": "c"}}], "parent": None}
    )
    assert node.children[0].class_.name == "c"
    tree: Any = TypeAdapter(module.Tree).validate_python(
        {"kind": "branch", "items": [{"kind": "leaf", "value": 1}, {"kind": "branch", "items": []}]}
    )
    assert type(tree).__name__ == "Branch"
    assert [type(i).__name__ for i in tree.items] == ["Leaf", "Branch"]
    checked, quoted = _check_defined_before_use(source)
    assert checked > 5
    assert sorted(quoted) == sorted(
        ["list[Node] | None", "Node | None", "Node | None", "list[Tree]", "Tree | None"]
    )
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    if Path(ruff).exists():
        result = subprocess.run(
            [ruff, "format", "--check", "--diff", str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
