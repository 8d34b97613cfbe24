"""Generator rules on a small synthetic spec: the cases today's pinned specs barely exercise."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from codegen import ir, pointer
from codegen.build import build_ir
from codegen.emit import emit_models
from codegen.manifest import emit_manifest
from codegen.sdk import SdkHooks, load_hooks

from .conftest import import_from


def _spec() -> dict[str, Any]:
    return {
        "openapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/things/{thing-id}": {
                "post": {
                    "operationId": "Things_Create",
                    "parameters": [
                        {
                            "name": "thing-id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        },
                        {"name": "x-trace", "in": "header", "schema": {"type": "string"}},
                        {
                            "name": "api-version",
                            "in": "query",
                            "required": True,
                            "schema": {"type": "string"},
                        },
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "stream": {"type": "boolean"},
                                        "class": {"type": "string"},
                                        "schema": {"type": "string"},
                                        "sizes[]": {
                                            "type": "array",
                                            "items": {"type": "string"},
                                            "default": [],
                                        },
                                        "secret_key": {"type": "string"},
                                    },
                                }
                            }
                        },
                    },
                    "responses": {
                        "200": {
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/shape"}
                                }
                            }
                        },
                        "default": {
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/thing"}
                                }
                            }
                        },
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "thing": {
                    "type": "object",
                    "title": "Thing",
                    "description": 'A thing with a "quoted" word and a back\\slash.',
                    "properties": {
                        "id": {"type": "string", "readOnly": True},
                        "color": {
                            "type": "string",
                            "enum": ["red", "dark.blue", "1x1"],
                            "default": "red",
                            "x-ms-enum": {
                                "name": "Color",
                                "values": [{"value": "red", "description": "Red."}],
                            },
                        },
                        "tint": {
                            "type": "string",
                            "enum": ["red", "dark.blue", "1x1"],
                            "x-ms-enum": {"name": "Color"},
                        },
                        "mood": {
                            "type": "string",
                            "enum": ["up", "down"],
                            "x-ms-enum": {"name": "Mood"},
                        },
                        "labels": {"type": "object", "additionalProperties": {"type": "integer"}},
                        "score": {"type": "number", "minimum": 0, "maximum": 1, "nullable": True},
                    },
                    "required": ["id"],
                    "additionalProperties": True,
                },
                "other": {
                    "type": "object",
                    "properties": {
                        "mood": {"type": "string", "enum": ["happy"], "x-ms-enum": {"name": "Mood"}}
                    },
                },
                "Thing": {"type": "object", "properties": {"x": {"type": "integer"}}},
                "shape": {
                    "type": "object",
                    "properties": {"kind": {"$ref": "#/components/schemas/shapeKind"}},
                    "required": ["kind"],
                    "discriminator": {
                        "propertyName": "kind",
                        "mapping": {
                            "circle.v1": "#/components/schemas/circle",
                            "square(x)": "#/components/schemas/square",
                        },
                    },
                },
                "shapeKind": {"type": "string", "enum": ["circle.v1", "square(x)"]},
                "circle": {
                    "allOf": [
                        {"$ref": "#/components/schemas/shape"},
                        {"properties": {"radius": {"type": "number"}}},
                    ],
                    "required": ["radius"],
                    "x-ms-discriminator-value": "circle.v1",
                },
                "square": {
                    "allOf": [
                        {"$ref": "#/components/schemas/shape"},
                        {"properties": {"side": {"type": "number"}}},
                    ],
                    "x-ms-discriminator-value": "square(x)",
                },
            }
        },
    }


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any, Any]:
    result = build_ir(_spec(), "synthetic", "0" * 64)
    out: Path = tmp_path_factory.mktemp("synthetic")
    (out / "_generated.py").write_text(emit_models(result), encoding="utf-8")
    (out / "_manifest.py").write_text(emit_manifest(result), encoding="utf-8")
    models = import_from(out / "_generated.py", "_codegen_synthetic")
    manifest = import_from(out / "_manifest.py", "_codegen_synthetic_manifest")
    return result, models, manifest


def test_names_and_collisions(generated: tuple[Any, Any, Any]) -> None:
    result, models, _ = generated
    assert result.components["thing"] == "Thing"
    assert result.components["Thing"] == "Thing2"
    assert any("Thing2" in w for w in result.warnings)
    # "Mood" names two different value sets: both uses are named after their parent.
    assert {"ThingMood", "OtherMood"} <= set(models.__all__)
    assert "Mood" not in models.__all__
    # "Color" with the same values twice is one shared class.
    assert models.Thing.model_fields["color"].annotation is models.Color
    assert models.Thing.model_fields["tint"].annotation == models.Color | None
    assert [m.name for m in models.Color] == ["RED", "DARK_BLUE", "V_1X1"]


def test_field_rules(generated: tuple[Any, Any, Any]) -> None:
    _, models, _ = generated
    thing = models.Thing
    assert thing.__azure_read_only__ == frozenset({"id"})
    assert thing.__azure_additional_properties__ is True
    assert thing.__azure_non_nullable__ == frozenset({"color", "labels", "mood", "tint"})
    assert thing.model_fields["color"].default == models.Color.RED
    assert thing.__azure_schema__ == "thing"
    assert "back\\slash" in (thing.__doc__ or "")
    assert '"quoted"' in (thing.__doc__ or "")
    labels = thing.model_validate({"id": "1", "labels": {"a": 1}}).labels
    assert labels == {"a": 1}
    request = models.ThingsCreateRequest
    fields = request.model_fields
    assert fields["class_"].alias == "class"
    assert fields["schema_"].alias == "schema"
    assert fields["sizes"].alias == "sizes[]"
    assert fields["secret_key"].repr is False
    parsed = request.model_validate(
        {"class": "a", "schema": "b", "sizes[]": ["s"], "secret_key": "hush"}
    )
    assert "hush" not in repr(parsed)
    assert parsed.model_dump(by_alias=True, exclude_unset=True) == {
        "class": "a",
        "schema": "b",
        "sizes[]": ["s"],
        "secret_key": "hush",
    }
    assert request.model_validate({}).sizes == []


def test_discriminator_union_with_regex_metacharacters(generated: tuple[Any, Any, Any]) -> None:
    _, models, manifest = generated
    adapter: TypeAdapter[Any] = TypeAdapter(models.Shape)
    assert type(adapter.validate_python({"kind": "circle.v1", "radius": 2})).__name__ == "Circle"
    assert type(adapter.validate_python({"kind": "square(x)"})).__name__ == "Square"
    # "circleXv1" must not match the escaped known tag "circle.v1".
    unknown = adapter.validate_python({"kind": "circleXv1", "radius": 2})
    assert type(unknown).__name__ == "UnknownShape"
    with pytest.raises(ValidationError):
        adapter.validate_python({"kind": "circle.v1"})  # known tag, missing radius
    (operation,) = manifest.OPERATIONS
    assert operation.streams is True
    assert [p.name for p in operation.path_params] == ["thing-id"]
    assert [p.python_name for p in operation.header_params] == ["x_trace"]
    assert operation.query_params == ()
    assert operation.error_model == "Thing"
    assert [r.model for r in operation.responses] == ["Shape"]


def test_defaults_are_data_in_the_ir(generated: tuple[Any, Any, Any]) -> None:
    result, _, _ = generated
    thing = next(m for m in result.models if m.name == "Thing")
    color = next(f for f in thing.fields if f.wire_name == "color")
    assert color.default == ir.Default(value=ir.EnumValue("Color", "RED"), raw="red")
    request = next(m for m in result.models if m.name == "ThingsCreateRequest")
    sizes = next(f for f in request.fields if f.wire_name == "sizes[]")
    assert sizes.default == ir.Default(value=ir.ListValue(()), raw=[])


def test_sdk_hooks_come_from_configuration() -> None:
    hooks = load_hooks()
    assert hooks.stream_events_union == "assistantStreamEvent"
    assert hooks.completion_chunk_response_of == "Completions_Create"
    # The synthetic spec has no chunk schema; pointing the hook at its operation names the
    # operation's 200 model, and a hook naming nothing leaves the entry empty.
    custom = SdkHooks(completion_chunk_response_of="Things_Create", chat_chunk_schema="nothing")
    result = build_ir(_spec(), "synthetic", "0" * 64, hooks=custom)
    assert result.completion_chunk == "Shape"
    assert result.chat_completion_chunk is None
    assert result.stream_events == {}
    shape_union = SdkHooks(stream_events_union="shape")
    tagged = build_ir(_spec(), "synthetic", "0" * 64, hooks=shape_union).stream_events
    assert tagged == {"circle.v1": "Circle", "square(x)": "Square"}


def test_json_pointers_escape_and_resolve() -> None:
    doc = {"paths": {"/a~b": {"get": [0, {"x": 1}]}}}
    where = pointer.join("/paths", "/a~b")
    assert where == "/paths/~1a~0b"
    assert pointer.tokens("#" + where) == ["paths", "/a~b"]
    assert pointer.resolve(doc, f"{where}/get/1/x") == 1
    with pytest.raises(pointer.PointerError, match="no 'y'"):
        pointer.resolve(doc, f"{where}/get/1/y")
    with pytest.raises(pointer.PointerError, match="bad JSON pointer"):
        pointer.tokens("paths")
