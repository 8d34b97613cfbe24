"""The upgrade path: switching the default pin, checking examples, keeping the prose current,
and the drill that runs the README's maintainer steps."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest

from codegen import docs, drill
from codegen.paths import PINS_DIR, REPO_ROOT
from codegen.pins import PinError, default_version, load_pins, set_default

from .conftest import DEFAULT_VERSION, EXAMPLES_VERSION, GA_VERSION, NEXT_VERSION
from .test_generate import run_cli

# -- codegen default ----------------------------------------------------------------------


def _pins(tmp_path: Path) -> Path:
    target = tmp_path / "specs"
    target.mkdir()
    for pin in PINS_DIR.glob("*.toml"):
        shutil.copy(pin, target / pin.name)
    return target


def test_default_moves_the_default_flag_and_keeps_the_rest(tmp_path: Path) -> None:
    pins = _pins(tmp_path)
    before = {p.name: p.read_text(encoding="utf-8") for p in pins.glob("*.toml")}
    other = next(v for v in (NEXT_VERSION, EXAMPLES_VERSION) if v != DEFAULT_VERSION)
    changed = set_default(other, pins)
    assert default_version(pins) == other
    assert {p.name for p in changed} == {f"{DEFAULT_VERSION}.toml", f"{other}.toml"}
    for path in pins.glob("*.toml"):
        lines_before = before[path.name].splitlines()
        lines_after = path.read_text(encoding="utf-8").splitlines()
        differing = [(a, b) for a, b in zip(lines_before, lines_after, strict=True) if a != b]
        assert all(a.startswith("default = ") for a, _ in differing), path.name
    assert set_default(other, pins) == []  # idempotent
    assert [p.api_version for p in load_pins(pins) if p.default] == [other]


def test_default_refuses_an_unpinned_version(tmp_path: Path) -> None:
    with pytest.raises(PinError, match="no pin for api-version '2099-01-01'"):
        set_default("2099-01-01", _pins(tmp_path))


def test_default_adds_the_flag_to_a_pin_without_one(tmp_path: Path) -> None:
    pins = _pins(tmp_path)
    path = pins / f"{GA_VERSION}.toml"
    path.write_text(re.sub(r"(?m)^default = .*\n", "", path.read_text(encoding="utf-8")))
    set_default(GA_VERSION, pins)
    assert default_version(pins) == GA_VERSION


# -- check-examples -----------------------------------------------------------------------


def test_check_examples_without_examples_fails_and_says_where_they_are() -> None:
    result = run_cli("check-examples", "--api-version", NEXT_VERSION, "--document", "inference")
    assert result.returncode == 1
    assert "inference: 0 examples" in result.stderr
    assert "nothing was checked" in result.stderr
    assert f"--examples-from with a version that has them ({EXAMPLES_VERSION})" in result.stderr


def test_check_examples_with_examples_from_a_version_that_has_them_passes() -> None:
    result = run_cli(
        "check-examples", "--api-version", NEXT_VERSION, "--examples-from", EXAMPLES_VERSION
    )
    assert result.returncode == 0, result.stderr
    counts = dict(re.findall(r"^(\w+): (\d+) examples, 0 violations$", result.stderr, re.M))
    assert set(counts) == {"inference", "authoring"}
    assert all(int(n) > 0 for n in counts.values())


def test_check_examples_from_a_version_without_them_fails() -> None:
    result = run_cli("check-examples", "--api-version", NEXT_VERSION, "--examples-from", GA_VERSION)
    assert result.returncode == 1
    assert f"no example of {GA_VERSION} is available" in result.stderr


# -- the default api-version in the prose -------------------------------------------------


def _site(tmp_path: Path, readme: str, changelog: str = "") -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "README.md").write_text(readme, encoding="utf-8")
    (tmp_path / "docs" / "codegen.md").write_text(
        f"Pins: {GA_VERSION} is GA.\n{docs.START}\n{docs.END}\n", encoding="utf-8"
    )
    if changelog:
        (tmp_path / "CHANGELOG.md").write_text(changelog, encoding="utf-8")
    return tmp_path


def test_docs_rewrites_default_mentions_and_leaves_history(tmp_path: Path) -> None:
    other = GA_VERSION if DEFAULT_VERSION != GA_VERSION else EXAMPLES_VERSION
    root = _site(
        tmp_path,
        f"A client (`api-version={other}`).\n",
        f"# Changelog\n\n## Unreleased\n\nFor `api-version={other}`.\n\n"
        f"## 0.1.0\n\nFor `api-version={other}`.\n",
    )
    flagged = docs.update_docs(check=True, root=root)
    assert {p.path.name for p in flagged} == {"README.md", "CHANGELOG.md", "codegen.md"}
    assert (root / "README.md").read_text() == f"A client (`api-version={other}`).\n"  # --check
    docs.update_docs(root=root)
    assert (root / "README.md").read_text() == f"A client (`api-version={DEFAULT_VERSION}`).\n"
    changelog = (root / "CHANGELOG.md").read_text()
    assert f"## Unreleased\n\nFor `api-version={DEFAULT_VERSION}`." in changelog
    assert f"## 0.1.0\n\nFor `api-version={other}`." in changelog  # a release is history
    assert docs.update_docs(check=True, root=root) == []
    assert f"Pins: {GA_VERSION} is GA." in (root / "docs" / "codegen.md").read_text()


def test_docs_flags_a_user_page_naming_a_pinned_version_otherwise(tmp_path: Path) -> None:
    root = _site(tmp_path, f"Requests are checked against the **{EXAMPLES_VERSION}** spec.\n")
    (page,) = [p for p in docs.update_docs(root=root) if p.stray]
    assert page.path.name == "README.md"
    assert page.stray == (f"1: Requests are checked against the **{EXAMPLES_VERSION}** spec.",)


def test_the_repository_prose_names_the_pinned_default() -> None:
    assert docs.update_docs(check=True) == []
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert f"`api-version={DEFAULT_VERSION}`" in readme


GENERATED_HEADER = "# Generated by `python -m codegen generate`"


def test_no_hand_written_module_spells_out_a_pinned_version() -> None:
    """The runtime default is the generated API_VERSION; nothing else may repeat it."""
    versions = [pin.api_version for pin in load_pins()]
    offenders: list[str] = []
    for folder in ("azure_oai_preview", "benchmarks", "examples"):
        for path in sorted((REPO_ROOT / folder).rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            if path.parent.name == "models" and text.startswith(GENERATED_HEADER):
                continue  # generated: it records the version it was generated from
            offenders += [f"{path.relative_to(REPO_ROOT)}: {v}" for v in versions if v in text]
    assert not offenders


# -- the drill ----------------------------------------------------------------------------


def test_the_readme_steps_are_runnable_codegen_and_pytest_commands() -> None:
    steps = drill.readme_steps((REPO_ROOT / "README.md").read_text(encoding="utf-8"))
    commands = [
        drill.command(s, {"<old>": "A", "<new>": "B", "<examples>": "C"}, "py") for s in steps
    ]
    assert commands == [
        ["py", "-m", "codegen", "default", "B"],
        ["py", "-m", "codegen", "sync"],
        ["py", "-m", "codegen", "diff", "A", "B"],
        ["py", "-m", "codegen", "generate"],
        ["py", "-m", "codegen", "check-examples", "--api-version", "B", "--examples-from", "C"],
        ["py", "-m", "codegen", "docs"],
        ["py", "-m", "pytest", "tests", "--ignore=tests/docs"],
    ]


def test_the_readme_environment_is_the_one_the_drill_installs() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    noxfile = (REPO_ROOT / "noxfile.py").read_text(encoding="utf-8")
    assert '-e ".[entra]" --group dev' in readme
    session = noxfile.split('name="upgrade-drill"', 1)[1]
    session = session.split("@nox.session", 1)[0]
    assert 'tags=["ci"]' in session.split("\n", 1)[0]
    assert '_install(session, "dev", extras="[entra]")' in session
    assert re.search(r'"-m",\s*"codegen",\s*"drill"', session)


def test_drill_commands_refuse_unknown_placeholders() -> None:
    with pytest.raises(drill.DrillError, match="unknown placeholder"):
        drill.command(".venv/bin/python -m codegen diff <older> <new>", {"<new>": "B"}, "py")
    with pytest.raises(drill.DrillError, match="no <!-- upgrade-steps"):
        drill.readme_steps("# README\n")


def test_drill_targets_the_newest_pin_after_the_default() -> None:
    assert drill.target_version(EXAMPLES_VERSION, PINS_DIR) == NEXT_VERSION
    assert drill.target_version(NEXT_VERSION, PINS_DIR) is None


def test_drill_takes_examples_from_the_newest_version_that_has_them(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    (cache / EXAMPLES_VERSION / "examples").mkdir(parents=True)
    (cache / EXAMPLES_VERSION / "examples" / "x.json").write_text("{}")
    assert drill.examples_version(NEXT_VERSION, cache, PINS_DIR) == EXAMPLES_VERSION
    (cache / NEXT_VERSION / "examples").mkdir(parents=True)
    (cache / NEXT_VERSION / "examples" / "y.json").write_text("{}")
    assert drill.examples_version(NEXT_VERSION, cache, PINS_DIR) == NEXT_VERSION
    with pytest.raises(drill.DrillError, match="no synced examples"):
        drill.examples_version(EXAMPLES_VERSION, tmp_path / "empty", PINS_DIR)


def test_drill_copies_the_work_tree_without_ignored_files(tmp_path: Path) -> None:
    count = drill.copy_tree(REPO_ROOT, tmp_path)
    assert count > 100
    assert (tmp_path / "README.md").read_bytes() == (REPO_ROOT / "README.md").read_bytes()
    assert (tmp_path / "codegen" / "drill.py").is_file()
    for ignored in (".nox", ".venv", ".spec-cache", "node_modules", ".git"):
        assert not (tmp_path / ignored).exists(), ignored


def test_drill_stops_at_the_first_failing_step(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copytree(PINS_DIR, root / "specs")
    (root / "README.md").write_text(
        f"{drill.MARKER} -->\n```bash\n"
        f".venv/bin/python -c 'import sys; print(\"ran\", sys.argv[1:])' <old> <new>\n"
        ".venv/bin/python -c 'raise SystemExit(3)'\n"
        ".venv/bin/python -c 'print(\"never\")'\n```\n",
        encoding="utf-8",
    )
    old = default_version(root / "specs")
    new = next(v for v in (NEXT_VERSION, GA_VERSION, EXAMPLES_VERSION) if v != old)
    assert drill.run(root, new=new, log=print) == 1
    out = capfd.readouterr().out
    assert f"ran ['{old}', '{new}']" in out
    assert "FAILED at step 2" in out
    assert "never" not in out
    assert sys.executable not in out  # steps are shown as the README writes them
