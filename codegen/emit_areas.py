"""IR + :class:`~codegen.areas.Layout` -> the models package: one models module and one request
parameters module per API area, the ``_generated`` and ``_params`` modules that gather them, and
``_areas`` (the layout as data)."""

from __future__ import annotations

from codegen import ir
from codegen.areas import COMMON, UNREFERENCED, AreaError, Layout, module_name
from codegen.emit import declaration_deps, emit_module, header
from codegen.params import PARAMS_DOC, Plan, Prepared, emit_params_module, param_name, prepare
from codegen.paths import AREAS_FILE, GENERATED_FILE, PARAMS_FILE
from codegen.pyfmt import (
    Bracket,
    Node,
    Pair,
    Writer,
    annotated,
    import_from,
    py_str,
    render,
    sub,
    tuple_of,
)

_TITLES = {
    COMMON: "Shared by several areas",
    UNREFERENCED: "Used by no operation of this api-version",
}


def title_of(layout: Layout, area: str) -> str:
    return _TITLES.get(area) or next(r.title for r in layout.rules if r.name == area)


def _module_doc(ir_: ir.IR, layout: Layout, area: str) -> str:
    if area == COMMON:
        return (
            f"Models shared by several API areas, api-version {ir_.api_version}: declarations "
            "reached from the operations of more than one area (see `AREAS` in `_areas`)."
        )
    if area == UNREFERENCED:
        return (
            f"Models no operation of api-version {ir_.api_version} uses: spec declarations "
            "reached by no operation, kept public for completeness."
        )
    operations = [op for op, a in layout.operations.items() if a == area]
    return (
        f"Models of the {title_of(layout, area)} area, api-version {ir_.api_version}: "
        f"the declarations only its operations use ({', '.join(operations)}); see `_areas`."
    )


def emit_area_module(ir_: ir.IR, layout: Layout, area: str) -> str:
    names = set(layout.names_in(area))
    decls = ir_.declarations()
    imports = {
        dep: module_name(layout.declarations[dep])
        for name in sorted(names)
        for dep in declaration_deps(decls[name])
        if dep not in names
    }
    return emit_module(ir_, names, imports, _module_doc(ir_, layout, area))


def emit_generated(ir_: ir.IR, layout: Layout) -> str:
    """``_generated``: every model, gathered from the area modules (importing it imports them
    all; the facade imports one area at a time)."""
    w = Writer()
    w.add(
        *header(
            ir_,
            "The public facade is azure_oai_preview.models.",
            f"Every model of api-version {ir_.api_version}, gathered from the API area modules.\n\n"
            "Importing this module imports every area; `azure_oai_preview.models` imports only "
            "the area (and `_common`) of the name asked for. Type checkers read the facade's "
            "names from here.",
        )
    )
    for area in sorted(layout.modules, key=module_name):  # isort's order
        w.add(*import_from(f".{module_name(area)}", layout.names_in(area)))
    w.blank(1)
    names = sorted(layout.declarations)
    w.add(*render(Bracket("", "[", tuple(py_str(n) for n in names)), 0, "__all__ = "))
    return w.text()


def _dict(name: str, value_type: str, items: list[tuple[str, Node]]) -> list[str]:
    value = Bracket("", "{", tuple(Pair(py_str(k), v) for k, v in items))
    return annotated(name, sub("dict", "str", value_type), value, 0)


def emit_areas(ir_: ir.IR, layout: Layout, params: dict[str, str]) -> str:
    """``_areas``: the layout as data, for the facade and for the docs (models per area)."""
    w = Writer()
    w.add(
        *header(
            ir_,
            "Read by azure_oai_preview.models and the docs.",
            f"The API areas of api-version {ir_.api_version} and the module holding each model, "
            "as data (the rule: codegen/areas.py).\n\n"
            "Importing this module imports no model.",
        )
    )
    w.add("from __future__ import annotations")
    w.blank(1)
    areas = [r.name for r in layout.rules if r.name in layout.operations.values()]
    operations: list[tuple[str, Node]] = [
        (area, tuple_of([py_str(op) for op, a in layout.operations.items() if a == area]))
        for area in areas
    ]
    w.add(*_dict("AREAS", "tuple[str, ...]", operations))
    w.add('"""Each API area -> the operationIds that belong to it (spec order)."""')
    w.add("")
    titles: list[tuple[str, Node]] = [
        (a, py_str(title_of(layout, a))) for a in [*areas, COMMON, UNREFERENCED]
    ]
    w.add(*_dict("TITLES", "str", titles))
    w.add('"""Each area (and `common`, `unreferenced`) -> its title in the docs."""')
    w.add("")
    modules: list[tuple[str, Node]] = [(a, py_str(module_name(a))) for a in layout.modules]
    w.add(*_dict("MODULES", "str", modules))
    w.add('"""Each area that holds models -> its module in `azure_oai_preview.models`."""')
    w.add("")
    placed: list[tuple[str, Node]] = [
        (n, py_str(layout.declarations[n])) for n in sorted(layout.declarations)
    ]
    w.add(*_dict("MODEL_AREAS", "str", placed))
    w.add(
        '"""Every public model name -> its area: one that holds models in `MODULES`, '
        '`common` or `unreferenced`."""'
    )
    w.add("")
    param_modules: list[tuple[str, Node]] = [
        (a, py_str(params_module_name(a))) for a in _ordered(layout, set(params.values()))
    ]
    w.add(*_dict("PARAM_MODULES", "str", param_modules))
    w.add('"""Each area that has request parameter types -> their module."""')
    w.add("")
    w.add(*_dict("PARAM_AREAS", "str", [(n, py_str(params[n])) for n in sorted(params)]))
    w.add('"""Every request parameter TypedDict or alias (`...Param`, `...Params`) -> its area."""')
    return w.text()


def params_module_name(area: str) -> str:
    """The file stem of an area's request parameters module (``chat`` -> ``_params_chat``)."""
    return f"_params_{area}"


def _ordered(layout: Layout, areas: set[str]) -> list[str]:
    order = [COMMON, *(r.name for r in layout.rules), UNREFERENCED]
    return [a for a in order if a in areas]


def param_areas(layout: Layout, prepared: Prepared) -> dict[str, str]:
    """Each parameter declaration -> its area: that of the model, union or alias it types, or
    of the operation whose keywords it lists. Like the models, an area's parameters refer only
    to their own area's and to common ones (checked)."""
    p = prepared.plan
    found = {param_name: layout.declarations[decl.name] for decl, param_name in _typed(p)}
    found |= {entry.name: layout.operations[entry.operation.operation_id] for entry in p.operations}
    found |= {name: layout.operations[op.operation_id] for name, op, _ in p.union_bodies}
    for name, area in found.items():
        for ref in prepared.refs(name):
            if area != UNREFERENCED and found[ref] not in (area, COMMON):
                raise AreaError(f"{name} ({area}) refers to {ref} ({found[ref]})")
    return found


def _typed(p: Plan) -> list[tuple[ir.Model | ir.Union | ir.Alias, str]]:
    return [(d, param_name(d.name)) for d in (*p.models, *p.aliases)]


def emit_params_split(ir_: ir.IR, layout: Layout) -> tuple[dict[str, str], dict[str, str]]:
    """(file name -> source of every request parameters module, parameter name -> area)."""
    prepared = prepare(ir_)
    areas = param_areas(layout, prepared)
    modules = {name: module_name(area) for name, area in layout.declarations.items()}
    modules |= {name: params_module_name(area) for name, area in areas.items()}
    files: dict[str, str] = {}
    used = _ordered(layout, set(areas.values()))
    for area in used:
        names = {n for n, a in areas.items() if a == area}
        doc = (
            f"Request parameters of the {title_of(layout, area)} area as TypedDicts, "
            f"api-version {ir_.api_version} (all of them: `_params`).\n\n{PARAMS_DOC}"
        )
        files[f"{params_module_name(area)}.py"] = emit_params_module(
            ir_, prepared, names, modules, doc
        )
    w = Writer()
    w.add(
        *header(
            ir_,
            "The public facade is azure_oai_preview.models.",
            f"Request parameters as TypedDicts, api-version {ir_.api_version}, gathered from the "
            f"API area modules (`_params_<area>`).\n\n{PARAMS_DOC}",
        )
    )
    for area in sorted(used, key=params_module_name):  # isort's order
        names = sorted(n for n, a in areas.items() if a == area)
        w.add(*import_from(f".{params_module_name(area)}", names))
    w.blank(1)
    w.add(*render(Bracket("", "[", tuple(py_str(n) for n in sorted(areas))), 0, "__all__ = "))
    files[PARAMS_FILE] = w.text()
    return files, areas


def emit_package(ir_: ir.IR, layout: Layout) -> dict[str, str]:
    """File name -> source of every generated models module but the manifest."""
    files = {
        f"{module_name(area)}.py": emit_area_module(ir_, layout, area) for area in layout.modules
    }
    params, areas = emit_params_split(ir_, layout)
    files |= params
    files[GENERATED_FILE] = emit_generated(ir_, layout)
    files[AREAS_FILE] = emit_areas(ir_, layout, areas)
    return files
