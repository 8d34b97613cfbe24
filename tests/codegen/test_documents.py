"""Two documents per api-version: pins, the per-version authoring rule, one models namespace."""

from __future__ import annotations

from pathlib import Path

import pytest

from codegen import ir
from codegen.generate import build
from codegen.merge import MergeError, identical_names, merge
from codegen.pins import PinError, document_pin, load_pins

from .conftest import EXAMPLES_VERSION, GA_VERSION, NEXT_VERSION

PIN_HEAD = (
    'api_version = "{v}"\n[inference]\nrepository = "r"\ncommit = "c"\npath = "p"\nsha256 = "AB"\n'
)


def test_every_pin_says_what_serves_its_authoring_document() -> None:
    pins = {pin.api_version: pin for pin in load_pins()}
    own = document_pin(EXAMPLES_VERSION, "authoring")
    assert own is not None
    assert own.sha256 == "cc3ccfdf8fd61e8c1246fa5127bceac705ca55e4a2ce45610138801839e32456"
    assert document_pin(NEXT_VERSION, "authoring") == own  # reused
    assert pins[NEXT_VERSION].authoring_reuse == EXAMPLES_VERSION
    assert pins[NEXT_VERSION].authoring_reason
    assert document_pin(GA_VERSION, "authoring") is None
    assert pins[GA_VERSION].authoring_absent


@pytest.mark.parametrize(
    ("authoring", "message"),
    [
        ("", "missing the \\[authoring\\] table"),
        ('[authoring]\nreuse = "v1"\nabsent = "x"\n', "exactly one of"),
        ('[authoring]\nreuse = "nowhere"\n', "names no pin with an authoring file"),
        ('[authoring]\nrepository = "r"\n', "missing commit, path, sha256"),
    ],
)
def test_a_pin_cannot_leave_its_authoring_document_unsaid(
    tmp_path: Path, authoring: str, message: str
) -> None:
    (tmp_path / "v1.toml").write_text(PIN_HEAD.format(v="v1") + authoring, encoding="utf-8")
    with pytest.raises(PinError, match=message):
        load_pins(tmp_path)


def test_a_version_reusing_the_authoring_document_generates_all_62_operations() -> None:
    result = build(NEXT_VERSION)
    documents = [(d.name, d.api_version) for d in result.documents]
    assert documents == [("inference", NEXT_VERSION), ("authoring", EXAMPLES_VERSION)]
    counts = {
        d: sum(op.document == d for op in result.operations) for d in ("inference", "authoring")
    }
    assert counts == {"inference": 42, "authoring": 20}
    assert any(f"reuses the authoring document of {EXAMPLES_VERSION}" in w for w in result.warnings)


def test_a_version_without_authoring_says_so() -> None:
    result = build(GA_VERSION)
    assert {op.document for op in result.operations} == {"inference"}
    assert [d.name for d in result.documents] == ["inference"]
    assert any("declares no authoring document" in w for w in result.warnings)


def test_clashing_names_follow_the_rule() -> None:
    result = build(EXAMPLES_VERSION)
    declared = result.declarations()
    # Different shapes: the inference class keeps the name, the authoring one is prefixed.
    for name in ("Error", "ErrorResponse", "InnerError", "InnerErrorCode"):
        assert declared[name].schema[0].islower(), name  # inference's camelCase component
        assert declared[f"Authoring{name}"].schema == name
        assert any(f"the authoring one is named Authoring{name}" in w for w in result.warnings)
    authoring_errors = {op.error_type for op in result.operations if op.document == "authoring"}
    assert authoring_errors == {ir.Ref("AuthoringErrorResponse")}
    error = declared["AuthoringErrorResponse"]
    assert isinstance(error, ir.Model)
    assert error.fields[0].type == ir.Ref("AuthoringError")  # references follow the rename


def _enum(name: str, *values: str) -> ir.Enum:
    return ir.Enum(name, name, "", [ir.EnumMember(v.upper(), v) for v in values])


def _model(name: str, field_type: ir.TypeExpr) -> ir.Model:
    return ir.Model(name, name, "", fields=[ir.Field("f", "f", field_type, True, False)])


def _ir(document: str, *decls: ir.Enum | ir.Model) -> ir.IR:
    out = ir.IR(api_version="v", spec_sha256=document)
    out.documents.append(ir.SourceDocument(document, "v", document))
    out.enums += [d for d in decls if isinstance(d, ir.Enum)]
    out.models += [d for d in decls if isinstance(d, ir.Model)]
    return out


def test_identical_declarations_merge_only_when_what_they_use_is_identical() -> None:
    first = _ir(
        "inference",
        _enum("Code", "a"),
        _model("Err", ir.Ref("Code")),
        _model("Same", ir.Prim("int")),
    )
    second = _ir(
        "authoring",
        _enum("Code", "b"),
        _model("Err", ir.Ref("Code")),
        _model("Same", ir.Prim("int")),
    )
    same, different = identical_names(first, second)
    # `Err` has the same fields, but its `Code` differs: it is not the same model.
    assert (same, different) == ({"Same"}, {"Code", "Err"})
    merged = merge(first, second)
    names = sorted(merged.declarations())
    assert names == ["AuthoringCode", "AuthoringErr", "Code", "Err", "Same"]
    assert [m.fields[0].type for m in merged.models if m.name == "AuthoringErr"] == [
        ir.Ref("AuthoringCode")
    ]
    assert any("Same is declared identically by both documents" in w for w in merged.warnings)


def test_a_renamed_enum_is_renamed_where_a_tag_field_names_it() -> None:
    tagged = ir.Model(
        "Circle",
        "circle",
        "",
        fields=[ir.Field("kind", "kind", ir.LiteralOf(("circle",)), True, False, tag="circle")],
    )
    tagged.fields[0].tag_enum = "Kind"
    merged = merge(
        _ir("inference", _enum("Kind", "a")), _ir("authoring", _enum("Kind", "b"), tagged)
    )
    circle = next(m for m in merged.models if m.name == "Circle")
    assert circle.fields[0].tag_enum == "AuthoringKind"


def test_both_documents_declaring_one_operation_is_an_error() -> None:
    def with_op(document: str) -> ir.IR:
        out = _ir(document)
        out.operations.append(ir.Operation("Op", "GET", "/x", (), "", "", [], [], [], None, False))
        return out

    with pytest.raises(MergeError, match="Op"):
        merge(with_op("inference"), with_op("authoring"))
