"""Definition order for generated modules whose annotations are evaluated at import.

Without ``from __future__ import annotations`` every name an annotation or a type alias uses
must already be defined when the class body or the assignment runs. Declarations are therefore
emitted in dependency order (a depth-first post-order, deterministic for a given seed order).

Some references may stay forward references: a class whose field refers to a class defined
later can quote that annotation (pydantic and type checkers resolve it later), while a type
alias assignment cannot. Cycles (recursive schemas) are broken at such *lazy* edges only: inside
a strongly connected component the references of lazy declarations are ignored for ordering, and
the emitter quotes whatever is not yet defined when it writes them. A cycle made of eager
references only (an alias that contains itself) cannot be written at all and is an error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence


def unique(names: Iterable[str]) -> list[str]:
    """``names`` without repeats, in first-seen order."""
    return list(dict.fromkeys(names))


def components(deps: Mapping[str, Sequence[str]]) -> dict[str, int]:
    """Tarjan's strongly connected components: node -> component number."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    component: dict[str, int] = {}
    counter = 0
    found = 0

    for root in deps:
        if root in index:
            continue
        # Iterative DFS: (node, iterator position over its deps).
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            children = [d for d in deps.get(node, ()) if d in deps]
            if position < len(children):
                work.append((node, position + 1))
                child = children[position]
                if child not in index:
                    work.append((child, 0))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            if low[node] == index[node]:
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component[member] = found
                    if member == node:
                        break
                found += 1
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return component


def dependency_order(
    seeds: Sequence[str], deps: Mapping[str, Sequence[str]], lazy: Callable[[str], bool]
) -> list[str]:
    """Every name of ``seeds`` once, each after the names it depends on.

    ``deps`` maps a name to the names it refers to (names outside ``seeds`` are ignored);
    ``lazy(name)`` tells whether that declaration may refer to later names (quoted). Raises
    ValueError for a cycle without a lazy reference in it.
    """
    graph = {name: [d for d in deps.get(name, ()) if d in deps] for name in seeds}
    component = components(graph)
    effective = {
        name: [
            d
            for d in targets
            if not (lazy(name) and component[d] == component[name])  # broken here, quoted
        ]
        for name, targets in graph.items()
    }
    ordered: list[str] = []
    done: set[str] = set()
    visiting: list[str] = []

    def visit(name: str) -> None:
        if name in done:
            return
        if name in visiting:
            cycle = [*visiting[visiting.index(name) :], name]
            raise ValueError(f"reference cycle that cannot be quoted: {' -> '.join(cycle)}")
        visiting.append(name)
        for dep in effective[name]:
            visit(dep)
        visiting.pop()
        done.add(name)
        ordered.append(name)

    for name in seeds:
        visit(name)
    return ordered
