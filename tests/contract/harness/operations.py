"""Map a request (method + URL path) back to the spec operation it exercises."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .specs import iter_operations


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    path: str
    """The path template as served (mounted), e.g. ``/openai/threads/{thread_id}``."""
    spec: dict[str, Any]


class OperationIndex:
    """Find the operation for ``(method, path)`` the way a router would.

    Literal segments win over templated ones, so ``POST /openai/threads/runs`` is
    ``Create_Thread_And_Run``, not ``Modify_Thread`` with ``thread_id="runs"``.
    """

    def __init__(self, document: dict[str, Any]) -> None:
        self._routes: list[tuple[tuple[int, int], str, re.Pattern[str], Operation]] = []
        for method, path, operation in iter_operations(document):
            segments = path.strip("/").split("/")
            literal = sum(1 for segment in segments if "{" not in segment)
            pattern = re.compile(
                "^"
                + re.sub(
                    r"\\\{[^/]+?\\\}",
                    "[^/]+",
                    re.escape(path),
                )
                + "/?$"
            )
            op = Operation(
                str(operation.get("operationId", f"{method} {path}")), method, path, operation
            )
            self._routes.append(((-literal, len(segments)), method, pattern, op))
        self._routes.sort(key=lambda route: route[0])
        self.operations = {route[3].operation_id: route[3] for route in self._routes}

    def match(self, method: str, path: str) -> Operation | None:
        method = method.upper()
        for _, route_method, pattern, operation in self._routes:
            if route_method == method and pattern.match(path):
                return operation
        return None
