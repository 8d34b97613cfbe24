"""Request parameter TypedDicts (models/_params.py): one per JSON-body operation and per model,
union and alias reachable from a request; keys are the wire names, required ones Required."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import shutil
import subprocess
import sys
import typing
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

import pytest
import typing_extensions
from pydantic import BaseModel

from codegen import ir
from codegen.build import build_ir
from codegen.emit import emit_models
from codegen.generate import generate
from codegen.ir import IR
from codegen.params import (
    DEPLOYMENT_KEYWORDS,
    RESERVED_KEYWORDS,
    check_reserved_keywords,
    declared_names,
    emit_params,
    operation_params_name,
    plan,
)
from codegen.paths import GENERATED_FILE, MANIFEST_FILE, MODELS_DIR, PARAMS_FILE, REPO_ROOT

from .conftest import ALL_VERSIONS, DEFAULT_VERSION
from .test_build import _spec as synthetic_spec
from .test_order import _recursive_spec

_PACKAGES: dict[str, ModuleType] = {}


def _import_package(root: Path, name: str, files: dict[str, str]) -> ModuleType:
    """Write ``files`` as package ``name`` under ``root`` and import its ``_params``."""
    package = root / name
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    for file_name, source in files.items():
        (package / file_name).write_text(source, encoding="utf-8")
    sys.path.insert(0, str(root))
    try:
        return importlib.import_module(f"{name}._params")
    finally:
        sys.path.remove(str(root))


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[IR, ModuleType]]:
    found: dict[str, tuple[IR, ModuleType]] = {}
    for version in ALL_VERSIONS:
        generated = generate(version)
        name = f"_codegen_params_{version.replace('-', '_')}"
        module = _import_package(tmp_path_factory.mktemp(name), name, generated.files)
        found[version] = (generated.ir, module)
    return found


def _is_typed_dict(obj: object) -> bool:
    return typing_extensions.is_typeddict(obj)


def _keys(td: Any) -> tuple[set[str], set[str]]:
    return set(td.__required_keys__), set(td.__optional_keys__)


def _wire_fields(model: type[BaseModel]) -> dict[str, bool]:
    """Wire name -> required, for the fields a request may send (read-only ones excluded)."""
    read_only: frozenset[str] = getattr(model, "__azure_read_only__", frozenset())
    return {
        (info.alias or name): info.is_required()
        for name, info in model.model_fields.items()
        if name not in read_only
    }


def test_params_file_is_generated_and_deterministic() -> None:
    first = generate(DEFAULT_VERSION).files
    assert PARAMS_FILE in first
    assert first[PARAMS_FILE] == generate(DEFAULT_VERSION).files[PARAMS_FILE]
    committed = (MODELS_DIR / PARAMS_FILE).read_text(encoding="utf-8")
    assert committed == first[PARAMS_FILE], "run `python -m codegen generate`"


@pytest.mark.parametrize("version", ALL_VERSIONS)
def test_every_json_body_operation_has_params_matching_its_body(
    versions: dict[str, tuple[IR, ModuleType]], version: str
) -> None:
    result, params = versions[version]
    models = importlib.import_module(params.__name__.rsplit(".", 1)[0] + "._generated")
    checked = 0
    for op in result.operations:
        json_bodies = [b for b in op.request_bodies if b.content_type == "application/json"]
        if not json_bodies:
            assert not hasattr(params, operation_params_name(op.operation_id))
            continue
        td = getattr(params, operation_params_name(op.operation_id))
        body = json_bodies[0].type
        union = result.declarations().get(getattr(body, "name", ""))
        if isinstance(union, ir.Union):
            # A union body (IngestionJobs_Create) is taken whole: its Params is the union's
            # parameter type, a dict or an instance of each member.
            assert td is getattr(params, f"{union.name}Param"), op.operation_id
            members = set(typing.get_args(td))
            for member in union.members:
                assert getattr(params, f"{member.name}Param") in members  # type: ignore[union-attr]
                assert getattr(models, member.name) in members  # type: ignore[union-attr]
            continue
        assert _is_typed_dict(td), op.operation_id
        assert td.__total__ is False
        model = getattr(models, json_bodies[0].type.name)  # type: ignore[union-attr]
        wire = _wire_fields(model)
        wire.pop("stream", None)  # chosen by the method overloads
        required, optional = _keys(td)
        assert required | optional == set(wire), op.operation_id
        assert required == {k for k, r in wire.items() if r}, op.operation_id
        assert "stream" not in required | optional
        checked += 1
    assert checked >= 4


@pytest.mark.parametrize("version", ALL_VERSIONS)
def test_model_params_match_models_and_unions_list_member_params(
    versions: dict[str, tuple[IR, ModuleType]], version: str
) -> None:
    result, params = versions[version]
    models = importlib.import_module(params.__name__.rsplit(".", 1)[0] + "._generated")
    p = plan(result)
    assert p.models, "no model reachable from a request?"
    for decl in p.models:
        td = getattr(params, f"{decl.name}Param")
        wire = _wire_fields(getattr(models, decl.name))
        required, optional = _keys(td)
        assert required | optional == set(wire), decl.name
        assert required == {k for k, r in wire.items() if r}, decl.name
        hints = typing_extensions.get_type_hints(td, include_extras=True)
        for f in decl.fields:
            if f.tag is not None:
                # The tag is Required[Literal[value]], so type checkers narrow on it (a kind
                # with an alias spelling lists both: Literal["endpointMI", "EndpointWith...]).
                assert isinstance(f.type, ir.LiteralOf)
                assert f.type.values[0] == f.tag
                expected = typing_extensions.Required[Literal[f.type.values]]  # type: ignore[valid-type]
                assert hints[f.wire_name] == expected
    for decl in p.aliases:
        alias = getattr(params, f"{decl.name}Param")
        members = set(typing.get_args(alias)) or {alias}
        for member in getattr(decl, "members", []):
            name = getattr(member, "name", None)
            target = getattr(models, name, None) if name else None
            if inspect.isclass(target) and issubclass(target, BaseModel):
                # Both the dict form and the model instance are accepted.
                assert getattr(params, f"{name}Param") in members, (decl.name, name)
                assert target in members, (decl.name, name)
        # The Unknown... fallback of a tagged union is never a request value.
        assert not any(getattr(m, "__azure_unknown_variant__", False) for m in members)
    assert sorted(params.__all__) == declared_names(result)


def test_the_names_the_sdk_imports_exist() -> None:
    params = importlib.import_module("azure_oai_preview.models._params")
    wanted: set[str] = set()
    for path in (REPO_ROOT / "azure_oai_preview").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("models._params"):
                wanted.update(a.name for a in node.names if a.name != "*")
    assert wanted, "the resources import no parameter TypedDicts?"
    missing = sorted(n for n in wanted if n not in params.__all__)
    assert not missing, missing
    facade = importlib.import_module("azure_oai_preview.models")
    for name in wanted:
        assert getattr(facade, name) is getattr(params, name)
    assert "ChatCompletionsCreateParams" in dir(facade)


def test_keys_that_are_not_identifiers_use_the_functional_form(tmp_path: Path) -> None:
    result = build_ir(synthetic_spec(), "synthetic", "0" * 64)
    source = emit_params(result)
    assert 'ThingsCreateParams = TypedDict(\n    "ThingsCreateParams",' in source
    files = {GENERATED_FILE: emit_models(result), PARAMS_FILE: source}
    params = _import_package(tmp_path, "_codegen_params_synthetic", files)
    required, optional = _keys(params.ThingsCreateParams)
    assert required == set()
    assert optional == {"class", "schema", "sizes[]", "secret_key"}  # no "stream"
    _ruff_format_check(tmp_path / "_codegen_params_synthetic" / PARAMS_FILE)


def test_recursive_request_schemas_are_quoted(tmp_path: Path) -> None:
    spec = _recursive_spec()
    spec["paths"] = {
        "/trees": {
            "post": {
                "operationId": "create_tree",
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "root": {"$ref": "#/components/schemas/node"},
                                    "tree": {"$ref": "#/components/schemas/tree"},
                                },
                                "required": ["root"],
                            }
                        }
                    }
                },
                "responses": {"200": {"description": "ok"}},
            }
        }
    }
    result = build_ir(spec, "recursive", "0" * 64)
    source = emit_params(result)
    # NodeParam has a "class" key, so it is written in the functional form.
    assert '"children": "Sequence[NodeParam | Node]",' in source
    assert 'first: "TreeParam"' in source
    assert re.search(r'items: Required\["Sequence\[TreeParam\]"\]', source), source
    files = {GENERATED_FILE: emit_models(result), PARAMS_FILE: source}
    params = _import_package(tmp_path, "_codegen_params_recursive", files)
    assert _keys(params.CreateTreeParams) == ({"root"}, {"tree"})
    assert set(typing.get_args(params.TreeParam)) >= {params.LeafParam}
    _ruff_format_check(tmp_path / "_codegen_params_recursive" / PARAMS_FILE)


def _ruff_format_check(path: Path) -> None:
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    if not Path(ruff).exists():
        return
    result = subprocess.run(
        [ruff, "format", "--check", "--diff", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_manifest_names_only_bodies_the_params_describe() -> None:
    # Multipart bodies (audio transcription/translation) are typed by hand, not here.
    manifest = importlib.import_module("azure_oai_preview.models._manifest")
    params = importlib.import_module("azure_oai_preview.models._params")
    for op in manifest.OPERATIONS:
        body = op.request_body
        has = hasattr(params, operation_params_name(op.operation_id))
        assert has == (body is not None and body.content_type == "application/json"), (
            op.operation_id
        )
    assert MANIFEST_FILE


# -- keywords the SDK reserves for per-call options -----------------------------------------------


def test_the_pinned_spec_has_no_field_named_like_an_option(
    versions: dict[str, tuple[IR, ModuleType]],
) -> None:
    for ir_, _ in versions.values():
        check_reserved_keywords(ir_)  # raises on a clash


def test_reserved_keywords_are_the_sdks_options() -> None:
    from azure_oai_preview._options import POLL_OPTION_NAMES, RequestOptions

    assert frozenset(RequestOptions.__annotations__) | POLL_OPTION_NAMES == RESERVED_KEYWORDS


@pytest.mark.parametrize(
    ("where", "name"),
    [
        ("body", "extra_body"),
        ("body", "timeout"),
        ("query", "max_retries"),
        ("query", "extra_query"),
    ],
)
def test_a_field_named_like_an_option_is_refused_loudly(where: str, name: str) -> None:
    spec = synthetic_spec()
    operation = spec["paths"]["/things/{thing-id}"]["post"]
    if where == "body":
        schema = operation["requestBody"]["content"]["application/json"]["schema"]
        schema["properties"][name] = {"type": "string"}
    else:
        operation["parameters"].append({"name": name, "in": "query", "schema": {"type": "integer"}})
    result = build_ir(spec, "synthetic", "0" * 64)
    with pytest.raises(ValueError, match=rf"Things_Create: .*{name}") as raised:
        emit_params(result)
    assert "spec transform" in str(raised.value)


def test_model_is_reserved_on_a_deployment_only() -> None:
    # `model` is openai-python's spelling of the deployment on the operations of a deployment,
    # so a body field `model` there would be unreachable; elsewhere (assistants) it is a field.
    spec = synthetic_spec()
    operation = spec["paths"]["/things/{thing-id}"]["post"]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    schema["properties"]["model"] = {"type": "string"}
    emit_params(build_ir(spec, "synthetic", "0" * 64))  # no deployment: `model` is a field
    operation["parameters"][0]["name"] = "deployment-id"
    spec["paths"]["/things/{deployment-id}"] = spec["paths"].pop("/things/{thing-id}")
    with pytest.raises(ValueError, match=r"Things_Create: .*'model'"):
        emit_params(build_ir(spec, "synthetic", "0" * 64))


def test_deployment_keywords_are_the_sdks() -> None:
    from azure_oai_preview._options import DEPLOYMENT_OPTION_NAMES, OPTION_NAMES

    assert DEPLOYMENT_OPTION_NAMES - OPTION_NAMES == DEPLOYMENT_KEYWORDS
