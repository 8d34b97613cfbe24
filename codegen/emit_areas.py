"""IR + :class:`~codegen.areas.Layout` -> the models package: one module per API area, the
``_generated`` module that gathers them, and ``_areas`` (the layout as data)."""

from __future__ import annotations

from codegen import ir
from codegen.areas import COMMON, UNREFERENCED, Layout, module_name
from codegen.emit import declaration_deps, emit_module, header
from codegen.paths import AREAS_FILE, GENERATED_FILE
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


def emit_areas(ir_: ir.IR, layout: Layout) -> str:
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
    return w.text()


def emit_package(ir_: ir.IR, layout: Layout) -> dict[str, str]:
    """File name -> source of every generated models module but the manifest and params."""
    files = {
        f"{module_name(area)}.py": emit_area_module(ir_, layout, area) for area in layout.modules
    }
    files[GENERATED_FILE] = emit_generated(ir_, layout)
    files[AREAS_FILE] = emit_areas(ir_, layout)
    return files
