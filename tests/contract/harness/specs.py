"""Build the OpenAPI documents the Prism servers load.

Two flavours of each document of an api-version (inference, and authoring: files,
fine-tuning, models, ingestion jobs; converted from Swagger 2.0 by codegen):

* ``transformed``: the spec with the declared spec transforms applied — the contract the
  SDK promises to honour;
* ``untransformed``: the upstream spec as pinned — used to show that every difference
  between the two is explained by a declared transform.

Both get ``x-ms-examples`` removed (by codegen's ``mock_ready``) and then go through the
*Prism adapter* below, which changes how the document is written, never what it allows:

* **mount** — Prism ignores the path in ``servers[].url`` (a documented design choice, see
  its FAQ on base paths), so ``https://{endpoint}/openai`` + ``/assistants`` is served at
  ``/assistants``. The SDK sends ``{endpoint}/openai/assistants``. The adapter moves the
  server path into every path key, so ``endpoint=<prism base url>`` lines up exactly.
* **nullable-without-type** — OpenAPI 3.0 allows ``{"$ref": ..., "nullable": true}``
  (and ``nullable`` next to ``oneOf``), but Ajv refuses to compile a schema that has
  ``nullable`` without ``type``, and Prism then silently skips validating the whole body.
  The adapter rewrites such a node to ``{"anyOf": [<node without nullable>, {"type": "null"}]}``
  — the same set of values, in a form Ajv compiles.

Every change is recorded (``MockSpec.adapter_changes``) and written next to the document.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from .config import REPO_ROOT, WORK_DIR, spec_mirror

SpecFlavor = Literal["transformed", "untransformed"]
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True)
class AdapterChange:
    kind: Literal["mount", "nullable-without-type", "discriminator-dispatch"]
    pointer: str
    """JSON pointer in the document *before* the adapter ran."""
    detail: str


@dataclass(frozen=True)
class SchemaCompileProblem:
    """A schema Prism cannot compile, so it silently skips validating against it."""

    operation_id: str
    method: str
    path: str
    target: str
    """What is not validated, e.g. ``request body application/json``."""
    error: str

    @property
    def side(self) -> Literal["request", "response"]:
        return "request" if self.target.startswith("request") else "response"


Document = Literal["inference", "authoring"]


@dataclass
class MockSpec:
    flavor: SpecFlavor
    api_version: str
    path: Path
    """The JSON file Prism loads."""
    document: dict[str, Any]
    """The document as served (after the adapter)."""
    source_document: dict[str, Any]
    """The document before the adapter (what codegen produced): pointers refer to it."""
    mount: str
    adapter_changes: list[AdapterChange] = field(default_factory=list)
    compile_problems: list[SchemaCompileProblem] = field(default_factory=list)
    document_name: Document = "inference"
    """Which document of the api-version this is (``inference`` or ``authoring``)."""


# --------------------------------------------------------------------------- loading


def import_codegen(module: str) -> Any:
    """Import ``codegen.<module>`` (the generator lives in the repo, not in the wheel)."""
    if importlib.util.find_spec("codegen") is None and str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    package = importlib.import_module("codegen")
    where = Path(getattr(package, "__file__", None) or "?").resolve().parent
    if where != REPO_ROOT / "codegen":
        raise ImportError(
            f"`codegen` resolves to {where}, not {REPO_ROOT / 'codegen'}: put the repository "
            "root first on sys.path (an installed `codegen` or tests/ on the path shadows it)"
        )
    return importlib.import_module(f"codegen.{module}")


def _sync_spec_cache() -> None:
    """``python -m codegen sync``: from the local mirror if there is one, else upstream."""
    mirror = spec_mirror()
    command = [sys.executable, "-m", "codegen", "sync"]
    if mirror.is_dir():
        command += ["--from", str(mirror)]
    completed = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise RuntimeError(
            f"the spec cache is empty and `{' '.join(command)}` failed "
            f"(exit {completed.returncode}); set AZURE_OAI_SPEC_MIRROR to a folder holding "
            f"<api-version>/inference.json:\n{completed.stdout}{completed.stderr}"
        )


def load_mock_ready(
    api_version: str, flavor: SpecFlavor, document_name: Document = "inference"
) -> dict[str, Any]:
    """codegen's mock-ready ``document_name`` (transforms applied or not, no
    ``x-ms-examples``; the authoring document converted to OpenAPI 3), syncing the spec
    cache first if it is empty."""
    codegen_spec = import_codegen("spec")
    transformed = flavor == "transformed"
    try:
        document = codegen_spec.load_spec(
            api_version, transformed=transformed, document=document_name
        )
    except codegen_spec.SpecMissingError:
        _sync_spec_cache()
        document = codegen_spec.load_spec(
            api_version, transformed=transformed, document=document_name
        )
    mock_ready: dict[str, Any] = codegen_spec.mock_ready(document)
    return mock_ready


# --------------------------------------------------------------------------- adapter


def escape_pointer_token(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def server_mount(document: dict[str, Any]) -> str:
    """The path part of ``servers[0].url`` (``/openai`` for Azure OpenAI), without a trailing /."""
    servers = document.get("servers") or [{"url": "/"}]
    url = str(servers[0].get("url", "/"))
    match = re.match(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//[^/]*(?P<path>/.*)?$", url)
    # A host template without a scheme (``{endpoint}/openai``: Swagger 2.0's
    # x-ms-parameterized-host, converted) is a host too.
    found = match or re.match(r"^\{[^}/]+\}(?P<path>/.*)?$", url)
    path = (found.group("path") or "") if found else url
    return path.rstrip("/")


def _mount_paths(document: dict[str, Any], changes: list[AdapterChange]) -> str:
    mount = server_mount(document)
    if not mount:
        return mount
    document["paths"] = {mount + key: value for key, value in document["paths"].items()}
    servers = document.get("servers") or []
    for index, server in enumerate(servers):
        url = str(server.get("url", ""))
        if url.rstrip("/").endswith(mount):
            server["url"] = url.rstrip("/")[: -len(mount)] or "/"
            changes.append(
                AdapterChange(
                    "mount",
                    f"/servers/{index}/url",
                    f"moved the server path {mount!r} into every path key ({url!r} -> "
                    f"{server['url']!r})",
                )
            )
    return mount


def _normalise_nullable(node: Any, pointer: str, changes: list[AdapterChange]) -> Any:
    if isinstance(node, list):
        return [
            _normalise_nullable(item, f"{pointer}/{index}", changes)
            for index, item in enumerate(node)
        ]
    if not isinstance(node, dict):
        return node
    result = {
        key: _normalise_nullable(value, f"{pointer}/{escape_pointer_token(key)}", changes)
        for key, value in node.items()
    }
    if "nullable" in result and "type" not in result and not pointer.endswith("/properties"):
        nullable = result.pop("nullable")
        if nullable is True:
            outer = {key: result.pop(key) for key in ("description", "title") if key in result}
            result = {**outer, "anyOf": [result, {"type": "null"}]}
            detail = "nullable without type -> anyOf [schema, {type: null}]"
        else:
            detail = "dropped `nullable: false` without type (no effect, Ajv rejects it)"
        changes.append(AdapterChange("nullable-without-type", pointer or "/", detail))
    return result


BASE_SUFFIX = "__base"


def _dispatch_discriminators(document: dict[str, Any], changes: list[AdapterChange]) -> None:
    """Make Prism validate a discriminated value against its mapped schema.

    Prism (Ajv without its ``discriminator`` option) validates a value typed as a base
    schema with a ``discriminator`` against the base alone: a chat message
    ``{"role": "user"}`` without ``content`` passes. For each such base ``B`` this adds
    ``B__base`` (``B`` without the discriminator), points the ``allOf`` of every schema
    extending ``B`` at ``B__base``, and makes ``B`` = ``B__base`` plus one
    ``if <tag> == value then <mapped schema>`` rule per mapping entry.
    """
    schemas: dict[str, Any] = document.get("components", {}).get("schemas", {})
    bases = {
        name: schema
        for name, schema in schemas.items()
        if isinstance(schema, dict)
        and isinstance(schema.get("discriminator"), dict)
        and schema["discriminator"].get("mapping")
        and not ({"oneOf", "anyOf"} & set(schema))
    }
    for name, schema in bases.items():
        base_name = name + BASE_SUFFIX
        discriminator = schema["discriminator"]
        tag = discriminator["propertyName"]
        schemas[base_name] = {key: value for key, value in schema.items() if key != "discriminator"}
        ref, base_ref = f"#/components/schemas/{name}", f"#/components/schemas/{base_name}"
        for other in schemas.values():
            for part in other.get("allOf", []) if isinstance(other, dict) else []:
                if isinstance(part, dict) and part.get("$ref") == ref:
                    part["$ref"] = base_ref
        rules = [
            {
                "if": {"properties": {tag: {"enum": [value]}}, "required": [tag]},
                "then": {"$ref": target},
            }
            for value, target in discriminator["mapping"].items()
        ]
        schemas[name] = {
            **{key: schema[key] for key in ("description", "title") if key in schema},
            "discriminator": discriminator,
            "allOf": [{"$ref": base_ref}, *rules],
        }
        changes.append(
            AdapterChange(
                "discriminator-dispatch",
                f"/components/schemas/{escape_pointer_token(name)}",
                f"validate by {tag!r} against the mapped schema ({len(rules)} values); "
                f"the base is kept as {base_name}",
            )
        )


def adapt_for_prism(document: dict[str, Any]) -> tuple[dict[str, Any], str, list[AdapterChange]]:
    """Apply the Prism adapter (see module docstring) to a copy of ``document``."""
    changes: list[AdapterChange] = []
    adapted: dict[str, Any] = _normalise_nullable(document, "", changes)
    _dispatch_discriminators(adapted, changes)
    # Pointers recorded before mounting refer to the source document, as documented.
    mount = _mount_paths(adapted, changes)
    return adapted, mount, changes


# --------------------------------------------------------------------------- building


def _write_json_atomically(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        json.dump(data, stream, indent=1, sort_keys=False)
    os.replace(temporary, path)


def build_mock_spec(
    api_version: str, flavor: SpecFlavor, document_name: Document = "inference"
) -> MockSpec:
    """Load, adapt and write ``document_name`` for ``flavor``; returns where it lives."""
    source_document = load_mock_ready(api_version, flavor, document_name)
    document, mount, changes = adapt_for_prism(source_document)
    folder = WORK_DIR / "specs" / api_version
    stem = flavor if document_name == "inference" else f"{document_name}-{flavor}"
    path = folder / f"{stem}.json"
    _write_json_atomically(path, document)
    _write_json_atomically(
        folder / f"{stem}.adapter.json",
        {"mount": mount, "changes": [asdict(change) for change in changes]},
    )
    return MockSpec(
        flavor=flavor,
        api_version=api_version,
        path=path,
        document=document,
        source_document=source_document,
        mount=mount,
        adapter_changes=changes,
        document_name=document_name,
    )


def parse_probe_output(stdout: str) -> list[SchemaCompileProblem]:
    data = json.loads(stdout)
    return [
        SchemaCompileProblem(
            operation_id=item["operationId"],
            method=item["method"],
            path=item["path"],
            target=item["target"],
            error=item["error"],
        )
        for item in data["problems"]
    ]


def iter_operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """``(METHOD, path, operation)`` for every operation in ``document``."""
    result = []
    for path, item in document.get("paths", {}).items():
        for method in HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                result.append((method.upper(), path, operation))
    return result
