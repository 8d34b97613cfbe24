"""Operations: parameters, request bodies and responses of every path item."""

from __future__ import annotations

from typing import Any

from codegen import ir
from codegen import pointer as jp
from codegen.build.context import Context
from codegen.build.types import type_of
from codegen.jsonish import object_at
from codegen.naming import identifier, is_secret


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
                secret=location == "header" and _is_credential_header(param["name"]),
            )
        )
    return params


def _is_credential_header(name: str) -> bool:
    # `mgmt-user-token`, `aml-user-token`: a header carrying a token is a credential, unlike a
    # body field named after model tokens (see naming.is_secret).
    return is_secret(name) or "token" in name.lower().replace("_", "-").split("-")


def _file_fields(ctx: Context, t: ir.TypeExpr, content_type: str) -> tuple[str, ...]:
    if not content_type.startswith("multipart/") or not isinstance(t, ir.Ref):
        return ()
    model = next((m for m in ctx.out.models if m.name == t.name), None)
    binary = (ir.Prim("bytes"), ir.ListOf(ir.Prim("bytes")))
    return tuple(f.wire_name for f in model.fields if f.type in binary) if model else ()


def _long_running(op: dict[str, Any], responses: list[ir.ResponseBody]) -> ir.LongRunning | None:
    if op.get("x-ms-long-running-operation") is not True:
        return None
    via = str(
        object_at(op, "x-ms-long-running-operation-options").get("final-state-via", "location")
    )
    headers = {h.lower() for r in responses if r.status.startswith("2") for h in r.headers}
    return ir.LongRunning(
        final_state_via=via,
        poll_header="location" if via in ("location", "original-uri") else via,
        retry_after_header="retry-after" if "retry-after" in headers else None,
    )


def _responses(
    ctx: Context, base: str, op: dict[str, Any]
) -> tuple[list[ir.ResponseBody], ir.TypeExpr | None]:
    responses: list[ir.ResponseBody] = []
    error_type: ir.TypeExpr | None = None
    for status, response in op.get("responses", {}).items():
        headers = tuple(object_at(response, "headers"))
        content = object_at(response, "content")
        if not content and status != "default":
            responses.append(ir.ResponseBody(status=str(status), content_type="", type=None))
        for ct, media in content.items():
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
            responses.append(
                ir.ResponseBody(status=str(status), content_type=ct, type=t, headers=headers)
            )
    return responses, error_type


def build_operation(
    ctx: Context, path: str, method: str, op: dict[str, Any], document: str = "inference"
) -> None:
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
            ir.RequestBody(
                type=t,
                content_type=ct,
                required=bool(request.get("required", False)),
                file_fields=_file_fields(ctx, t, ct),
            )
        )
        target, target_pointer = ctx.view.deref(media["schema"], schema_pointer)
        if "stream" in ctx.view.flatten(target, target_pointer)[0]:
            streams = True
    responses, error_type = _responses(ctx, base, op)
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
            document=document,
            long_running=_long_running(op, responses),
        )
    )


def paging_of(out: ir.IR, op: ir.Operation) -> ir.Paging | None:
    """The paging style of a list operation, read off its 200 JSON model: ``data`` + ``has_more``
    with an ``after`` query parameter (cursor), or ``value`` + ``nextLink`` (Azure)."""
    response = next(
        (r for r in op.responses if r.status == "200" and isinstance(r.type, ir.Ref)), None
    )
    model = next(
        (m for m in out.models if response and m.name == getattr(response.type, "name", None)), None
    )
    if model is None:
        return None
    fields = {f.wire_name: f for f in model.fields}
    query = {p.name for p in op.parameters if p.location == "query"}
    if "has_more" in fields and "data" in fields and "after" in query:
        return ir.Paging(style="cursor", items="data", next="has_more", cursor_param="after")
    if "nextLink" in fields and "value" in fields:
        return ir.Paging(style="next_link", items="value", next="nextLink")
    return None
