"""The layout engine writes what `ruff format` would, beyond the shapes today's spec produces."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from codegen.emit import docstring
from codegen.pyfmt import Bracket, Or, annotated, call, statement, sub


def _ruff() -> str:
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    if not Path(ruff).exists():
        pytest.skip("ruff is not installed in this environment (lint group)")
    return ruff


def _cases() -> tuple[list[str], list[str]]:
    body: list[str] = []
    module: list[str] = []
    for n in (10, 22, 30, 45, 60, 75):
        t = "X" * n
        name = "a" * 22
        body += annotated(name, Or((sub("list", t), "None")), "None", 4)
        body += annotated(name, Or((t, "None")), None, 4)
        body += annotated(name, t, None, 4)
        body += annotated(name, sub("Literal", f'"{t}"'), None, 4)
        field = call("Field", alias='"x[]"')
        body += annotated(name, sub("Annotated", Or((t, "None")), field), "None", 4)
        body += annotated(
            name,
            sub("Annotated", Or((sub("list", t), "None")), field),
            call("Field", default_factory="list"),
            4,
        )
        factory = Bracket("lambda: ", "[", (f"{t}.SEGMENT",))
        body += annotated(
            name,
            sub("Annotated", Or((sub("list", t), "None")), field),
            call("Field", default_factory=factory),
            4,
        )
        body += annotated(
            name, Or((sub("list", t), "None")), call("Field", default_factory=factory), 4
        )
        body += annotated(name, Or((t, "None")), f"{t}.MEMBER", 4)
        body += annotated(name, Or((sub("dict", "str", t), "None")), "None", 4)
        pattern = "|".join(f"thread\\.run\\.x{i}" for i in range(n // 5))
        body += annotated(
            "event",
            sub("Annotated", "str", call("Field", pattern=f'r"^(?!(?:{pattern})$)"')),
            None,
            4,
        )
        items = Bracket("", "{", tuple(f'"f{i}_{"y" * (n // 10)}"' for i in range(n // 6 + 1)))
        body += statement("__azure_non_nullable__", call("frozenset", items), 4)
        body += statement(
            "__azure_schema__", f'"#/components/schemas/{t}/properties/{t[: n // 2]}"', 4
        )
        body += docstring(f"Word {t.lower()} " * (n // 8) + '"quoted"', 4)
        members = [f"{t[: n // 3 + 3]}{i}" for i in range(4)]
        union = sub("Annotated", sub("Union", *members), call("Field", discriminator='"type"'))
        value = sub(
            "Annotated",
            sub("Union", union, f"UnknownX{t[: n // 4]}"),
            call("Field", union_mode='"left_to_right"'),
        )
        module += annotated(f"Alias{n}", "TypeAlias", value, 0)
    return body, module


def test_layouts_match_ruff(tmp_path: Path) -> None:
    ruff = _ruff()
    body, module = _cases()
    source = "class Foo:\n" + "\n".join(body) + "\n\n\n" + "\n".join(module) + "\n"
    path = tmp_path / "layouts.py"
    path.write_text(source, encoding="utf-8")
    result = subprocess.run(
        [ruff, "format", "--isolated", "--line-length", "100", "--diff", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:]
