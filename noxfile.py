"""Developer and CI sessions.

    nox -t ci            everything CI runs: lint, typecheck, codegen check, tests, contract, docs
    nox -s quickstart    the README quickstart, against the emulator unless an endpoint is set
    nox -s bench         benchmarks against openai-python (not part of CI)

Spec files are data: each session that needs them syncs the pinned files into
``.spec-cache/`` from the mirror in ``AZURE_OAI_SPEC_MIRROR`` or ``../shared/specs``
(when present), else from upstream, verifying their sha256.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_venv = "yes"
nox.options.error_on_missing_interpreters = True

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml("pyproject.toml")
PYTHON = os.environ.get("NOX_PYTHON", "3.11")


def _mirror() -> str | None:
    configured = os.environ.get("AZURE_OAI_SPEC_MIRROR")
    if configured:
        return configured
    sibling = ROOT.parent / "shared" / "specs"
    return str(sibling) if sibling.is_dir() else None


def _sync_specs(session: nox.Session) -> None:
    mirror = _mirror()
    args = ["--from", mirror] if mirror else []
    session.run("python", "-m", "codegen", "sync", *args)


def _install(session: nox.Session, *groups: str, extras: str = "") -> None:
    session.install("-e", f".{extras}")
    for group in groups:
        session.install(*nox.project.dependency_groups(PYPROJECT, group))


def _npm_ci(session: nox.Session) -> None:
    if shutil.which("npm") is None:
        session.error(
            "npm is not on PATH: install Node.js 20.19+ (it brings npm); Prism, pyright and "
            "swagger2openapi (the authoring spec's converter) come from npm"
        )
    tools = ("prism", "pyright", "swagger2openapi")
    if not all((ROOT / "node_modules" / ".bin" / tool).exists() for tool in tools):
        # --ignore-scripts: the only install script in the tree is a telemetry ping.
        session.run("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts", external=True)


@nox.session(python=PYTHON, tags=["ci"])
def lint(session: nox.Session) -> None:
    """ruff: lint and formatting."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "lint"))
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session(python=PYTHON, tags=["ci"])
def typecheck(session: nox.Session) -> None:
    """pyright strict over the package, and the typing tests of the public API.

    ``tests/typing`` calls the SDK with right and wrong arguments; each wrong call carries
    a ``pyright: ignore`` that must stay necessary, so a parameter that stops being typed
    fails the check. Then ``tests/typing/hover_check.py`` asks pyright's language server what
    an editor shows when hovering client methods (signature and docstring).
    """
    _install(session, extras="[entra,testing]")
    session.install("pytest>=8")  # the emulator's pytest plugin is type-checked too
    _npm_ci(session)
    pyright = str(ROOT / "node_modules" / ".bin" / "pyright")
    python = session.virtualenv.location + "/bin/python"
    session.run(pyright, "--pythonpath", python, external=True)
    session.run(pyright, "--pythonpath", python, "tests/typing", external=True)
    langserver = str(ROOT / "node_modules" / ".bin" / "pyright-langserver")
    session.run("python", "tests/typing/hover_check.py", langserver, python)


@nox.session(python=PYTHON, tags=["ci"])
def codegen(session: nox.Session) -> None:
    """The committed models are exactly what the generator makes from the pinned specs."""
    _install(session, "test")
    _npm_ci(session)  # swagger2openapi converts the Swagger 2.0 authoring document
    _sync_specs(session)
    session.run("python", "-m", "codegen", "generate", "--check")


@nox.session(python=PYTHON, tags=["ci"])
def tests(session: nox.Session) -> None:
    """Unit tests (respx), generator tests, the emulator's tests, and the fault tests (real
    servers on 127.0.0.1, started and stopped by each test)."""
    _install(session, "test", extras="[entra,testing]")
    _npm_ci(session)  # the generator tests convert the authoring document (swagger2openapi)
    _sync_specs(session)
    session.run(
        "pytest", "tests/unit", "tests/codegen", "tests/emulator", "tests/faults", *session.posargs
    )


@nox.session(python=PYTHON, tags=["ci"])
def contract(session: nox.Session) -> None:
    """Every operation, sync and async, against Prism serving the pinned spec."""
    _install(session, "test", extras="[entra]")
    _npm_ci(session)
    _sync_specs(session)
    session.run("pytest", "tests/contract", *session.posargs)


@nox.session(python=PYTHON, tags=["ci"])
def docs(session: nox.Session) -> None:
    """Build the API reference (pdoc) next to the guide; fails on broken docstrings."""
    _install(session, extras="[testing]")
    session.install("pdoc>=14", "pytest>=8")  # pdoc imports the emulator's server and plugin
    out = ROOT / "site"
    shutil.rmtree(out, ignore_errors=True)
    session.run("python", "docs/build.py", str(out))


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Benchmarks against openai-python on identical bytes (prints a table)."""
    _install(session, "bench")
    session.run("python", "-m", "benchmarks", *session.posargs)


@nox.session(python=PYTHON)
def quickstart(session: nox.Session) -> None:
    """Run examples/quickstart.py: against Azure if AZURE_OPENAI_ENDPOINT is set, else the emulator."""
    if os.environ.get("AZURE_OPENAI_ENDPOINT"):
        _install(session, extras="[entra]")
        session.run("python", "examples/quickstart.py")
        return
    _install(session, extras="[testing]")
    session.run("python", "examples/run_on_emulator.py", "examples/quickstart.py")
