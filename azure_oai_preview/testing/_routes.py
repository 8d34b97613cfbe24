"""Which operation a method and path address, read off the generated manifest.

Every operation of both documents (inference and authoring) becomes a route. Templates
with fewer parameters win, so ``POST /threads/runs`` is Create_Thread_And_Run, not
Modify_Thread, and ``POST /files/import`` is Files_Import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..models._manifest import OPERATIONS

__all__ = ["NEXT_LINK_PARAM", "Route", "emulator_route", "match"]

NEXT_LINK_PARAM = "skip"
"""The query parameter of the ``nextLink`` URLs the emulator writes (``nextLink`` paging leaves
the continuation to the service; the spec declares no parameter for it)."""


@dataclass(frozen=True)
class Route:
    operation_id: str
    method: str
    template: str
    """Below ``/openai``, e.g. ``/threads/{thread_id}/runs``."""
    body_model: str | None = None
    """The request model in :mod:`azure_oai_preview.models` (None: no body)."""
    body_content_type: str | None = None
    body_required: bool = True
    query: tuple[tuple[str, str], ...] = ()
    """``(name, type)`` of each query parameter: ``int``, ``str`` or an enum model name."""
    headers: tuple[str, ...] = ()
    """The header parameters the spec declares (credentials such as ``mgmt-user-token``)."""
    deployment_scoped: bool = False
    document: str = "inference"
    """The spec document declaring it: ``inference`` or ``authoring`` (its error shape)."""
    public: bool = False
    """Served without credentials (the emulator's own artefact URLs)."""

    @property
    def param_count(self) -> int:
        return self.template.count("{")


EMULATOR_ROUTES: tuple[Route, ...] = (
    Route("Emulator_GetImage", "GET", "/emulator/images/{image-id}", public=True),
)


def _routes() -> list[Route]:
    routes: list[Route] = []
    for op in OPERATIONS:
        query = tuple((p.name, p.type) for p in op.query_params)
        if op.paging is not None and op.paging.style == "next_link":
            query = (*query, (NEXT_LINK_PARAM, "int"))
        body = op.request_body
        routes.append(
            Route(
                op.operation_id,
                op.method,
                op.path,
                body_model=body.model if body else None,
                body_content_type=body.content_type if body else None,
                body_required=body.required if body else False,
                query=query,
                headers=tuple(p.name for p in op.header_params),
                deployment_scoped=any(p.name == "deployment-id" for p in op.path_params),
                document=op.document,
            )
        )
    return routes


def _pattern(template: str) -> re.Pattern[str]:
    out = ""
    for index, part in enumerate(re.split(r"(\{[^}]+\})", template)):
        out += f"(?P<p{index}>[^/]+)" if part.startswith("{") else re.escape(part)
    return re.compile(out + "$")


@cache
def _table() -> list[tuple[Route, re.Pattern[str], list[str]]]:
    table: list[tuple[Route, re.Pattern[str], list[str]]] = []
    for route in sorted(_routes(), key=lambda r: r.param_count):
        names = re.findall(r"\{([^}]+)\}", route.template)
        table.append((route, _pattern(route.template), names))
    return table


def match(method: str, path: str) -> tuple[Route, dict[str, str]] | None:
    """The route of ``method path`` (path below ``/openai``) and its path parameters.

    Returns None when no route has the path; raises LookupError (405) when the path exists
    with other methods.
    """
    allowed = False
    for route, pattern, names in _table():
        found = pattern.match(path)
        if found is None:
            continue
        if route.method != method:
            allowed = True
            continue
        values = [
            value for _, value in sorted(found.groupdict().items(), key=lambda kv: int(kv[0][1:]))
        ]
        return route, dict(zip(names, values, strict=True))
    if allowed:
        raise LookupError(method)
    return None


def emulator_route(method: str, path: str) -> tuple[Route, dict[str, str]] | None:
    """The emulator's own routes (outside ``/openai``)."""
    for route in EMULATOR_ROUTES:
        found = _pattern(route.template).match(path)
        if found is not None and route.method == method:
            return route, {"image-id": next(iter(found.groupdict().values()))}
    return None
