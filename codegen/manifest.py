"""IR -> Python source for ``models/_manifest.py``: the operations as data."""

from __future__ import annotations

from codegen import ir
from codegen.emit import header
from codegen.pyfmt import Bracket, Kw, Node, Or, Writer, annotated, call, py_str, sub

# -------------------------------------------------------------------------------- manifest


def _type_name(expr: ir.TypeExpr | None) -> str | None:
    if expr is None:
        return None
    return ir.describe(expr)


def _opt(value: str | None) -> str:
    return "None" if value is None else py_str(value)


def _params(params: list[ir.Parameter]) -> Bracket:
    return Bracket(
        "",
        "(",
        tuple(
            call(
                "Parameter",
                name=py_str(p.name),
                python_name=py_str(p.py_name),
                location=py_str(p.location),
                required=repr(p.required),
                type=py_str(ir.describe(p.type)),
            )
            for p in params
        ),
        tuple1=len(params) == 1,
    )


def emit_manifest(ir_: ir.IR) -> str:
    operations: list[Node] = []
    for op in ir_.operations:
        by_location = {
            location: [p for p in op.parameters if p.location == location]
            for location in ("path", "query", "header")
        }

        request: Node = "None"
        if op.request_bodies:
            body = op.request_bodies[0]
            request = call(
                "RequestBody",
                model=py_str(ir.describe(body.type)),
                content_type=py_str(body.content_type),
                required=repr(body.required),
            )
        responses = tuple(
            call(
                "ResponseBody",
                status=py_str(r.status),
                content_type=py_str(r.content_type),
                model=_opt(_type_name(r.type)),
            )
            for r in op.responses
        )
        kwargs: dict[str, Node] = {
            "operation_id": py_str(op.operation_id),
            "method": py_str(op.method),
            "path": py_str(op.path),
            "tags": Bracket("", "(", tuple(py_str(t) for t in op.tags), tuple1=len(op.tags) == 1),
            "summary": py_str(op.summary),
            "path_params": _params(by_location["path"]),
            "query_params": _params(by_location["query"]),
            "header_params": _params(by_location["header"]),
            "request_body": request,
            "responses": Bracket("", "(", responses, tuple1=len(responses) == 1),
            "error_model": _opt(_type_name(op.error_type)),
            "streams": repr(op.streams),
        }
        operations.append(Bracket("Operation", "(", tuple(Kw(k, v) for k, v in kwargs.items())))

    w = Writer()
    w.add(
        *header(
            ir_,
            "Read by the clients and the tests.",
            f"The operations of api-version {ir_.api_version}, as data.\n\n"
            "Type names are attributes of `azure_oai_preview.models`, kept as strings so importing "
            "this module never imports the models. The `api-version` query parameter is left out: "
            "the client always sends it.",
        )
    )
    w.add("from __future__ import annotations")
    w.add("")
    w.add(
        "from azure_oai_preview._operation import Operation, Parameter, RequestBody, ResponseBody"
    )
    w.blank(1)
    w.add(f"API_VERSION = {py_str(ir_.api_version)}")
    w.add(f"SPEC_SHA256 = {py_str(ir_.spec_sha256)}")
    w.add("")
    w.add(
        *annotated(
            "OPERATIONS",
            sub("tuple", "Operation", "..."),
            Bracket("", "(", tuple(operations), tuple1=len(operations) == 1),
            0,
        )
    )
    w.add('"""Every operation of the spec, in spec order."""')
    w.add("")
    w.add("BY_ID: dict[str, Operation] = {op.operation_id: op for op in OPERATIONS}")
    w.add("")
    events = Bracket(
        "", "{", tuple(f"{py_str(k)}: {py_str(v)}" for k, v in ir_.stream_events.items())
    )
    w.add(*annotated("STREAM_EVENTS", sub("dict", "str", "str"), events, 0))
    w.add('"""Assistant stream event name -> the model of its event (`event`, `data`)."""')
    w.add("")
    w.add(
        *annotated("CHAT_COMPLETION_CHUNK", Or(("str", "None")), _opt(ir_.chat_completion_chunk), 0)
    )
    w.add('"""The model of one streamed chat completion chunk."""')
    w.add("")
    w.add(f"COMPLETION_CHUNK = {_opt(ir_.completion_chunk)}")
    w.add('"""The model of one streamed (legacy) completion chunk."""')
    return w.text()
