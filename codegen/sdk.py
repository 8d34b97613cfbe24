"""SDK hooks: the declarations the manifest singles out for the hand-written client, declared in
``codegen/sdk.toml`` rather than written into the builder."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from codegen import ir
from codegen.tomlfile import load_toml

SDK_CONFIG = Path(__file__).resolve().parent / "sdk.toml"


@dataclass(frozen=True)
class SdkHooks:
    stream_events_union: str | None = None  # component schema of the stream event union
    chat_chunk_schema: str | None = None
    completion_chunk_schema: str | None = None
    completion_chunk_response_of: str | None = None  # operationId, when the schema is absent
    # The operation whose stream carries each hook's models (decides their API area).
    stream_events_operation: str | None = None
    chat_chunk_operation: str | None = None
    completion_chunk_operation: str | None = None


def load_hooks(path: Path = SDK_CONFIG) -> SdkHooks:
    data = load_toml(path)
    known = {"stream_events", "chat_completion_chunk", "completion_chunk", *_PARAM_SECTIONS}
    unknown = set(data) - known
    if unknown:
        raise ValueError(f"{path}: unknown sections {sorted(unknown)}")
    return SdkHooks(
        stream_events_union=data.get("stream_events", {}).get("union"),
        chat_chunk_schema=data.get("chat_completion_chunk", {}).get("schema"),
        completion_chunk_schema=data.get("completion_chunk", {}).get("schema"),
        completion_chunk_response_of=data.get("completion_chunk", {}).get("response_of"),
        stream_events_operation=data.get("stream_events", {}).get("operation"),
        chat_chunk_operation=data.get("chat_completion_chunk", {}).get("operation"),
        completion_chunk_operation=data.get("completion_chunk", {}).get("operation"),
    )


_PARAM_SECTIONS = ("request_accepts", "int_key_maps")


@dataclass(frozen=True)
class ParamHooks:
    """What ``_params.py`` types beyond the spec (``[request_accepts]``, ``[int_key_maps]``)."""

    # component schema -> component schemas of the (response) models also accepted for it
    accepts: dict[str, tuple[str, ...]] = field(default_factory=dict[str, tuple[str, ...]])
    # (operationId, wire name) of request fields that map token ids: int keys are typed too
    int_key_fields: frozenset[tuple[str, str]] = frozenset()


def load_param_hooks(path: Path = SDK_CONFIG) -> ParamHooks:
    data = load_toml(path)
    accepts = {
        str(schema): tuple(str(m) for m in models)
        for schema, models in data.get("request_accepts", {}).items()
    }
    fields: set[tuple[str, str]] = set()
    for entry in data.get("int_key_maps", {}).get("fields", []):
        operation_id, sep, wire = str(entry).rpartition(".")
        if not sep or not operation_id or not wire:
            raise ValueError(f"{path}: int_key_maps entry {entry!r} is not 'operationId.field'")
        fields.add((operation_id, wire))
    return ParamHooks(accepts=accepts, int_key_fields=frozenset(fields))


def _response_model(out: ir.IR, operation_id: str | None) -> str | None:
    for op in out.operations:
        if op.operation_id == operation_id:
            for response in op.responses:
                if response.status == "200" and isinstance(response.type, ir.Ref):
                    return response.type.name
    return None


def apply_hooks(out: ir.IR, hooks: SdkHooks) -> None:
    """Fill the IR's SDK entries (stream events, chunk models, and the operations whose
    streams carry them) from ``hooks``."""
    for union in out.unions:
        if union.schema == hooks.stream_events_union:
            out.stream_events = dict(union.tags)
            if hooks.stream_events_operation:
                out.stream_models[union.name] = hooks.stream_events_operation
    out.chat_completion_chunk = out.components.get(hooks.chat_chunk_schema or "")
    out.completion_chunk = out.components.get(
        hooks.completion_chunk_schema or ""
    ) or _response_model(out, hooks.completion_chunk_response_of)
    for name, operation in (
        (out.chat_completion_chunk, hooks.chat_chunk_operation),
        (out.completion_chunk, hooks.completion_chunk_operation),
    ):
        if name and operation:
            out.stream_models[name] = operation
