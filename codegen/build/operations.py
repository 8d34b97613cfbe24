"""Operations: parameters, request bodies and responses of every path item."""

from __future__ import annotations

from typing import Any

from codegen import ir
from codegen import pointer as jp
from codegen.build.context import Context
from codegen.build.types import type_of
from codegen.naming import identifier


def _parameters(
    ctx: Context, path: str, base: str, op: dict[str, Any], op_id: str
) -> list[ir.Parameter]:
    path_item = ctx.view.spec["paths"][path]
    raw_params = [
        (f"{jp.join('/paths', path)}/parameters/{i}", p)
        for i, p in enumerate(path_item.get("parameters", []))
    ]
    raw_params += [(f"{base}/parameters/{i}", p) for i, p in enumerate(op.get("parameters", []))]
    params: list[ir.Parameter] = []
    taken: set[str] = set()
    for param_pointer, raw in raw_params:
        param, param_pointer = ctx.view.deref(raw, param_pointer)
        if param.get("name") == "api-version" and param.get("in") == "query":
            continue
        location = param.get("in")
        if location not in ("path", "query", "header"):
            ctx.warn(f"{op_id}: parameter {param.get('name')} in {location} is not supported")
            continue
        schema = param.get("schema", {})
        t, _ = type_of(ctx, schema, f"{param_pointer}/schema")
        py_name = identifier(param["name"])
        while py_name in taken:
            py_name += "_"
        taken.add(py_name)
        params.append(
            ir.Parameter(
                name=param["name"],
                py_name=py_name,
                location=location,
                required=bool(param.get("required", location == "path")),
                type=t,
                description=str(
                    param.get("description", schema.get("description", "")) or ""
                ).strip(),
            )
        )
    return params


def build_operation(ctx: Context, path: str, method: str, op: dict[str, Any]) -> None:
    base = f"{jp.join('/paths', path)}/{method}"
    op_id = op.get("operationId") or f"{method}_{path}"
    params = _parameters(ctx, path, base, op, op_id)
    bodies: list[ir.RequestBody] = []
    streams = False
    request = op.get("requestBody", {})
    for ct, media in request.get("content", {}).items():
        if "schema" not in media:
            continue
        schema_pointer = jp.join(f"{base}/requestBody/content", ct) + "/schema"
        t, _ = type_of(ctx, media["schema"], schema_pointer)
        bodies.append(
            ir.RequestBody(type=t, content_type=ct, required=bool(request.get("required", False)))
        )
        target, target_pointer = ctx.view.deref(media["schema"], schema_pointer)
        if "stream" in ctx.view.flatten(target, target_pointer)[0]:
            streams = True
    responses: list[ir.ResponseBody] = []
    error_type: ir.TypeExpr | None = None
    for status, response in op.get("responses", {}).items():
        for ct, media in response.get("content", {}).items():
            schema = media.get("schema")
            t: ir.TypeExpr | None = None
            if schema is not None and (ct == "application/json" or ct.endswith("+json")):
                t, _ = type_of(
                    ctx, schema, jp.join(f"{base}/responses/{status}/content", ct) + "/schema"
                )
            if status == "default":
                if t is not None and error_type is None:
                    error_type = t
                continue
            responses.append(ir.ResponseBody(status=str(status), content_type=ct, type=t))
    ctx.out.operations.append(
        ir.Operation(
            operation_id=op_id,
            method=method.upper(),
            path=path,
            tags=tuple(op.get("tags", [])),
            summary=str(op.get("summary", "") or "").strip(),
            description=str(op.get("description", "") or "").strip(),
            parameters=params,
            request_bodies=bodies,
            responses=responses,
            error_type=error_type,
            streams=streams,
        )
    )
