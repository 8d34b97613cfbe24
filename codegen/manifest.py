"""IR -> Python source for ``models/_manifest.py``: the operations as data."""

from __future__ import annotations

from dataclasses import asdict

from codegen import ir
from codegen.emit import header
from codegen.pyfmt import (
    Bracket,
    Kw,
    Node,
    Or,
    Writer,
    annotated,
    call,
    flat,
    import_from,
    py_str,
    sub,
)

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
                **({"secret": "True"} if p.secret else {}),
            )
            for p in params
        ),
        tuple1=len(params) == 1,
    )


def _strings(values: tuple[str, ...]) -> Bracket:
    return Bracket("", "(", tuple(py_str(v) for v in values), tuple1=len(values) == 1)


def _dataclass_call(name: str, value: ir.Paging | ir.LongRunning | ir.SourceDocument) -> Node:
    fields = {k: v for k, v in asdict(value).items() if v is not None}
    return call(name, **{k: py_str(str(v)) for k, v in fields.items()})


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
                **({"file_fields": _strings(body.file_fields)} if body.file_fields else {}),
            )
        responses = tuple(
            call(
                "ResponseBody",
                status=py_str(r.status),
                content_type=py_str(r.content_type),
                model=_opt(_type_name(r.type)),
                **({"headers": _strings(r.headers)} if r.headers else {}),
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
            "document": py_str(op.document),
        }
        if op.paging is not None:
            kwargs["paging"] = _dataclass_call("Paging", op.paging)
        if op.long_running is not None:
            kwargs["long_running"] = _dataclass_call("LongRunning", op.long_running)
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
    shapes = ["Operation", "Parameter", "RequestBody", "ResponseBody", "SpecDocument"]
    shapes += [n for n in ("Paging", "LongRunning") if any(n in flat(o) for o in operations)]
    w.add(*import_from("azure_oai_preview._operation", sorted(shapes)))
    w.blank(1)
    w.add(f"API_VERSION = {py_str(ir_.api_version)}")
    w.add(f"SPEC_SHA256 = {py_str(ir_.spec_sha256)}")
    w.add('"""The sha256 of the inference document."""')
    w.add("")
    documents = tuple(_dataclass_call("SpecDocument", d) for d in ir_.documents)
    w.add(
        *annotated(
            "DOCUMENTS",
            sub("tuple", "SpecDocument", "..."),
            Bracket("", "(", documents, tuple1=len(documents) == 1),
            0,
        )
    )
    w.add(
        '"""The documents the operations come from (`Operation.document`); a reused document names '
        'the api-version that pins it."""'
    )
    w.add("")
    w.add(
        *annotated(
            "OPERATIONS",
            sub("tuple", "Operation", "..."),
            Bracket("", "(", tuple(operations), tuple1=len(operations) == 1),
            0,
        )
    )
    w.add(
        '"""Every operation of the api-version, in spec order: the inference document\'s, then the authoring document\'s."""'
    )
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
