"""The import rules of ARCHITECTURE.md, checked on the source.

Every ``import`` and ``from ... import`` of the package is read with ``ast`` - at module level,
inside functions (lazy imports) and under ``TYPE_CHECKING`` alike - so a rule cannot be dodged by
moving an import out of sight. Each rule names the layer it protects; ARCHITECTURE.md explains why.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = "azure_oai_preview"
ROOT = Path(__file__).resolve().parents[2] / PACKAGE


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> Iterator[str]:
    """Every module of the package (or outside it) that ``path`` imports, fully qualified."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            yield target
            # `from . import models` names a module, not an attribute.
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                if _is_module(candidate):
                    yield candidate


def _is_module(name: str) -> bool:
    if not name.startswith(PACKAGE):
        return False
    relative = Path(*name.split(".")[1:]) if "." in name else Path()
    return (ROOT / relative).with_suffix(".py").is_file() or (
        ROOT / relative / "__init__.py"
    ).is_file()


GRAPH: dict[str, set[str]] = {
    _module_name(path): set(_imports(path)) for path in sorted(ROOT.rglob("*.py"))
}


def _in(module: str, *prefixes: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def _violations(sources: tuple[str, ...], forbidden: tuple[str, ...]) -> list[str]:
    return sorted(
        f"{module} imports {target}"
        for module, targets in GRAPH.items()
        if _in(module, *sources)
        for target in targets
        if _in(target, *forbidden) and not _in(target, module)
    )


def p(*names: str) -> tuple[str, ...]:
    return tuple(f"{PACKAGE}.{name}" for name in names)


def test_the_graph_is_read() -> None:
    # Guards the rules below against passing vacuously on an empty or broken graph.
    assert (
        f"{PACKAGE}._transport"
        in GRAPH[f"{PACKAGE}.resources.runs"] | GRAPH[f"{PACKAGE}._resource"]
    )
    assert f"{PACKAGE}._call" in GRAPH[f"{PACKAGE}._pagination"]


def test_generated_models_never_import_upward() -> None:
    allowed = p("models", "_models", "_operation")
    problems = sorted(
        f"{module} imports {target}"
        for module, targets in GRAPH.items()
        if _in(module, *p("models"))
        for target in targets
        if target.startswith(PACKAGE) and not _in(target, *allowed)
    )
    assert problems == []


def test_readers_never_reach_the_transport() -> None:
    # Pages and streams fetch more through the executor protocol declared in _call.
    readers = p(
        "_call", "_pagination", "_streaming", "_chat_stream", "_assistant_stream", "_binary"
    )
    transport = p(
        "_transport", "_exchange", "_auth", "_bearer", "_token_cache", "_credentials", "_client"
    )
    assert _violations(readers, transport) == []


def test_nothing_below_the_resources_imports_them() -> None:
    upper = p("resources", "_client")
    lower = tuple(
        module
        for module in GRAPH
        if not _in(module, *upper, PACKAGE + ".testing") and module != PACKAGE
    )
    assert _violations(lower, upper) == []


def test_errors_sit_below_the_machinery() -> None:
    machinery = p("_call", "_transport", "_exchange", "_resource", "_client", "resources")
    assert _violations(p("_exceptions", "_deviations", "_models", "_json"), machinery) == []


def test_sans_io_cores_do_no_io() -> None:
    sans_io = p("_exchange", "_steps", "_retry", "_token_cache", "_challenge", "_sse")
    # Reading a clock is fine (it is injectable); waiting and talking to the network are not.
    io_libraries = ("anyio", "trio", "asyncio", "socket")
    problems = sorted(
        f"{module} imports {target}"
        for module, targets in GRAPH.items()
        if _in(module, *sans_io)
        for target in targets
        if _in(target, *io_libraries)
    )
    assert problems == []


def test_the_emulator_shares_models_and_checks_never_the_transport() -> None:
    client_internals = p(
        "_transport",
        "_exchange",
        "_auth",
        "_bearer",
        "_token_cache",
        "_resource",
        "resources",
        "_config",
    )
    assert _violations(p("testing"), client_internals) == []


def test_no_import_cycles() -> None:
    internal = {
        module: {t for t in targets if t in GRAPH and t != module}
        for module, targets in GRAPH.items()
    }
    # A package's __init__ importing its own submodules is not a cycle of concepts.
    for module, targets in internal.items():
        internal[module] = {t for t in targets if not t.startswith(module + ".")}
    cycles = _strongly_connected(internal)
    assert [sorted(c) for c in cycles if len(c) > 1] == []


def _strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component: set[str] = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            found.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b"}, "b": {"a"}, "c": set()}, [["a", "b"]]),
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
    ],
)
def test_cycle_finder_finds_cycles(graph: dict[str, set[str]], expected: list[list[str]]) -> None:
    assert [sorted(c) for c in _strongly_connected(graph) if len(c) > 1] == expected
