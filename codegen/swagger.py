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

The result is cached next to the original as ``<name>.openapi3.json`` with a stamp
(``<name>.openapi3.json.stamp``) recording what it was made from — the input's sha256, the
converter's version, the sha256 of this module (its fix-ups shape the result too) — and the
sha256 of the result itself. A document is converted once per change of any input, and the
cached result is used only when its bytes hash to what the stamp records: a result changed after
conversion is converted again (with a warning), never read.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from codegen import pointer as jp
from codegen.cachefile import atomic_write, sha256_bytes, sha256_file
from codegen.docwalk import iter_operations
from codegen.jsonish import array_at, as_object, object_at
from codegen.paths import CONVERTED_SUFFIX, SWAGGER2OPENAPI

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


def _cached(source: Path) -> tuple[Path, Path]:
    """(the converted document, its stamp), next to ``source``."""
    target = source.with_name(source.stem + CONVERTED_SUFFIX)
    return target, target.with_name(target.name + ".stamp")


def _read_stamp(path: Path) -> dict[str, str]:
    """``key value`` lines; empty when the stamp is missing (or of an older form)."""
    if not path.is_file():
        return {}
    found: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition(" ")
        found[key] = value
    return found


def _inputs(source_sha256: str) -> dict[str, str]:
    return {
        "input": source_sha256,
        "converter": converter_version(),
        "fixups": sha256_file(Path(__file__)),
    }


def conversion_problem(source: Path, source_sha256: str) -> str | None:
    """Why the cached conversion of ``source`` (whose sha256 is ``source_sha256``) cannot be
    used, or None when there is none or it is the one its stamp records for this input. The
    converter and fix-ups are not looked at: :func:`converted` checks those when it is used."""
    target, stamp_path = _cached(source)
    if not target.is_file() and not stamp_path.is_file():
        return None
    stamp = _read_stamp(stamp_path)
    if not target.is_file():
        return "its stamp has no document"
    if "output" not in stamp:
        return "no stamp records its sha256"
    if stamp.get("input") != source_sha256:
        return "converted from another version of the document"
    if sha256_file(target) != stamp["output"]:
        return (
            f"its sha256 is not the {stamp['output']} its stamp records (changed after conversion)"
        )
    return None


def discard_conversion(source: Path) -> str:
    """Delete the cached conversion of ``source`` and its stamp; returns the document's name."""
    target, stamp_path = _cached(source)
    target.unlink(missing_ok=True)
    stamp_path.unlink(missing_ok=True)
    return target.name


def converted(source: Path, source_sha256: str | None = None) -> dict[str, Any]:
    """The OpenAPI 3 form of the Swagger 2.0 file ``source`` (converted, or from the cache when
    the cached result is exactly what its stamp records for these inputs)."""
    target, stamp_path = _cached(source)
    inputs = _inputs(source_sha256 or sha256_file(source))
    stamp = _read_stamp(stamp_path)
    if target.is_file() and all(stamp.get(key) == value for key, value in inputs.items()):
        data = target.read_bytes()
        if sha256_bytes(data) == stamp.get("output"):
            doc: dict[str, Any] = json.loads(data)
            return doc
        print(
            f"warning: {target} is not the file its stamp records (sha256 "
            f"{sha256_bytes(data)}, recorded {stamp.get('output')}): converting {source.name} "
            "again",
            file=sys.stderr,
        )
    doc = _convert(source)
    data = (json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode()
    # The old stamp goes first: until the new one is written, the result is never used.
    stamp_path.unlink(missing_ok=True)
    atomic_write(target, data)
    lines = {**inputs, "output": sha256_bytes(data)}
    atomic_write(stamp_path, "".join(f"{k} {v}\n" for k, v in lines.items()).encode())
    # Parsed from the bytes written, as a cached read would be (no object shared between
    # two places of the document).
    fresh: dict[str, Any] = json.loads(data)
    return fresh


def _convert(source: Path) -> dict[str, Any]:
    """Run swagger2openapi on ``source`` and restore the Azure extensions."""
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{source.stem}.", suffix=".tmp.json", dir=source.parent
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
        return azure_extensions(_read(tmp), _read(source))
    finally:
        tmp.unlink(missing_ok=True)


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
