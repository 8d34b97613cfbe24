"""The maintainer's changelog (`python -m codegen diff`): per operation, breaking flags,
description/default/bounds/format changes, transform-made differences, grouped removals."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from codegen import ir
from codegen.changes.provenance import Provenance
from codegen.diff import changelog, versions_changelog
from codegen.transforms import Op, Target, Transform

from .conftest import EXAMPLES_VERSION, GA_VERSION, NEXT_VERSION

# -- the pinned versions ------------------------------------------------------------------


@pytest.fixture(scope="module")
def next_preview() -> str:
    return versions_changelog(EXAMPLES_VERSION, NEXT_VERSION)


@pytest.fixture(scope="module")
def to_ga() -> str:
    return versions_changelog(EXAMPLES_VERSION, GA_VERSION)


def _operation_block(text: str, operation_id: str) -> list[str]:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"  ~ {operation_id}:"))
    block: list[str] = []
    for line in lines[start + 1 :]:
        if not line.startswith("    "):
            break
        block.append(line)
    return block


def test_next_preview_names_stream_options_under_chat_completions(next_preview: str) -> None:
    block = _operation_block(next_preview, "ChatCompletions_Create")
    gains = [line for line in block if "request gains `stream_options`" in line]
    assert gains == [
        "      request gains `stream_options`: ChatCompletionStreamOptions, optional, nullable"
    ]
    # The new model's fields are spelled out right below.
    detail = block[block.index(gains[0]) + 1]
    assert "new ChatCompletionStreamOptions: `include_usage`: bool, optional" in detail
    assert 'request `tool_choice` (ChatCompletionToolChoiceOptionEnum) gains value "required"' in (
        "\n".join(block)
    )


def test_next_preview_flags_the_tightened_named_tool_choice(next_preview: str) -> None:
    # Upstream 2024-07-01-preview makes the named tool choice's `type` and `function` required.
    # The SDK's 2024-05-01-preview already requires them (transform
    # named-tool-choice-required-fields), so the tightening is reported, flagged breaking, among
    # the upstream differences the transforms hide - naming the transform that already made it.
    hidden = next_preview.split("Upstream differences the transforms hide", 1)[1]
    block = _operation_block(hidden, "ChatCompletions_Create")
    breaking = [line.strip().split("  [", 1)[0] for line in block if line.startswith("    ! ")]
    assert breaking == [
        "! request `tool_choice` (ChatCompletionNamedToolChoice) `type`: optional -> required",
        "! request `tool_choice` (ChatCompletionNamedToolChoice) `function`: optional -> required",
    ]
    assert all("named-tool-choice-required-fields" in line for line in block if "! " in line)
    block = _operation_block(next_preview, "ChatCompletions_Create")
    # Additions are not breaking; the union's new description is reported, unflagged.
    assert any(line.startswith("      request gains") for line in block)
    assert any("(ChatCompletionToolChoiceOption) description" in line for line in block)
    assert "0 made by transforms" in next_preview
    assert "[transform" not in next_preview.split("Documents:", 1)[1]


def test_next_preview_lists_the_declarations_too(next_preview: str) -> None:
    assert "+ ChatCompletionStreamOptions (chatCompletionStreamOptions)" in next_preview
    assert "used by: ChatCompletions_Create (request)" in next_preview
    assert "~ ChatCompletionToolChoiceOptionEnum: +required" in next_preview
    assert "authoring: unchanged (the 2024-05-01-preview document)" in next_preview


def test_ga_marks_the_differences_only_preview_transforms_make(to_ga: str) -> None:
    body = to_ga.split("Documents:", 1)[1]  # after the legend
    marked = [line.strip() for line in body.splitlines() if "[transform" in line]
    assert marked, to_ga
    assert {m.split("[transform ", 1)[1] for m in marked} == {
        f"citation-file-path ({EXAMPLES_VERSION} only)]",
        f"message-context-intents ({EXAMPLES_VERSION} only)]",
    }
    assert any(
        m.startswith("! response `choices.message.context.citations` (Citation) loses `file_path`")
        for m in marked
    )
    assert any("loses `intents`" in m for m in marked)
    assert f"; {len(marked)} made by transforms" in to_ga
    # Upstream removals are not marked.
    assert "loses `all_retrieved_documents`" in to_ga
    assert not any("all_retrieved_documents" in m for m in marked)


def test_ga_reads_removed_areas_as_single_entries(to_ga: str) -> None:
    lines = to_ga.splitlines()
    authoring = [line for line in lines if "authoring document (none in" in line]
    assert len(authoring) == 1
    assert re.fullmatch(
        r"! - authoring document \(none in 2024-06-01\): 20 operations, and \d+ declarations only they used",
        authoring[0],
    )
    assert any(
        re.fullmatch(r"! - Assistants: 22 operations, and \d+ declarations only they used", x)
        for x in lines
    )
    assert any(
        re.fullmatch(r"! - Vector Stores: 13 operations, and \d+ declarations only they used", x)
        for x in lines
    )
    # No removed operation or assistants/authoring model is listed on a line of its own.
    assert not [
        x for x in lines if x.startswith("! - List_Assistants") or x.startswith("! - File ")
    ]
    assert len(lines) < 200, "a removed area must not read as hundreds of lines"
    assert "Files (6): Files_List, Files_Upload" in to_ga


# -- rules, on small IRs ------------------------------------------------------------------


def _field(
    wire: str, t: ir.TypeExpr | None = None, required: bool = False, **kw: object
) -> ir.Field:
    return ir.Field(wire, wire, t or ir.Prim("str"), required, False, **kw)  # type: ignore[arg-type]


def _ir(version: str, request: list[ir.Field], response: list[ir.Field], *extra: ir.Decl) -> ir.IR:
    result = ir.IR(api_version=version, spec_sha256="0" * 64)
    result.documents.append(ir.SourceDocument("inference", version, "0" * 64))
    result.models += [ir.Model("Req", "req", ""), ir.Model("Resp", "resp", "")]
    result.models[0].fields = request
    result.models[1].fields = response
    for decl in extra:
        if isinstance(decl, ir.Enum):
            result.enums.append(decl)
        elif isinstance(decl, ir.Model):
            result.models.append(decl)
    result.operations.append(
        ir.Operation(
            operation_id="Things_Create",
            method="POST",
            path="/things",
            tags=(),
            summary="",
            description="",
            parameters=[],
            request_bodies=[ir.RequestBody(ir.Ref("Req"), "application/json", True)],
            responses=[ir.ResponseBody("200", "application/json", ir.Ref("Resp"))],
            error_type=None,
            streams=False,
        )
    )
    return result


def _lines(old: ir.IR, new: ir.IR, provenance: Provenance | None = None) -> list[str]:
    text = changelog(old, new, provenance)
    return _operation_block(text, "Things_Create")


def test_request_tightening_is_breaking_and_loosening_is_not() -> None:
    old = _ir("v1", [_field("a"), _field("b", required=True), _field("c")], [])
    new = _ir("v2", [_field("a", required=True), _field("b"), _field("d", required=True)], [])
    assert _lines(old, new) == [
        "    ! request gains `d`: str, required",
        "    ! request loses `c`",
        "    ! request `a`: optional -> required",
        "      request `b`: required -> optional",
    ]


def test_response_losses_are_breaking_and_gains_are_not() -> None:
    old = _ir("v1", [], [_field("a", required=True), _field("b")])
    new = _ir("v2", [], [_field("a"), _field("c")])
    assert _lines(old, new) == [
        "      response gains `c`: str, optional",
        "    ! response loses `b`",
        "    ! response `a`: required -> optional",
    ]


def test_types_narrowed_on_requests_are_breaking_widened_ones_not() -> None:
    both = ir.UnionOf((ir.Prim("str"), ir.ListOf(ir.Prim("str"))))
    old = _ir("v1", [_field("a", both), _field("b", ir.Prim("int"))], [])
    new = _ir("v2", [_field("a", ir.Prim("str")), _field("b", ir.Prim("float"))], [])
    assert _lines(old, new) == [
        "    ! request `a`: str | list[str] -> str",
        "      request `b`: int -> float",
    ]


def test_enum_values_removed_from_requests_are_breaking() -> None:
    def color(*values: str) -> ir.Enum:
        return ir.Enum("Color", "color", "", [ir.EnumMember(v.upper(), v) for v in values])

    old = _ir("v1", [_field("c", ir.Ref("Color"))], [], color("red", "blue"))
    new = _ir("v2", [_field("c", ir.Ref("Color"))], [], color("red", "green"))
    assert _lines(old, new) == [
        '      request `c` (Color) gains value "green"',
        '    ! request `c` (Color) loses value "blue"',
    ]
    assert "~ Color: +green, -blue" in changelog(old, new)


def test_description_default_bounds_and_format_are_reported() -> None:
    def limits(**kw: object) -> ir.Constraints:
        return ir.Constraints(**kw)  # type: ignore[arg-type]

    def count(description: str, default: int, maximum: int) -> ir.Field:
        return _field(
            "n",
            ir.Prim("int"),
            description=description,
            default=ir.Default(ir.Scalar(default), default),
            constraints=limits(maximum=maximum),
        )

    old = _ir(
        "v1",
        [
            count("How many results to return.", 1, 10),
            _field("at", constraints=limits(max_length=64)),
            _field("when"),
        ],
        [],
    )
    new = _ir(
        "v2",
        [
            count("How many choices to return.", 2, 5),
            _field("at", constraints=limits(max_length=128)),
            _field("when", constraints=limits(format="date-time")),
        ],
        [],
    )
    assert _lines(old, new) == [
        "      request `n`: default 1 -> 2",
        "    ! request `n`: maximum 10 -> 5",
        '      request `n`: description "How many results to return." -> "How many choices to return."',
        "      request `at`: max length 64 -> 128",
        "    ! request `when`: format none -> date-time",
    ]


def test_new_fields_of_new_models_are_spelled_out() -> None:
    options = ir.Model("Options", "options", "", fields=[_field("verbose", ir.Prim("bool"))])
    old = _ir("v1", [], [])
    new = _ir("v2", [_field("options", ir.Ref("Options"))], [], options)
    text = changelog(old, new)
    assert _operation_block(text, "Things_Create") == [
        "      request gains `options`: Options, optional",
        "          new Options: `verbose`: bool, optional",
    ]
    assert "+ Options (options)" in text
    assert "used by: Things_Create (request)" in text


def test_differences_absent_upstream_are_marked_with_the_transform() -> None:
    old = _ir("v1", [], [_field("extra"), _field("gone")])
    new = _ir("v2", [], [])
    fix = Transform(
        name="resp-extra",
        reason="r",
        evidence=("e",),
        ops=(Op("add-property", {"schema": "resp", "name": "extra"}),),
        source=__import__("pathlib").Path("x.toml"),
        explains=(Target(op="add-property", schema="resp"),),
    )
    raw = {("decl", "Resp", "gone", "removed"): "Resp: loses `gone`"}
    provenance = Provenance(raw=raw, old_transforms=[fix], old_version="v1", new_version="v2")
    assert _lines(old, new, provenance) == [
        "    ! response loses `extra`  [transform resp-extra (v1 only)]",
        "    ! response loses `gone`",
    ]
    # An upstream difference the transforms make disappear is listed as such.
    hidden = replace(provenance, raw={**raw, ("decl", "Resp", "x", "added"): "Resp: gains `x`"})
    assert (
        "Upstream differences the transforms hide (the SDK already behaves so):\n    Resp: gains `x`"
        in changelog(old, new, hidden)
    )


def _summary(text: str) -> str:
    lines = text.split("Summary:", 1)[1].split("\n\n", 1)[0]
    return " ".join(lines.split())


def _marked(lines: list[str]) -> int:
    return sum(1 for line in lines if line.lstrip().startswith("! "))


@pytest.mark.parametrize("pair", ["next_preview", "to_ga"])
def test_summary_counts_upstream_breaking_changes_apart(
    pair: str, request: pytest.FixtureRequest
) -> None:
    text: str = request.getfixturevalue(pair)
    body = text.split("Documents:", 1)[1]  # after the legend
    own, _, hidden = body.partition("Upstream differences the transforms hide")
    summary = _summary(text)
    assert f"; {_marked(own.splitlines())} breaking entries (!)" in summary
    upstream = _marked(hidden.splitlines())
    phrase = "upstream breaking changes the transforms already made"
    if upstream:
        assert f"; {upstream} {phrase}" in summary
    else:
        assert phrase not in summary


def test_next_preview_reads_as_not_breaking_the_sdk(next_preview: str) -> None:
    # Its only breaking differences are upstream ones the SDK's transforms already made.
    summary = _summary(next_preview)
    assert "; 0 breaking entries (!);" in summary
    assert "; 2 upstream breaking changes the transforms already made" in summary


def test_ga_flags_the_discriminator_enums_that_lose_values(to_ga: str) -> None:
    # Each is the enum of a request union's tags (reached through the members' tag fields).
    for name in (
        "AzureChatExtensionType",
        "OnYourDataAuthenticationType",
        "OnYourDataVectorizationSourceType",
    ):
        line = next(x for x in to_ga.splitlines() if x.lstrip("! ").startswith(f"~ {name}: "))
        assert line.startswith("! ~ "), line
    block = _operation_block(to_ga, "ChatCompletions_Create")
    assert '    ! request `data_sources.type` (AzureChatExtensionType) loses value "pinecone"' in (
        block
    )


def _tagged_spec(kinds: list[str], pin_tags: bool) -> dict[str, object]:
    """A request that sends a union of shapes (an inline oneOf, not the discriminator's base),
    each tagged by `kind`, whose values the `kind` enum component lists. ``pin_tags`` pins each
    member's own `kind` to its value, as the transform `pin-discriminator-values` does."""
    ref = "#/components/schemas/{}".format
    schemas: dict[str, object] = {
        "kind": {"type": "string", "enum": kinds},
        "shape": {
            "type": "object",
            "required": ["kind"],
            "properties": {"kind": {"$ref": ref("kind")}},
            "discriminator": {"propertyName": "kind", "mapping": {k: ref(k) for k in kinds}},
        },
    }
    for kind in kinds:
        member: dict[str, object] = {
            "allOf": [{"$ref": ref("shape")}, {"properties": {"size": {"type": "integer"}}}]
        }
        if pin_tags:
            member["properties"] = {"kind": {"type": "string", "enum": [kind]}}
        schemas[kind] = member
    body = {
        "type": "object",
        "properties": {"shape": {"oneOf": [{"$ref": ref(k)} for k in kinds]}},
    }
    return {
        "openapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/things": {
                "post": {
                    "operationId": "Things_Create",
                    "requestBody": {"content": {"application/json": {"schema": body}}},
                    "responses": {"204": {"description": "done"}},
                }
            }
        },
        "components": {"schemas": schemas},
    }


@pytest.mark.parametrize("pin_tags", [False, True])
def test_enum_values_removed_from_a_request_unions_tags_are_breaking(pin_tags: bool) -> None:
    from codegen.build import build_ir

    old = build_ir(_tagged_spec(["circle", "square", "hexagon"], pin_tags), "v1", "0" * 64)
    new = build_ir(_tagged_spec(["circle", "square"], pin_tags), "v2", "0" * 64)
    circle = next(m for m in old.models if m.name == "Circle")
    assert [(f.wire_name, f.tag, f.tag_enum) for f in circle.fields if f.tag] == [
        ("kind", "circle", "Kind")
    ]
    text = changelog(old, new)
    assert "! ~ Kind: -hexagon" in text
    assert '    ! request `shape.kind` (Kind) loses value "hexagon"' in _operation_block(
        text, "Things_Create"
    )
