"""Start, watch and stop ``prism mock`` servers."""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import signal
import socket
import subprocess
import threading
import time
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

from .config import DYNAMIC_SEED, REPO_ROOT, STARTUP_TIMEOUT, WORK_DIR
from .node import PrismInstall, ensure_prism
from .operations import OperationIndex
from .specs import (
    Document,
    MockSpec,
    SchemaCompileProblem,
    SpecFlavor,
    build_mock_spec,
    parse_probe_output,
)

PROBE_SCRIPT = Path(__file__).with_name("probe.cjs")
READY_PATH = "/__contract_harness_ready__"
"""Polled until Prism answers; a path no spec has, so Prism replies 404 NO_PATH_MATCHED."""


class PrismStartupError(RuntimeError):
    """Prism died or did not answer in time; the message carries its output."""


KILL = getattr(signal, "SIGKILL", signal.SIGTERM)


class CompileProbe:
    """Runs ``probe.cjs`` on one document in a background thread (overlaps Prism start-up)."""

    def __init__(self, node: str, spec: MockSpec) -> None:
        self.spec = spec
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, args=(node,), name=f"probe-{spec.flavor}", daemon=True
        )
        self._thread.start()

    def _run(self, node: str) -> None:
        try:
            self.spec.compile_problems = probe_compile_problems(node, self.spec.path)
        except BaseException as error:
            self._error = error

    def result(self) -> list[SchemaCompileProblem]:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self.spec.compile_problems


@dataclass(frozen=True)
class ServerConfig:
    """One kind of Prism server the suite runs (each started at most once per session)."""

    name: str
    flavor: SpecFlavor
    dynamic: bool = False
    errors: bool = False
    document: Document = "inference"
    """The document of the api-version it serves: one Prism per document and pass."""

    @property
    def pass_name(self) -> str:
        """The pass it serves (``static``, ``dynamic``, ``untransformed``), for any document."""
        return self.name.removeprefix(f"{self.document}-")

    def prism_args(self) -> list[str]:
        args: list[str] = []
        if self.dynamic:
            args += ["--dynamic", "--seed", DYNAMIC_SEED]
        if self.errors:
            args.append("--errors")
        return args


STATIC = ServerConfig("static", "transformed")
"""Examples-free spec, so static mode answers the schema's first-choice values: stable
bodies every run. No ``--errors``: request problems already get 422/401 with the details,
and a response the spec itself cannot satisfy should be *reported*, not turned into a 500
that hides the body the SDK has to cope with."""

DYNAMIC = ServerConfig("dynamic", "transformed", dynamic=True)
"""``--dynamic --seed``: bodies generated from the schemas (random optional fields, extra
properties, any enum member), reproducible because the seed is fixed."""

UNTRANSFORMED = ServerConfig("untransformed", "untransformed")
"""The upstream spec without our transforms: what it rejects must map to a transform."""

AUTHORING_STATIC = ServerConfig("authoring-static", "transformed", document="authoring")
AUTHORING_DYNAMIC = ServerConfig(
    "authoring-dynamic", "transformed", dynamic=True, document="authoring"
)
AUTHORING_UNTRANSFORMED = ServerConfig(
    "authoring-untransformed", "untransformed", document="authoring"
)
"""The same three passes for the authoring document (files, fine-tuning, models, ingestion)."""

SERVER_CONFIGS = {
    config.name: config
    for config in (
        STATIC,
        DYNAMIC,
        UNTRANSFORMED,
        AUTHORING_STATIC,
        AUTHORING_DYNAMIC,
        AUTHORING_UNTRANSFORMED,
    )
}


def server_name(pass_name: str, document: str) -> str:
    """The server of ``pass_name`` (``static``...) for ``document``: ``static`` or
    ``authoring-static``."""
    return pass_name if document == "inference" else f"{document}-{pass_name}"


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def tail(path: Path, lines: int = 40, start: int = 0) -> str:
    """The last ``lines`` lines of ``path`` from byte offset ``start`` (empty if missing)."""
    try:
        with path.open("rb") as handle:
            handle.seek(start)
            data = handle.read()
    except OSError:
        return ""
    text = data.decode("utf-8", errors="replace").splitlines()
    return "\n".join(text[-lines:])


class PrismServer:
    """A running ``prism mock`` process and what it serves.

    ``base_url`` is what the SDK takes as ``endpoint=``: the SDK appends ``/openai/<path>``
    and the harness mounted every spec path under ``/openai`` (see ``specs``), so the two
    line up. ``api_root`` (``base_url + "/openai"``) is for raw httpx calls.
    """

    def __init__(
        self,
        config: ServerConfig,
        spec: MockSpec,
        install: PrismInstall,
        probe: CompileProbe,
        host: str = "127.0.0.1",
    ) -> None:
        self.config = config
        self.spec = spec
        self.install = install
        self.host = host
        self.port = 0
        self.log_path = WORK_DIR / "logs" / f"prism-{config.name}.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.operations = OperationIndex(spec.document)
        self.started_in: float | None = None
        """Seconds from spawning Prism to its first answer."""
        self._probe = probe

    # ------------------------------------------------------------------ addresses

    @property
    def name(self) -> str:
        return self.config.name

    @property
    def pass_name(self) -> str:
        """``static``, ``dynamic`` or ``untransformed``, whatever the document."""
        return self.config.pass_name

    @property
    def document(self) -> Document:
        return self.config.document

    @property
    def api_version(self) -> str:
        return self.spec.api_version

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def endpoint(self) -> str:
        """Alias of ``base_url``: the value for the SDK's ``endpoint=``."""
        return self.base_url

    @property
    def api_root(self) -> str:
        return self.base_url + self.spec.mount

    def url(self, path: str, **query: Any) -> str:
        """Full URL of spec path ``path`` with ``api-version`` (and ``query``) filled in."""
        params = {"api-version": self.api_version, **query}
        return f"{self.api_root}/{path.lstrip('/')}?{urlencode(params)}"

    @property
    def netloc(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def compile_problems(self) -> list[SchemaCompileProblem]:
        """Schemas of this document Prism cannot compile (so never validates against)."""
        return self._probe.result()

    def unvalidated(self, operation_id: str, side: str = "request") -> list[SchemaCompileProblem]:
        return [
            problem
            for problem in self.compile_problems
            if problem.operation_id == operation_id and problem.side == side
        ]

    # ------------------------------------------------------------------ lifecycle

    def command(self) -> list[str]:
        return [
            self.install.node,
            str(self.install.entry_point),
            "mock",
            str(self.spec.path),
            "--host",
            self.host,
            "--port",
            str(self.port),
            *self.config.prism_args(),
        ]

    def spawn(self, *, append_log: bool = False) -> None:
        """Start the process (non-blocking); ``wait_ready`` waits for it to answer."""
        self.port = free_port(self.host)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab" if append_log else "wb") as log:
            log.write(f"$ {' '.join(self.command())}\n".encode())
            log.flush()
            kwargs: dict[str, Any] = {}
            if os.name == "posix":
                kwargs["start_new_session"] = True  # own process group: kill it whole
            else:  # pragma: no cover - Windows
                kwargs["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP  # type: ignore[attr-defined]
            self._spawned_at = time.monotonic()
            self.process = subprocess.Popen(
                self.command(),
                cwd=REPO_ROOT,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, "NO_COLOR": "1", "FORCE_COLOR": "0"},
                **kwargs,
            )
        _LIVE.add(self)

    def wait_ready(self, timeout: float = STARTUP_TIMEOUT, port_retries: int = 3) -> None:
        """Poll until Prism answers; respawn on another port if this one was taken."""
        assert self.process is not None, "spawn() first"
        deadline = time.monotonic() + timeout
        last_error: str = "no answer yet"
        with httpx.Client(timeout=1.0, trust_env=False) as client:
            while True:
                code = self.process.poll()
                if code is not None:
                    # free_port() closes its socket before Prism binds: another process
                    # can win the race. Rare, harmless, retried.
                    if port_retries > 0 and "EADDRINUSE" in tail(self.log_path, 20):
                        port_retries -= 1
                        self.spawn(append_log=True)
                        continue
                    raise PrismStartupError(self._explain(f"Prism exited with code {code}"))
                try:
                    response = client.get(self.base_url + READY_PATH)
                except httpx.TransportError as error:
                    last_error = f"{type(error).__name__}: {error}"
                else:
                    if "stoplight.io/prism" in response.text:
                        self.started_in = time.monotonic() - self._spawned_at
                        return
                    last_error = f"unexpected answer {response.status_code}: {response.text[:200]}"
                if time.monotonic() > deadline:
                    self.stop()
                    raise PrismStartupError(
                        self._explain(f"Prism did not answer within {timeout:.0f}s ({last_error})")
                    )
                time.sleep(0.1)

    def _explain(self, what: str) -> str:
        return (
            f"{what}: prism server {self.name!r} on {self.base_url}\n"
            f"command: {' '.join(self.command())}\n"
            f"log: {self.log_path}\n--- last lines ---\n{tail(self.log_path, 60)}"
        )

    def stop(self, grace: float = 5.0) -> None:
        """Terminate Prism and every child it spawned (idempotent)."""
        process, self.process = self.process, None
        _LIVE.discard(self)
        if process is None or process.poll() is not None:
            return
        _signal_group(process, signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            _signal_group(process, KILL)
            process.wait(timeout=grace)
        # Anything Prism spawned (e.g. with --multiprocess) shares its group: no orphans.
        _signal_group(process, KILL)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log_offset(self) -> int:
        try:
            return self.log_path.stat().st_size
        except OSError:
            return 0

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"<PrismServer {self.name} {self.base_url} {state} spec={self.spec.path.name}>"


def _signal_group(process: subprocess.Popen[bytes], sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError, OSError):
        if os.name == "posix":
            os.killpg(process.pid, sig)
        else:  # pragma: no cover - Windows
            process.send_signal(sig)


_LIVE: weakref.WeakSet[PrismServer] = weakref.WeakSet()


@atexit.register
def _stop_leftovers() -> None:
    """Safety net: never leave a Prism behind, even if the session dies abruptly."""
    for server in list(_LIVE):
        server.stop(grace=2.0)


# --------------------------------------------------------------------------- the fleet


class PrismFleet:
    """Session-wide owner of every Prism server: starts each kind once, stops them all.

    ``prepare(names)`` spawns several servers at once so their start-up overlaps; ``get``
    returns a ready server, spawning it on demand.
    """

    def __init__(self, api_version: str) -> None:
        self.api_version = api_version
        self._install: PrismInstall | None = None
        self._specs: dict[tuple[SpecFlavor, Document], MockSpec] = {}
        self._servers: dict[str, PrismServer] = {}
        self._ready: set[str] = set()
        self._failures: dict[str, BaseException] = {}
        self._probes: dict[tuple[SpecFlavor, Document], CompileProbe] = {}

    @property
    def install(self) -> PrismInstall:
        if self._install is None:
            self._install = ensure_prism()
        return self._install

    def spec(self, flavor: SpecFlavor, document: Document = "inference") -> MockSpec:
        key = (flavor, document)
        if key not in self._specs:
            self._specs[key] = build_mock_spec(self.api_version, flavor, document)
        return self._specs[key]

    def prepare(self, names: Sequence[str]) -> None:
        for name in names:
            if name not in self._servers and name not in self._failures:
                self._spawn(name)

    def probe(self, flavor: SpecFlavor, document: Document = "inference") -> CompileProbe:
        """The (single, background) schema-compile probe of ``flavor``'s ``document``."""
        key = (flavor, document)
        if key not in self._probes:
            self._probes[key] = CompileProbe(self.install.node, self.spec(flavor, document))
        return self._probes[key]

    def new_server(self, config: ServerConfig) -> PrismServer:
        """A server the fleet does *not* manage (not started; the caller must stop it)."""
        spec = self.spec(config.flavor, config.document)
        return PrismServer(config, spec, self.install, self.probe(config.flavor, config.document))

    def _spawn(self, name: str) -> None:
        server = self.new_server(SERVER_CONFIGS[name])
        self._servers[name] = server
        server.spawn()

    def get(self, name: str) -> PrismServer:
        if name in self._failures:
            raise PrismStartupError(f"prism server {name!r} failed earlier in this session") from (
                self._failures[name]
            )
        self.prepare([name])
        server = self._servers[name]
        if name not in self._ready:
            try:
                server.wait_ready()
            except BaseException as error:
                self._failures[name] = error
                server.stop()
                raise
            self._ready.add(name)
        return server

    @property
    def servers(self) -> list[PrismServer]:
        return list(self._servers.values())

    def server_for(self, netloc: str) -> PrismServer | None:
        for server in self._servers.values():
            if server.netloc == netloc:
                return server
        return None

    def close(self) -> None:
        errors: list[BaseException] = []
        for server in self._servers.values():
            try:
                server.stop()
            except BaseException as error:  # keep stopping the others
                errors.append(error)
        if errors:
            raise errors[0]


def probe_compile_problems(node: str, document: Path) -> list[SchemaCompileProblem]:
    completed = subprocess.run(
        [node, str(PROBE_SCRIPT), str(REPO_ROOT), str(document)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    if completed.returncode != 0:
        raise RuntimeError(
            f"schema probe failed for {document} (exit {completed.returncode}):\n{completed.stderr}"
        )
    problems = parse_probe_output(completed.stdout)
    (document.parent / f"{document.stem}.probe.json").write_text(
        json.dumps([problem.__dict__ for problem in problems], indent=1), encoding="utf-8"
    )
    return problems


def describe_fleet(fleet: PrismFleet) -> str:
    parts = []
    for server in fleet.servers:
        took = f"{server.started_in:.1f}s" if server.started_in is not None else "not ready"
        parts.append(f"{server.name}={server.base_url} ({took}, log {server.log_path})")
    return "; ".join(parts)


__all__ = [
    "DYNAMIC",
    "SERVER_CONFIGS",
    "STATIC",
    "UNTRANSFORMED",
    "PrismFleet",
    "PrismServer",
    "PrismStartupError",
    "ServerConfig",
    "describe_fleet",
    "tail",
]
