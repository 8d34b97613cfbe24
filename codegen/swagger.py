"""Swagger 2.0 -> OpenAPI 3.0, so one reader serves both documents of an api-version.

The conversion is swagger2openapi's (``npm ci`` installs the version pinned in package.json
into ./node_modules): ``definitions``, ``body``/``formData`` parameters, ``consumes`` /
``produces``, ``x-ms-parameterized-host`` and response headers become their OpenAPI 3 forms.
It runs with ``--rbname x-ms-requestBody-name`` so each request body keeps the name of its
Swagger body parameter: the example files give the body under that name.

The converter keeps most of Azure's own extensions as they are; :func:`azure_extensions` fixes
up the three places where that loses or changes meaning:

* a Swagger ``discriminator`` names a property and each child states its value with
  ``x-ms-discriminator-value`` (AutoRest's rule), while an OpenAPI 3 discriminator without a
  ``mapping`` means "the schema's name": the mapping is written out from those values;
* ``x-ms-examples`` are dropped by the converter (it only inlines examples it has resolved):
  they are copied back from the Swagger operation with the same operationId;
* a parameter's ``x-ms-enum`` stays on the parameter while its ``enum`` moves into the
  parameter's ``schema``: it is moved next to the ``enum`` it describes.

The result is cached next to the original as ``<name>.openapi3.json`` with a stamp of the input's
sha256 and the converter's version, so a document is converted once per change of either.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from codegen import pointer as jp
from codegen.docwalk import iter_operations
from codegen.jsonish import array_at, as_object, object_at
from codegen.paths import CONVERTED_SUFFIX, SWAGGER2OPENAPI
from codegen.sync import sha256_file

CONVERTER_PACKAGE = SWAGGER2OPENAPI.parent.parent / "swagger2openapi" / "package.json"
_TIMEOUT_S = 120


class ConversionError(Exception):
    """The converter is missing or failed."""


def is_swagger2(doc: dict[str, Any]) -> bool:
    return doc.get("swagger") == "2.0"


def converter_version() -> str:
    if not CONVERTER_PACKAGE.is_file():
        raise ConversionError(
            f"{SWAGGER2OPENAPI} is missing: the authoring document is Swagger 2.0 and is converted "
            "with swagger2openapi; run `npm ci` in the repository root (Node.js 20.19+)"
        )
    version = json.loads(CONVERTER_PACKAGE.read_text(encoding="utf-8")).get("version", "?")
    return f"swagger2openapi {version}"


def converted(source: Path) -> dict[str, Any]:
    """The OpenAPI 3 form of the Swagger 2.0 file ``source`` (converted, or from the cache)."""
    target = source.with_name(source.stem + CONVERTED_SUFFIX)
    stamp_path = source.with_name(source.stem + CONVERTED_SUFFIX + ".stamp")
    stamp = f"{sha256_file(source)} {converter_version()}\n"
    if target.is_file() and stamp_path.is_file() and stamp_path.read_text() == stamp:
        return _read(target)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp.json", dir=source.parent
    )
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        command = [
            str(SWAGGER2OPENAPI),
            str(source),
            "--rbname",
            "x-ms-requestBody-name",
            "--outfile",
            str(tmp),
        ]
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=_TIMEOUT_S, check=False
        )
        if done.returncode != 0:
            raise ConversionError(
                f"swagger2openapi failed on {source} (exit {done.returncode}):\n"
                f"{done.stdout}{done.stderr}"
            )
        doc = azure_extensions(_read(tmp), _read(source))
        tmp.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    stamp_path.write_text(stamp)
    return _read(target)


def _read(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as fh:
        doc: dict[str, Any] = json.load(fh)
    return doc


def azure_extensions(doc: dict[str, Any], swagger: dict[str, Any]) -> dict[str, Any]:
    """Apply the Azure extensions the converter leaves behind (see the module docstring) to the
    converted ``doc`` of ``swagger``, in place."""
    _discriminator_mappings(doc)
    examples = {
        op.get("operationId"): op["x-ms-examples"]
        for _, _, op in iter_operations(swagger)
        if "x-ms-examples" in op
    }
    for _, _, op in iter_operations(doc):
        if op.get("operationId") in examples:
            op["x-ms-examples"] = examples[op["operationId"]]
        for raw in array_at(op, "parameters"):
            param = as_object(raw) or {}
            schema = as_object(param.get("schema"))
            if "x-ms-enum" in param and schema is not None and "enum" in schema:
                schema["x-ms-enum"] = param.pop("x-ms-enum")
    return doc


def _discriminator_mappings(doc: dict[str, Any]) -> None:
    schemas = object_at(object_at(doc, "components"), "schemas")
    for base_name, raw in schemas.items():
        base = as_object(raw) or {}
        disc = as_object(base.get("discriminator"))
        if disc is None or disc.get("mapping"):
            continue
        base_ref = "#" + jp.join("/components/schemas", base_name)
        mapping: dict[str, str] = {}
        for child_name, child_raw in schemas.items():
            child = as_object(child_raw) or {}
            parents = [as_object(p) or {} for p in array_at(child, "allOf")]
            if any(p.get("$ref") == base_ref for p in parents):
                value = child.get("x-ms-discriminator-value", child_name)
                mapping[str(value)] = "#" + jp.join("/components/schemas", child_name)
        if mapping:
            disc["mapping"] = mapping
