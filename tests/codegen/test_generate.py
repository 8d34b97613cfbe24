"""The generator: every pinned version generates, imports and builds; output is stable."""

from __future__ import annotations

import inspect
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import TypeAdapter

from azure_oai_preview._models import OpenModel
from codegen.generate import generate
from codegen.paths import GENERATED_FILE, MANIFEST_FILE, PARAMS_FILE, REPO_ROOT

from .conftest import (
    ALL_VERSIONS,
    DEFAULT_VERSION,
    EXAMPLES_VERSION,
    NEXT_VERSION,
    import_generated,
)


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "codegen", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        check=False,
    )


@pytest.mark.parametrize("version", ALL_VERSIONS)
def test_generated_code_imports_and_every_model_builds(
    generated_dirs: dict[str, Path], version: str
) -> None:
    name = f"_codegen_test_{version.replace('-', '_')}"
    module = import_generated(generated_dirs[version], name, GENERATED_FILE)
    built = 0
    for public in module.__all__:
        obj = getattr(module, public)
        if inspect.isclass(obj) and issubclass(obj, OpenModel):
            obj.model_rebuild(force=True)
            assert obj.__azure_schema__, public
            built += 1
        elif not inspect.isclass(obj):
            TypeAdapter(obj)  # aliases: unions and containers
            built += 1
    assert built > 50
    manifest = import_generated(generated_dirs[version], name, MANIFEST_FILE)
    assert version == manifest.API_VERSION
    for operation in manifest.OPERATIONS:
        names = [operation.request_body.model] if operation.request_body else []
        names += [r.model for r in operation.responses if r.model]
        names += [operation.error_model] if operation.error_model else []
        names += [
            p.type
            for p in (*operation.path_params, *operation.query_params)
            if p.type not in ("str", "int", "bool", "float")
        ]
        for type_name in names:
            assert type_name in module.__all__, (operation.operation_id, type_name)
    for event_class in manifest.STREAM_EVENTS.values():
        assert event_class in module.__all__
    assert manifest.CHAT_COMPLETION_CHUNK in module.__all__
    assert manifest.COMPLETION_CHUNK in module.__all__


def test_generation_is_deterministic() -> None:
    first = generate(DEFAULT_VERSION).files
    second = generate(DEFAULT_VERSION).files
    assert first == second


def test_generated_code_is_ruff_formatted(generated_dirs: dict[str, Path], tmp_path: Path) -> None:
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    if not Path(ruff).exists():
        pytest.skip("ruff is not installed in this environment (lint group)")
    files = sorted(path for d in generated_dirs.values() for path in d.glob("*.py"))
    assert {GENERATED_FILE, MANIFEST_FILE, PARAMS_FILE} <= {path.name for path in files}
    result = subprocess.run(
        [ruff, "format", "--check", "--diff", *map(str, files)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    lint = subprocess.run(
        [
            ruff,
            "check",
            "--no-cache",
            "--config",
            str(REPO_ROOT / "pyproject.toml"),
            # The per-file ignores in pyproject name the committed path; same ignores here.
            "--extend-ignore",
            "E501,RUF001,RUF002,RUF003",
            *map(str, files),
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint.returncode == 0, lint.stdout[-3000:]


def test_committed_models_are_current() -> None:
    result = run_cli("generate", "--check")
    assert result.returncode == 0, result.stderr[-3000:]


def test_check_names_the_file_that_differs(tmp_path: Path) -> None:
    assert run_cli("generate", "--out", str(tmp_path)).returncode == 0
    assert run_cli("generate", "--check", "--against", str(tmp_path)).returncode == 0
    path = tmp_path / MANIFEST_FILE
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith("SPEC_SHA256"))
    lines[index] = 'SPEC_SHA256 = "edited by hand"\n'
    path.write_text("".join(lines), encoding="utf-8")
    result = run_cli("generate", "--check", "--against", str(tmp_path))
    assert result.returncode == 1
    assert str(path) in result.stderr
    assert "edited by hand" in result.stderr


def test_missing_spec_tells_how_to_sync(tmp_path: Path) -> None:
    from codegen.spec import SpecMissingError, load_raw

    with pytest.raises(SpecMissingError, match="python -m codegen sync"):
        load_raw(DEFAULT_VERSION, cache_dir=tmp_path)


def test_diff_names_the_new_stream_options() -> None:
    result = run_cli("diff", EXAMPLES_VERSION, NEXT_VERSION)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "chatCompletionStreamOptions" in out
    assert "stream_options" in out
    assert "ChatCompletionToolChoiceOptionEnum: +required" in out


def test_generate_another_version_prints_the_changelog(tmp_path: Path) -> None:
    first = run_cli("generate", "--api-version", EXAMPLES_VERSION, "--out", str(tmp_path))
    assert first.returncode == 0, first.stderr
    result = run_cli("generate", "--api-version", NEXT_VERSION, "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "stream_options" in result.stdout
    assert f'API_VERSION = "{NEXT_VERSION}"' in (tmp_path / MANIFEST_FILE).read_text()


def test_docs_transform_table_is_current() -> None:
    result = run_cli("docs", "--check")
    assert result.returncode == 0, result.stderr
