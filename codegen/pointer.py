"""RFC 6901 JSON pointers, as the generator and the transforms use them.

Pointers are written without the ``#`` of a ``$ref`` (``/components/schemas/runObject``);
every function here also accepts the ``#/...`` form.
"""

from __future__ import annotations

from typing import Any

from codegen.jsonish import as_array, as_object


class PointerError(LookupError):
    """A pointer is malformed or names nothing in the document."""


def escape(token: str) -> str:
    """One reference token: ``~`` -> ``~0``, ``/`` -> ``~1``."""
    return token.replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def join(base: str, *tokens: str) -> str:
    """``base`` extended by ``tokens`` (escaped): ``join("/paths", "/files")`` ->
    ``/paths/~1files``."""
    return base + "".join(f"/{escape(t)}" for t in tokens)


def tokens(pointer: str) -> list[str]:
    """The unescaped reference tokens of ``pointer`` (``""`` is the whole document)."""
    pointer = pointer.removeprefix("#")
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise PointerError(f"bad JSON pointer {pointer!r}")
    return [unescape(t) for t in pointer[1:].split("/")]


def walk(doc: Any, steps: list[str], pointer: str = "") -> Any:
    """The node reached from ``doc`` by ``steps``; ``pointer`` names it in the error."""
    node: Any = doc
    for token in steps:
        mapping, array = as_object(node), as_array(node)
        if mapping is not None and token in mapping:
            node = mapping[token]
        elif array is not None and token.isdigit() and int(token) < len(array):
            node = array[int(token)]
        else:
            raise PointerError(f"{pointer} does not exist (no {token!r})")
    return node


def resolve(doc: Any, pointer: str) -> Any:
    """The node ``pointer`` names in ``doc``."""
    return walk(doc, tokens(pointer), pointer)
