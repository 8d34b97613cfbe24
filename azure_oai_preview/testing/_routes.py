"""Which operation a method and path address.

The inference operations come from the generated manifest; the authoring operations the
emulator serves before their models are generated (files) are declared here in the same
shape. Templates with fewer parameters win, so ``POST /threads/runs`` is Create_Thread_And_Run,
not Modify_Thread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..models._manifest import OPERATIONS

__all__ = ["AUTHORING_ROUTES", "Route", "match"]


@dataclass(frozen=True)
class Route:
    operation_id: str
    method: str
    template: str
    """Below ``/openai``, e.g. ``/threads/{thread_id}/runs``."""
    body_model: str | None = None
    """The request model in :mod:`azure_oai_preview.models` (None: checked by the handler)."""
    body_content_type: str | None = None
    query: tuple[tuple[str, str], ...] = ()
    """``(name, type)`` of each query parameter: ``int``, ``str`` or an enum model name."""
    deployment_scoped: bool = False
    public: bool = False
    """Served without credentials (the emulator's own artefact URLs)."""

    @property
    def param_count(self) -> int:
        return self.template.count("{")


AUTHORING_ROUTES: tuple[Route, ...] = (
    Route("Files_List", "GET", "/files", query=(("purpose", "str"),)),
    Route("Files_Upload", "POST", "/files", body_content_type="multipart/form-data"),
    Route("Files_Get", "GET", "/files/{file-id}"),
    Route("Files_Delete", "DELETE", "/files/{file-id}"),
    Route("Files_GetContent", "GET", "/files/{file-id}/content"),
    Route("Files_Import", "POST", "/files/import", body_content_type="application/json"),
    Route(
        "FineTuning_List", "GET", "/fine_tuning/jobs", query=(("after", "str"), ("limit", "int"))
    ),
    Route("FineTuning_Create", "POST", "/fine_tuning/jobs", body_content_type="application/json"),
    Route("FineTuning_Get", "GET", "/fine_tuning/jobs/{fine-tuning-job-id}"),
    Route("FineTuning_Delete", "DELETE", "/fine_tuning/jobs/{fine-tuning-job-id}"),
    Route(
        "FineTuning_GetEvents",
        "GET",
        "/fine_tuning/jobs/{fine-tuning-job-id}/events",
        query=(("after", "str"), ("limit", "int")),
    ),
    Route(
        "FineTuning_GetCheckpoints",
        "GET",
        "/fine_tuning/jobs/{fine-tuning-job-id}/checkpoints",
        query=(("after", "str"), ("limit", "int")),
    ),
    Route("FineTuning_Cancel", "POST", "/fine_tuning/jobs/{fine-tuning-job-id}/cancel"),
    Route("Models_List", "GET", "/models"),
    Route("Models_Get", "GET", "/models/{model-id}"),
    Route("IngestionJobs_List", "GET", "/ingestion/jobs"),
    Route(
        "IngestionJobs_Create",
        "PUT",
        "/ingestion/jobs/{job-id}",
        body_content_type="application/json",
    ),
    Route("IngestionJobs_Get", "GET", "/ingestion/jobs/{job-id}"),
    Route("IngestionJobRuns_List", "GET", "/ingestion/jobs/{job-id}/runs"),
    Route("IngestionJobRuns_Get", "GET", "/ingestion/jobs/{job-id}/runs/{run-id}"),
)
"""The authoring document's operations, declared here until its manifest is generated. Only
the files operations have handlers yet; the others answer 501 naming the operation."""

EMULATOR_ROUTES: tuple[Route, ...] = (
    Route("Emulator_GetImage", "GET", "/emulator/images/{image-id}", public=True),
)


def _routes() -> list[Route]:
    routes = [
        Route(
            op.operation_id,
            op.method,
            op.path,
            body_model=op.request_body.model if op.request_body else None,
            body_content_type=op.request_body.content_type if op.request_body else None,
            query=tuple((p.name, p.type) for p in op.query_params),
            deployment_scoped=any(p.name == "deployment-id" for p in op.path_params),
        )
        for op in OPERATIONS
    ]
    return [*routes, *AUTHORING_ROUTES]


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
