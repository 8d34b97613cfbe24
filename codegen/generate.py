"""Generate, write and check the committed model and manifest modules."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from codegen import ir
from codegen.areas import Layout, assign
from codegen.build import build_ir
from codegen.emit_areas import emit_package
from codegen.ir import IR
from codegen.manifest import emit_manifest
from codegen.merge import merge
from codegen.paths import CACHE_DIR, GENERATED_MARK, MANIFEST_FILE, MODELS_DIR
from codegen.pins import Document, get_pin
from codegen.spec import load_spec, source_pin

_DIFF_LINES = 60


@dataclass(frozen=True)
class Generated:
    ir: IR
    layout: Layout
    files: dict[str, str]  # file name -> source


def _document_ir(
    version: str, document: Document, cache_dir: Path, transformed: bool = True
) -> ir.IR:
    source = source_pin(version, document)
    # load_spec refuses a cached document whose sha256 is not the pinned one.
    spec = load_spec(version, transformed=transformed, cache_dir=cache_dir, document=document)
    return build_ir(
        spec, version, source.sha256, document=document, source_version=source.api_version
    )


def build(
    version: str | None = None, cache_dir: Path = CACHE_DIR, transformed: bool = True
) -> ir.IR:
    """The merged IR of every document of ``version`` (see codegen.merge); ``transformed=False``
    builds the documents as upstream ships them (the changelog compares both)."""
    pin = get_pin(version)
    result = _document_ir(pin.api_version, "inference", cache_dir, transformed)
    if pin.authoring_absent is not None:
        result.warnings.append(
            f"{pin.api_version} declares no authoring document ({pin.file.name}): no authoring "
            "operations are generated"
        )
        return result
    authoring = _document_ir(pin.api_version, "authoring", cache_dir, transformed)
    if pin.authoring_reuse is not None:
        result.warnings.append(
            f"{pin.api_version} reuses the authoring document of {pin.authoring_reuse} "
            f"({pin.file.name})"
        )
    return merge(result, authoring)


def generate(version: str | None = None, cache_dir: Path = CACHE_DIR) -> Generated:
    result = build(version, cache_dir)
    layout = assign(result)
    return Generated(
        ir=result,
        layout=layout,
        files={**emit_package(result, layout), MANIFEST_FILE: emit_manifest(result)},
    )


def stale_files(generated: Generated, out_dir: Path) -> list[Path]:
    """Generated files in ``out_dir`` that this generation no longer makes (an API area that
    is gone); recognised by the do-not-edit header."""
    if not out_dir.is_dir():
        return []
    return sorted(
        path
        for path in out_dir.glob("*.py")
        if path.name not in generated.files
        and path.read_text(encoding="utf-8").startswith(GENERATED_MARK)
    )


def write(generated: Generated, out_dir: Path = MODELS_DIR) -> list[Path]:
    """Write what changed and delete generated files no longer made; returns both."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, source in generated.files.items():
        path = out_dir / name
        if not path.is_file() or path.read_text(encoding="utf-8") != source:
            path.write_text(source, encoding="utf-8", newline="\n")
            written.append(path)
    for path in stale_files(generated, out_dir):
        path.unlink()
        written.append(path)
    return written


def check(generated: Generated, against: Path = MODELS_DIR) -> list[str]:
    """Readable descriptions of every difference between ``generated`` and ``against``."""
    problems: list[str] = []
    for name, source in generated.files.items():
        path = against / name
        if not path.is_file():
            problems.append(f"{path}: missing (run `python -m codegen generate`)")
            continue
        current = path.read_text(encoding="utf-8")
        if current == source:
            continue
        diff = list(
            difflib.unified_diff(
                current.splitlines(keepends=True),
                source.splitlines(keepends=True),
                fromfile=f"{path} (committed)",
                tofile=f"{path} (generated)",
                n=2,
            )
        )
        shown = "".join(diff[:_DIFF_LINES])
        more = f"\n... {len(diff) - _DIFF_LINES} more diff lines" if len(diff) > _DIFF_LINES else ""
        problems.append(f"{path} differs from what the generator produces:\n{shown}{more}")
    problems += [
        f"{path}: no longer generated (run `python -m codegen generate`)"
        for path in stale_files(generated, against)
    ]
    return problems
