"""Which API area each generated model belongs to, for the per-area model reference pages.

:func:`model_areas` is the one place that decides. Today it derives the areas from the
operations manifest: an operation's area is the first segment of its path (``chat``,
``threads``, ``files``...), and a model belongs to the areas whose operations reach it - its
request, parameter, response or error model, the types of its query parameters, and whatever
those refer to. A model no operation reaches (a stream event, say) takes the areas of its
neighbours. A model of several areas is on the "shared" page; one of none on "more".
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import re
from collections.abc import Iterable
from pathlib import Path

MODEL_MODULES = ("azure_oai_preview.models._generated", "azure_oai_preview.models._params")
SHARED = "shared"
UNREACHED = "more"
_WORD = re.compile(r"[A-Za-z_]\w*")


def model_areas() -> dict[str, list[str]]:
    """``{area: [model names]}``: every public name of ``azure_oai_preview.models``, once."""
    return _areas_from_operations()


def _areas_from_operations() -> dict[str, list[str]]:
    from azure_oai_preview.models._manifest import OPERATIONS

    references = _references(MODEL_MODULES)
    reached: dict[str, set[str]] = {}
    for operation in OPERATIONS:
        roots = [response.model for response in operation.responses]
        roots += [operation.error_model, _params_name(operation.operation_id)]
        roots += [parameter.type for parameter in operation.query_params]
        if operation.request_body is not None:
            roots.append(operation.request_body.model)
        area = _area(operation.path)
        for name in _closure((r for r in roots if r in references), references):
            reached.setdefault(name, set()).add(area)
    _adopt_unreached(reached, references)
    areas: dict[str, list[str]] = {}
    for name in references:
        found = reached.get(name, set())
        area = next(iter(found)) if len(found) == 1 else SHARED if found else UNREACHED
        areas.setdefault(area, []).append(name)
    return {area: sorted(names, key=str.lower) for area, names in sorted(areas.items())}


def _adopt_unreached(reached: dict[str, set[str]], references: dict[str, set[str]]) -> None:
    """Give models no operation reaches the areas of their neighbours, until nothing changes.

    Neighbours: the models it refers to, those referring to it, and the model whose name
    starts its own (``MessageDeltaObjectType`` -> ``MessageDeltaObject``).
    """
    mentioned_by: dict[str, set[str]] = {}
    for name, mentions in references.items():
        for mention in mentions:
            mentioned_by.setdefault(mention, set()).add(name)
    changed = True
    while changed:
        changed = False
        for name in references:
            if reached.get(name):
                continue
            neighbours = references[name] | mentioned_by.get(name, set())
            prefix = max(
                (n for n in references if n != name and name.startswith(n)), key=len, default=None
            )
            if prefix is not None:
                neighbours.add(prefix)
            found = {area for n in neighbours for area in reached.get(n, ())}
            if found:
                reached[name] = found
                changed = True


def _area(path: str) -> str:
    """``/deployments/{deployment-id}/chat/completions`` -> ``chat``; ``/threads/...`` -> ``threads``."""
    segments = [s for s in path.split("/") if s and not s.startswith("{")]
    if segments and segments[0] == "deployments":
        segments = segments[1:]
    return segments[0] if segments else "service"


def _params_name(operation_id: str) -> str:
    """``ChatCompletions_Create`` -> ``ChatCompletionsCreateParams`` (the generator's naming)."""
    return "".join(part[:1].upper() + part[1:] for part in operation_id.split("_")) + "Params"


def _references(modules: Iterable[str]) -> dict[str, set[str]]:
    """``{public name: public names its definition mentions}`` across the model modules."""
    definitions: dict[str, ast.AST] = {}
    for name in modules:
        module = importlib.import_module(name)
        spec = importlib.util.find_spec(name)
        assert spec is not None
        assert spec.origin is not None
        tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
        public = set(module.__all__)
        for node in tree.body:
            for defined in _defined_names(node):
                if defined in public:
                    definitions[defined] = node
    known = set(definitions)
    return {name: _mentions(node, known) - {name} for name, node in definitions.items()}


def _defined_names(node: ast.stmt) -> list[str]:
    if isinstance(node, ast.ClassDef):
        return [node.name]
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return [node.target.id]
    if isinstance(node, ast.Assign):
        return [t.id for t in node.targets if isinstance(t, ast.Name)]
    return []


def _mentions(node: ast.AST, known: set[str]) -> set[str]:
    names: set[str] = set()
    for child in ast.walk(node):
        if isinstance(child, ast.Name):
            names.add(child.id)
        elif isinstance(child, ast.Constant) and isinstance(child.value, str):
            names.update(_WORD.findall(child.value))  # quoted forward references
    return names & known


def _closure(roots: Iterable[str], references: dict[str, set[str]]) -> set[str]:
    seen: set[str] = set()
    stack = list(roots)
    while stack:
        name = stack.pop()
        if name not in seen:
            seen.add(name)
            stack.extend(references.get(name, ()))
    return seen
