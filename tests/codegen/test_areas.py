"""API areas (codegen/areas.py): which module holds each declaration, and the files they make."""

from __future__ import annotations

from pathlib import Path

import pytest

from codegen import ir
from codegen.areas import (
    COMMON,
    UNREFERENCED,
    AreaError,
    AreaRule,
    Layout,
    _check,
    assign,
    load_rules,
)
from codegen.emit import declaration_deps
from codegen.generate import check, generate, write
from codegen.paths import GENERATED_FILE, GENERATED_MARK

from .conftest import ALL_VERSIONS, DEFAULT_VERSION, import_generated

RULES = (
    AreaRule("chat", "Chat", ("/deployments/{deployment-id}/chat",)),
    AreaRule("assistants", "Assistants", ("/assistants", "/threads")),
)


def _model(name: str, *refs: str) -> ir.Model:
    fields = [ir.Field(r.lower(), r.lower(), ir.Ref(r), False, False) for r in refs]
    return ir.Model(name, name, "", fields=fields)


def _op(operation_id: str, path: str, *, body: str | None = None, response: str) -> ir.Operation:
    return ir.Operation(
        operation_id=operation_id,
        method="post",
        path=path,
        tags=(),
        summary="",
        description="",
        parameters=[],
        request_bodies=[ir.RequestBody(ir.Ref(body), "application/json", True)] if body else [],
        responses=[ir.ResponseBody("200", "application/json", ir.Ref(response))],
        error_type=ir.Ref("Error"),
        streams=False,
    )


def _ir(models: list[ir.Model], operations: list[ir.Operation]) -> ir.IR:
    return ir.IR(api_version="v", spec_sha256="0", models=models, operations=operations)


def _synthetic() -> ir.IR:
    return _ir(
        [
            _model("Error"),
            _model("Usage"),
            _model("ChatRequest", "Message"),
            _model("Message"),
            _model("ChatReply", "Usage", "Message"),
            _model("Run", "Usage", "Step"),
            _model("Step"),
            _model("Chunk", "Message"),  # read off the chat stream: named by no schema
            _model("ChatBase", "Message"),  # unreached, refers to chat only
            _model("Kind"),  # unreached, refers to nothing, used by two unreached leaners
            _model("ChatKindHolder", "Kind", "Message"),
            _model("RunKindHolder", "Kind", "Step"),
            _model("Both", "Message", "Step"),  # unreached, refers to two areas
            _model("Lonely"),  # unreached, refers to nothing, nothing refers to it
        ],
        [
            _op(
                "Chat",
                "/deployments/{deployment-id}/chat/completions",
                body="ChatRequest",
                response="ChatReply",
            ),
            _op("CreateRun", "/threads/{thread_id}/runs", response="Run"),
        ],
    )


def test_a_declaration_goes_to_the_one_area_that_reaches_it_else_common() -> None:
    result = _synthetic()
    result.stream_models["Chunk"] = "Chat"
    layout = assign(result, RULES)
    assert layout.operations == {"Chat": "chat", "CreateRun": "assistants"}
    where = layout.declarations
    assert {n: where[n] for n in ("ChatRequest", "Message", "ChatReply", "Chunk")} == dict.fromkeys(
        ("ChatRequest", "Message", "ChatReply", "Chunk"), "chat"
    )
    assert where["Run"] == where["Step"] == "assistants"
    assert where["Usage"] == where["Error"] == COMMON
    # Unreached declarations follow what they refer to.
    assert where["ChatBase"] == where["ChatKindHolder"] == "chat"
    assert where["RunKindHolder"] == "assistants"
    assert where["Kind"] == COMMON  # pulled by two areas, refers to nothing area-specific
    assert where["Both"] == where["Lonely"] == UNREFERENCED
    assert layout.modules == [COMMON, "chat", "assistants", UNREFERENCED]


def test_without_its_stream_hook_a_chunk_model_follows_what_it_refers_to() -> None:
    layout = assign(_synthetic(), RULES)
    assert layout.declarations["Chunk"] == "chat"  # refers to chat only


def test_a_path_prefix_matches_at_a_segment_boundary_only() -> None:
    rule = RULES[1]
    assert rule.claims("/threads")
    assert rule.claims("/threads/{thread_id}/runs")
    assert not rule.claims("/threadsafe")


def test_an_operation_no_area_claims_is_an_error_naming_it() -> None:
    result = _ir([_model("Error"), _model("File")], [_op("Files_List", "/files", response="File")])
    with pytest.raises(AreaError, match=r"Files_List \(POST /files\).*areas.toml"):
        assign(result, RULES)


def test_a_stream_hook_must_name_an_operation() -> None:
    result = _synthetic()
    result.stream_models["Chunk"] = "NoSuchOperation"
    with pytest.raises(AreaError, match="NoSuchOperation"):
        assign(result, RULES)


def test_a_layout_where_one_area_loads_another_is_refused() -> None:
    result = _synthetic()
    deps = {name: declaration_deps(decl) for name, decl in result.declarations().items()}
    good = assign(result, RULES)
    bad = Layout(RULES, good.operations, {**good.declarations, "Usage": "assistants"})
    with pytest.raises(AreaError, match=r"ChatReply \(chat\) refers to Usage \(assistants\)"):
        _check(bad, deps)


def test_the_shipped_rules_load_and_reserved_names_are_refused(tmp_path: Path) -> None:
    names = [rule.name for rule in load_rules()]
    assert names[:2] == ["chat", "completions"]
    assert len(names) == len(set(names))
    config = tmp_path / "areas.toml"
    config.write_text('[[areas]]\nname = "common"\npaths = ["/x"]\n', encoding="utf-8")
    with pytest.raises(AreaError, match="'common' cannot name an area"):
        load_rules(config)


@pytest.mark.parametrize("version", ALL_VERSIONS)
def test_every_operation_of_every_pinned_version_has_an_area(version: str) -> None:
    generated = generate(version)
    assert set(generated.layout.operations) == {o.operation_id for o in generated.ir.operations}
    assert set(generated.layout.declarations) == set(generated.ir.declarations())
    areas = set(generated.layout.operations.values())
    if version == "2024-06-01":  # GA: no authoring document, so no authoring area module
        assert not areas & {"files", "fine_tuning", "models", "ingestion"}
        assert "_files.py" not in generated.files
    else:
        assert {"chat", "assistants", "vector_stores", "files", "fine_tuning"} <= areas


def test_write_removes_and_check_reports_a_module_no_longer_generated(tmp_path: Path) -> None:
    generated = generate(DEFAULT_VERSION)
    write(generated, tmp_path)
    assert check(generated, tmp_path) == []
    stale = tmp_path / "_retired_area.py"
    stale.write_text(f"{GENERATED_MARK} from ...\n", encoding="utf-8")
    hand_written = tmp_path / "notes.py"
    hand_written.write_text("# not generated\n", encoding="utf-8")
    assert check(generated, tmp_path) == [
        f"{stale}: no longer generated (run `python -m codegen generate`)"
    ]
    assert stale in write(generated, tmp_path)
    assert not stale.exists()
    assert hand_written.exists()
    assert check(generated, tmp_path) == []


def test_the_gathering_module_holds_every_declaration(generated_dirs: dict[str, Path]) -> None:
    for version, directory in generated_dirs.items():
        package = f"_codegen_areas_{version.replace('-', '_')}"
        gathered = import_generated(directory, package, GENERATED_FILE)
        areas = import_generated(directory, package, "_areas")
        assert gathered.__all__ == sorted(areas.MODEL_AREAS)
        for name, area in areas.MODEL_AREAS.items():
            value = getattr(gathered, name)
            if isinstance(value, type):
                assert value.__module__ == f"{package}.{areas.MODULES[area]}", name
