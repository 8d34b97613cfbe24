"""Transformed spec -> IR.

* :mod:`.schema` reads the document (``$ref``, ``allOf``, union members and tags);
* :mod:`.analysis` is pass 1: every union and its tag, ambiguous ``x-ms-enum`` names — a frozen
  result;
* :mod:`.names` names declarations (inline schemas after their owner's JSON pointer);
* :mod:`.types`, :mod:`.enums` and :mod:`.operations` are pass 2, over an explicit
  :class:`~.context.Context`;
* the SDK's hooks (stream events, chunk models) come from declared configuration
  (``codegen/sdk.toml``, :mod:`codegen.sdk`).
"""

from __future__ import annotations

from typing import Any

from codegen import ir
from codegen import pointer as jp
from codegen.build.analysis import analyse
from codegen.build.context import Context
from codegen.build.names import Namer, assign_field_names, claim_components
from codegen.build.operations import build_operation
from codegen.build.schema import SpecView
from codegen.build.types import type_of
from codegen.naming import NameRegistry
from codegen.sdk import SdkHooks, apply_hooks, load_hooks

__all__ = ["build_ir"]


def build_ir(
    spec: dict[str, Any], api_version: str, spec_sha256: str, hooks: SdkHooks | None = None
) -> ir.IR:
    """The IR of ``spec`` (OpenAPI 3, transforms applied); ``hooks`` default to
    ``codegen/sdk.toml``."""
    out = ir.IR(api_version=api_version, spec_sha256=spec_sha256)
    warned: set[str] = set()

    def warn(message: str) -> None:
        if message not in warned:
            warned.add(message)
            out.warnings.append(message)

    view = SpecView(spec)
    registry = NameRegistry(warn)
    components = claim_components(view, registry)
    out.components.update(components)
    analysis = analyse(view, warn)
    ctx = Context(
        view=view,
        analysis=analysis,
        names=Namer(view, analysis, registry, components),
        out=out,
        warn=warn,
    )
    for name, schema in view.schemas.items():
        type_of(ctx, schema, jp.join("/components/schemas", name))
    for path, method, op in view.operations():
        build_operation(ctx, path, method, op)
    assign_field_names(out)
    apply_hooks(out, hooks if hooks is not None else load_hooks())
    return out
