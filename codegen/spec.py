"""Loading the synced spec (raw or with transforms applied) and its examples."""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

from codegen import swagger
from codegen.cachefile import read_listing, sha256_bytes
from codegen.docwalk import iter_operations
from codegen.jsonish import as_object, object_at
from codegen.paths import CACHE_DIR, document_files
from codegen.pins import Document, DocumentPin, default_version, document_pin


class SpecMissingError(Exception):
    """The spec for an api-version is not in the cache yet."""


class SpecCacheError(SpecMissingError):
    """A file in the cache is not the one that was verified: a document whose sha256 is not
    the pinned one, or an example whose sha256 is not the one its listing records."""


def source_pin(version: str | None, document: Document = "inference") -> DocumentPin:
    """The pinned file serving ``document`` for ``version``; SpecMissingError when the pin
    declares the document absent."""
    found = document_pin(version, document)
    if found is None:
        raise SpecMissingError(f"api-version {version} declares no {document} document")
    return found


def spec_path(
    version: str | None = None, cache_dir: Path = CACHE_DIR, document: Document = "inference"
) -> Path:
    pin = source_pin(version or default_version(), document)
    return cache_dir / pin.api_version / document_files(document)[0]


def load_raw(
    version: str | None = None, cache_dir: Path = CACHE_DIR, document: Document = "inference"
) -> dict[str, Any]:
    """The pinned document as OpenAPI 3 (a Swagger 2.0 file converted, see codegen.swagger)."""
    version = version or default_version()
    path = spec_path(version, cache_dir, document)
    if not path.is_file():
        raise SpecMissingError(
            f"{path} does not exist: run `python -m codegen sync` (optionally "
            f"`--from DIR` with a local mirror) to fetch the pinned {version} {document} spec first"
        )
    data = path.read_bytes()
    pinned = source_pin(version, document).sha256
    digest = sha256_bytes(data)
    if digest != pinned:
        raise SpecCacheError(
            f"{path} has sha256 {digest}, pinned {pinned}: run `python -m codegen sync` "
            "to restore the pinned file"
        )
    spec: dict[str, Any] = json.loads(data)
    if swagger.is_swagger2(spec):
        return swagger.converted(path, digest)
    return spec


def load_spec(
    version: str | None = None,
    transformed: bool = True,
    cache_dir: Path = CACHE_DIR,
    document: Document = "inference",
) -> dict[str, Any]:
    """The ``document`` of ``version`` (default: the default pin), with its transforms applied.

    A reused document (``reuse`` in the pin) brings the transforms of the version that pins it.
    """
    from codegen import transforms

    version = version or default_version()
    spec = load_raw(version, cache_dir, document)
    if transformed:
        source = source_pin(version, document).api_version
        spec = transforms.apply(spec, transforms.load(source, document=document))
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


ExampleKind = Literal["json", "text", "binary", "empty"]


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
    document: str = "inference"
    request_form: bool = False  # the body is multipart form fields (name -> value)
    response_headers: Mapping[str, str] = field(default_factory=dict[str, str])


def _response_of(raw: Any) -> tuple[Any, ExampleKind | None, tuple[str, ...]]:
    """Normalise the forms the upstream example files use for a response."""
    if not isinstance(raw, dict):
        return raw, None, ()
    raw = {k: v for k, v in cast("dict[str, Any]", raw).items() if k != "headers"}
    if "body" in raw:
        return raw["body"], None, ()
    if set(raw) == {"type", "example"} and raw.get("type") == "string":
        return raw["example"], "text", ("response given as a schema-like {type, example} pair",)
    if raw:
        # A few files put the body straight under the status code.
        return raw, None, ("response body is not wrapped in a 'body' key",)
    return None, "empty", ()


def _request_of(operation: dict[str, Any], params: dict[str, Any]) -> tuple[Any, bool, bool]:
    """(body, has a body, is form fields): the inference examples give the body as ``body``,
    the authoring ones under the Swagger body parameter's name, or as one parameter per
    ``formData`` field."""
    request = as_object(operation.get("requestBody")) or {}
    name = operation.get("x-ms-requestBody-name", "body")
    if name in params:
        return params[name], True, False
    form = object_at(object_at(object_at(request, "content"), "multipart/form-data"), "schema")
    fields = {k: params[k] for k in object_at(form, "properties") if k in params}
    if fields:
        return fields, True, True
    return None, False, False


def _kind_of(operation: dict[str, Any], status: str, body: Any) -> ExampleKind:
    content = operation.get("responses", {}).get(status, {}).get("content", {})
    if "application/json" in content and not isinstance(body, str):
        return "json"
    if any(ct.startswith("text/") for ct in content):
        return "text"
    return "binary"


def _verified_hashes(examples_dir: Path, listing: Path) -> dict[str, str]:
    """What sync recorded for a cached examples folder (nothing to check when it has none)."""
    if not examples_dir.is_dir():
        return {}
    if not listing.is_file():
        raise SpecCacheError(
            f"{examples_dir} has no listing {listing.name}: run `python -m codegen sync` "
            "(with --from DIR) to copy the examples again"
        )
    try:
        return read_listing(listing)
    except ValueError as exc:
        raise SpecCacheError(f"{exc}: run `python -m codegen sync`") from exc


def _check_example(file: Path, data: bytes, verified: dict[str, str]) -> None:
    recorded = verified.get(file.name)
    digest = sha256_bytes(data)
    if recorded != digest:
        what = f"recorded {recorded}" if recorded else "not in the listing sync wrote"
        raise SpecCacheError(
            f"{file} has sha256 {digest}, {what}: it changed after it was synced; run "
            "`python -m codegen sync` (with --from DIR) to copy it again"
        )


def load_examples(
    version: str | None = None,
    spec: dict[str, Any] | None = None,
    examples_dir: Path | None = None,
    cache_dir: Path = CACHE_DIR,
    document: Document = "inference",
) -> tuple[list[Example], list[str]]:
    """Examples referenced by the document that exist locally, and the refs that do not."""
    version = version or default_version()
    if spec is None:
        spec = load_raw(version, cache_dir, document)
    verified: dict[str, str] | None = None
    if examples_dir is None:
        source = source_pin(version, document).api_version
        _, folder, listing = document_files(document)
        examples_dir = cache_dir / source / folder
        verified = _verified_hashes(examples_dir, cache_dir / source / listing)
    examples: list[Example] = []
    missing: list[str] = []
    for path, method, operation in iter_operations(spec):
        for title, ref in operation.get("x-ms-examples", {}).items():
            name = Path(ref["$ref"]).name
            file = examples_dir / name
            if not file.is_file():
                missing.append(f"{operation['operationId']}: {name}")
                continue
            raw = file.read_bytes()
            if verified is not None:
                _check_example(file, raw, verified)
            data = json.loads(raw)
            params = data.get("parameters", {})
            responses = data.get("responses", {})
            status = "200" if "200" in responses else next(iter(responses), "200")
            body, kind, notes = _response_of(responses.get(status))
            request_body, has_request_body, form = _request_of(operation, params)
            examples.append(
                Example(
                    file=name,
                    title=title,
                    operation_id=operation["operationId"],
                    path=path,
                    method=method,
                    request_body=request_body,
                    has_request_body=has_request_body,
                    status=status,
                    response_body=body,
                    kind=kind or _kind_of(operation, status, body),
                    notes=notes,
                    document=document,
                    request_form=form,
                    response_headers=dict(
                        object_at(as_object(responses.get(status)) or {}, "headers")
                    ),
                )
            )
    return examples, missing
