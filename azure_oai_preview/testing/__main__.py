"""``python -m azure_oai_preview.testing serve``: the emulator as a local HTTP server.

Prints the endpoint, the api-version and the deployments, then serves until stopped.
Point any client at it: openai-python's ``AzureOpenAI(azure_endpoint=..., api_key=...,
api_version=...)``, curl, or an SDK in another language.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Sequence

__all__ = ["main"]

_MAX_PORT = 65_535


def _port(text: str) -> int:
    """A TCP port number (0-65535), for argparse: anything else is a usage error."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= port <= _MAX_PORT:
        raise argparse.ArgumentTypeError(
            f"{port} is not a port: use 0-{_MAX_PORT} (0 = any free port)"
        )
    return port


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m azure_oai_preview.testing",
        description="An in-memory Azure OpenAI emulator (azure-oai-preview).",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the emulator over HTTP until stopped")
    serve.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    serve.add_argument(
        "--port", type=_port, default=8000, help="port (default 8000; 0 = any free port)"
    )
    serve.add_argument("--api-key", default=None, help="the only api-key accepted (default: any)")
    serve.add_argument(
        "--progress",
        choices=("immediate", "on_read", "manual"),
        default="immediate",
        help="when runs and file ingestion move on (default immediate)",
    )
    serve.add_argument("--seed", type=int, default=0, help="seed of the generated ids")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from ..models._manifest import API_VERSION
    from ._emulator import Emulator
    from ._server import EmulatorServer

    emulator = Emulator(api_key=args.api_key, progress=args.progress, seed=args.seed)
    try:
        server = EmulatorServer(emulator, host=args.host, port=args.port)
    except ImportError as exc:
        print(exc, file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    key = (
        "the one given with --api-key"
        if args.api_key
        else "any non-empty api-key (or bearer token)"
    )
    print(f"Azure OpenAI emulator listening on {server.endpoint}")
    print(f"  endpoint:    {server.endpoint}")
    print(f"  api-version: {API_VERSION}")
    print(f"  api key:     {key}")
    print(f"  deployments: {', '.join(emulator.deployments)}")
    print("Press Ctrl+C to stop.", flush=True)
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn re-raises the Ctrl+C it stopped for
        server.run()
    print("Stopped.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
