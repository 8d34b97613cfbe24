"""Loading the synced spec (raw or with transforms applied) and its examples."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast

from codegen.paths import CACHE_DIR, EXAMPLES_DIR, SPEC_FILE
from codegen.pins import default_version

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


class SpecMissingError(Exception):
    """The spec for an api-version is not in the cache yet."""


def spec_path(version: str, cache_dir: Path = CACHE_DIR) -> Path:
    return cache_dir / version / SPEC_FILE


def load_raw(version: str | None = None, cache_dir: Path = CACHE_DIR) -> dict[str, Any]:
    version = version or default_version()
    path = spec_path(version, cache_dir)
    if not path.is_file():
        raise SpecMissingError(
            f"{path} does not exist: run `python -m codegen sync` (optionally "
            f"`--from DIR` with a local mirror) to fetch the pinned {version} spec first"
        )
    with path.open(encoding="utf-8") as fh:
        spec: dict[str, Any] = json.load(fh)
    return spec


def load_spec(
    version: str | None = None, transformed: bool = True, cache_dir: Path = CACHE_DIR
) -> dict[str, Any]:
    """The spec of ``version`` (default: the default pin), with its transforms applied."""
    from codegen import transforms

    version = version or default_version()
    spec = load_raw(version, cache_dir)
    if transformed:
        spec = transforms.apply(spec, transforms.load(version))
    return spec


def mock_ready(spec: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``spec`` without ``x-ms-examples`` (mock servers cannot resolve those refs)."""

    def strip(node: Any) -> Any:
        if isinstance(node, dict):
            mapping = cast("dict[str, Any]", node)
            return {k: strip(v) for k, v in mapping.items() if k != "x-ms-examples"}
        if isinstance(node, list):
            return [strip(v) for v in cast("list[Any]", node)]
        return node

    result: dict[str, Any] = strip(copy.deepcopy(spec))
    return result


def iter_operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(path, method, operation) in spec order."""
    found: list[tuple[str, str, dict[str, Any]]] = []
    for path, item in spec.get("paths", {}).items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                found.append((path, method, operation))
    return found


ExampleKind = Literal["json", "text", "binary"]


@dataclass(frozen=True)
class Example:
    """One ``x-ms-examples`` entry whose file is available, tied to its operation."""

    file: str
    title: str
    operation_id: str
    path: str
    method: str
    request_body: Any
    has_request_body: bool
    status: str
    response_body: Any
    kind: ExampleKind
    notes: tuple[str, ...] = ()


def _response_of(raw: Any) -> tuple[Any, ExampleKind | None, tuple[str, ...]]:
    """Normalise the forms the upstream example files use for a response."""
    if not isinstance(raw, dict):
        return raw, None, ()
    raw = cast("dict[str, Any]", raw)
    if "body" in raw:
        return raw["body"], None, ()
    if set(raw) == {"type", "example"} and raw.get("type") == "string":
        return raw["example"], "text", ("response given as a schema-like {type, example} pair",)
    if raw:
        # A few files put the body straight under the status code.
        return raw, None, ("response body is not wrapped in a 'body' key",)
    return None, None, ()


def load_examples(
    version: str | None = None,
    spec: dict[str, Any] | None = None,
    examples_dir: Path | None = None,
    cache_dir: Path = CACHE_DIR,
) -> tuple[list[Example], list[str]]:
    """Examples referenced by the spec that exist locally, and the refs that do not."""
    version = version or default_version()
    if spec is None:
        spec = load_raw(version, cache_dir)
    if examples_dir is None:
        examples_dir = cache_dir / version / EXAMPLES_DIR
    examples: list[Example] = []
    missing: list[str] = []
    for path, method, operation in iter_operations(spec):
        for title, ref in operation.get("x-ms-examples", {}).items():
            name = Path(ref["$ref"]).name
            file = examples_dir / name
            if not file.is_file():
                missing.append(f"{operation['operationId']}: {name}")
                continue
            with file.open(encoding="utf-8") as fh:
                data = json.load(fh)
            params = data.get("parameters", {})
            responses = data.get("responses", {})
            status = "200" if "200" in responses else next(iter(responses), "200")
            body, kind, notes = _response_of(responses.get(status))
            if kind is None:
                content = operation.get("responses", {}).get(status, {}).get("content", {})
                if "application/json" in content and not isinstance(body, str):
                    kind = "json"
                elif any(ct.startswith("text/") for ct in content):
                    kind = "text"
                else:
                    kind = "binary"
            examples.append(
                Example(
                    file=name,
                    title=title,
                    operation_id=operation["operationId"],
                    path=path,
                    method=method,
                    request_body=params.get("body"),
                    has_request_body="body" in params,
                    status=status,
                    response_body=body,
                    kind=kind,
                    notes=notes,
                )
            )
    return examples, missing
