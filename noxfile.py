"""Developer and CI sessions.

    nox -t ci            everything CI runs: lint, typecheck, codegen check, tests, contract, docs,
                         and the upgrade drill (README's maintainer steps on a scratch copy)
    nox -s quickstart    the README quickstart, against the emulator unless an endpoint is set
    nox -s bench         benchmarks against openai-python (not part of CI)

Spec files are data: each session that needs them syncs the pinned files into
``.spec-cache/`` from the mirror in ``AZURE_OAI_SPEC_MIRROR`` or ``../shared/specs``
(when present), else from upstream, verifying their sha256.
"""

from __future__ import annotations

import os
import shutil
import subprocess
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
    """pyright strict over the package, the typing tests of the public API, and the docs.

    ``tests/typing`` calls the SDK with right and wrong arguments; each wrong call carries
    a ``pyright: ignore`` that must stay necessary, so a parameter that stops being typed
    fails the check. ``tests/typing/doc_snippets.py`` type-checks every ```python block of
    README.md and docs/*.md. Then ``tests/typing/hover_check.py`` asks pyright's language server
    what an editor shows when hovering client methods (signature and docstring).
    """
    _install(session, extras="[entra,testing]")
    # The emulator's pytest plugin is type-checked too, and docs snippets use openai-python.
    session.install("pytest>=8", "openai>=1.40")
    _npm_ci(session)
    pyright = str(ROOT / "node_modules" / ".bin" / "pyright")
    python = session.virtualenv.location + "/bin/python"
    session.run(pyright, "--pythonpath", python, external=True)
    session.run(pyright, "--pythonpath", python, "tests/typing", external=True)
    session.run("python", "-m", "tests.typing.doc_snippets", env={"PYRIGHT": pyright})
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
    """Build the documentation site, strict, into site/; then check it (tests/docs).

    Any warning fails the build: a broken link or anchor, a page missing from the nav, a
    reference that does not resolve. The checks: the API reference covers the public API and
    shows resource methods with their keyword arguments; in headless Chromium every page
    renders without console errors, the navigation reaches every page, and no internal link
    or anchor is broken. Chromium comes from the distribution (installed here when missing and
    possible); without it the browser check is skipped with a message.
    """
    _install(session, "docs")
    out = ROOT / "site"
    shutil.rmtree(out, ignore_errors=True)
    session.run("properdocs", "build", "--strict", "--site-dir", str(out))
    env = {"DOCS_SITE": str(out)}
    chromium = _chromium(session)
    if chromium:
        env["DOCS_CHROMIUM"] = chromium
    # -W: the project-wide pytest options name pytest-asyncio, which these checks do not need.
    session.run(
        "pytest",
        "-W",
        "ignore::pytest.PytestConfigWarning",
        "tests/docs",
        *session.posargs,
        env=env,
    )


def _chromium(session: nox.Session) -> str | None:
    """The distribution's Chromium: found, or installed with apt-get when root; else None."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.name != "posix" or os.geteuid() != 0 or shutil.which("apt-get") is None:
        session.warn(
            "Chromium is not installed and this session cannot install it (needs root "
            "and apt-get): the browser check will be skipped"
        )
        return None
    session.log("installing Chromium from the distribution's packages (apt-get)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
        if subprocess.run(command, env=env, check=False).returncode != 0:
            session.warn(f"`{' '.join(command)}` failed: the browser check will be skipped")
            return None
    return shutil.which("chromium")


@nox.session(name="upgrade-drill", python=PYTHON, tags=["ci"])
def upgrade_drill(session: nox.Session) -> None:
    """Rehearse an api-version upgrade: the README's maintainer steps, verbatim, on a scratch copy.

    The newest pinned version after the default becomes the default, is regenerated and checked
    (examples, every unit, generator and contract test); any step that fails means an upgrade
    would need a hand edit. ``-- --to VERSION`` picks another target, ``-- --keep`` keeps the
    copy. See codegen/drill.py.
    """
    _install(session, "dev", extras="[entra]")  # the README's maintainer environment
    _npm_ci(session)
    mirror = _mirror()
    session.run(
        "python",
        "-m",
        "codegen",
        "drill",
        *(["--from", mirror] if mirror else []),
        *session.posargs,
    )


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Benchmarks against openai-python on identical bytes (prints a table)."""
    _install(session, "bench")
    session.run("python", "-m", "benchmarks", *session.posargs)
    # The performance page's tables follow benchmarks/results.json (its charts: the docs build).
    session.run("python", "docs/_tools/performance.py", "tables")


@nox.session(python=PYTHON)
def quickstart(session: nox.Session) -> None:
    """Run examples/quickstart.py: against Azure if AZURE_OPENAI_ENDPOINT is set, else the emulator."""
    if os.environ.get("AZURE_OPENAI_ENDPOINT"):
        _install(session, extras="[entra]")
        session.run("python", "examples/quickstart.py")
        return
    _install(session, extras="[testing]")
    session.run("python", "examples/run_on_emulator.py", "examples/quickstart.py")
