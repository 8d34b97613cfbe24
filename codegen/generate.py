"""Generate, write and check the committed model and manifest modules."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from codegen.build import build_ir
from codegen.emit import emit_models
from codegen.ir import IR
from codegen.manifest import emit_manifest
from codegen.params import emit_params
from codegen.paths import CACHE_DIR, GENERATED_FILE, MANIFEST_FILE, MODELS_DIR, PARAMS_FILE
from codegen.pins import get_pin
from codegen.spec import SpecMissingError, load_spec, spec_path
from codegen.sync import sha256_file

_DIFF_LINES = 60


@dataclass(frozen=True)
class Generated:
    ir: IR
    files: dict[str, str]  # file name -> source


def generate(version: str | None = None, cache_dir: Path = CACHE_DIR) -> Generated:
    pin = get_pin(version)
    spec = load_spec(pin.api_version, transformed=True, cache_dir=cache_dir)
    digest = sha256_file(spec_path(pin.api_version, cache_dir))
    if digest != pin.sha256:
        raise SpecMissingError(
            f"{spec_path(pin.api_version, cache_dir)} has sha256 {digest}, pinned {pin.sha256}: "
            "run `python -m codegen sync`"
        )
    result = build_ir(spec, pin.api_version, pin.sha256)
    return Generated(
        ir=result,
        files={
            GENERATED_FILE: emit_models(result),
            MANIFEST_FILE: emit_manifest(result),
            PARAMS_FILE: emit_params(result),
        },
    )


def write(generated: Generated, out_dir: Path = MODELS_DIR) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, source in generated.files.items():
        path = out_dir / name
        if not path.is_file() or path.read_text(encoding="utf-8") != source:
            path.write_text(source, encoding="utf-8", newline="\n")
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
    return problems
