"""What an editor shows when hovering a client method: asked of pyright's language server.

    python tests/typing/hover_check.py node_modules/.bin/pyright-langserver .venv/bin/python

Writes a small user program into a temporary folder, starts ``pyright-langserver --stdio``
on it, sends one LSP ``textDocument/hover`` request per method below and checks the answer:
a method signature with the method's parameters and the caller's return type, and the
method's docstring - never the type of the machinery behind it. Exits non-zero naming every
failed expectation. ``nox -s typecheck`` runs it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, cast

USER_PROGRAM = """\
from azure_oai_preview import AsyncAzureOpenAI, AzureOpenAI

client = AzureOpenAI("https://example.openai.azure.com", api_key="k")
aclient = AsyncAzureOpenAI("https://example.openai.azure.com", api_key="k")
client.chat.completions.create
aclient.threads.runs.retrieve
client.with_raw_response.assistants.retrieve
client.threads.runs.create_and_poll
client.audio.transcriptions.create
client.files.create
aclient.ingestion_jobs.create_and_poll
"""

# (the expression hovered - its last name is the target, what the hover must contain)
EXPECTATIONS: list[tuple[str, list[str]]] = [
    (
        "client.chat.completions.create",
        [
            "deployment: str | None = None",
            "stream: Literal[False] | None = None",
            "stream: Literal[True]",
            "**params: **ChatCompletionsCreateArgs",
            ") -> CreateChatCompletionResponse",
            ") -> ChatCompletionStream",
            "Create a chat completion (`ChatCompletions_Create`)",
            "extra_body",
        ],
    ),
    (
        "aclient.threads.runs.retrieve",
        [
            "run_id: str",
            "thread_id: str",
            "**options: **RequestOptions",
            ") -> Coroutine[Any, Any, RunObject]",
            "Retrieve a run (`Get_Run`)",
        ],
    ),
    (
        "client.with_raw_response.assistants.retrieve",
        ["assistant_id: str", ") -> RawResponse[AssistantObject]", "`Get_Assistant`"],
    ),
    (
        "client.threads.runs.create_and_poll",
        [
            "poll_interval: float = DEFAULT_POLL_INTERVAL",
            "timeout: float | None = None",
            "**params: **CreateRunAndPollArgs",
            ") -> RunObject",
            "Start a run and wait until it settles",
        ],
    ),
    (
        "client.audio.transcriptions.create",
        [
            "response_format: Literal['json'] | None = None",
            "response_format: Literal['verbose_json']",
            "timestamp_granularities: list[Literal['word', 'segment']] | None = None",
            "response_format: Literal['text', 'srt', 'vtt']",
            ") -> AudioVerboseResponse",
            ") -> str",
            "`Transcriptions_Create`",
        ],
    ),
    (
        "client.files.create",
        ["file: FileInput", "purpose: PurposeName | Purpose", ") -> File", "`Files_Upload`"],
    ),
    (
        "aclient.ingestion_jobs.create_and_poll",
        [
            "job_id: str",
            "job: IngestionJobsCreateParams",
            "mgmt_user_token: str | None = None",
            ") -> Coroutine[Any, Any, IngestionJobRun]",
            "operation-location",
        ],
    ),
]
# The machinery a hover must not show instead of a signature.
NEVER = ["Method[", "_SyncStreamable", "Protocol", "Call["]


class LanguageServer:
    """A minimal LSP client over stdio (JSON-RPC with Content-Length framing)."""

    def __init__(self, command: list[str], python: str) -> None:
        # Absolute, or the server reads it relative to the workspace; not resolved, or a
        # virtual environment's interpreter would turn into the base one.
        self.python = os.path.abspath(python)
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self.next_id = 0

    def notify(self, method: str, params: object) -> None:
        self._write({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method: str, params: object) -> Any:
        self.next_id += 1
        request_id = self.next_id
        self._write({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})
        while True:
            message = self._read()
            if message.get("id") == request_id and "method" not in message:
                if "error" in message:
                    raise RuntimeError(f"{method} failed: {message['error']}")
                return message.get("result")
            if "method" in message and "id" in message:
                self._answer(message)

    def close(self) -> None:
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            self.process.wait(timeout=30)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()

    def _answer(self, message: dict[str, Any]) -> None:
        # The server asks for its settings: point it at the interpreter that has the SDK.
        result: object = None
        if message["method"] == "workspace/configuration":
            items = cast("list[dict[str, Any]]", message["params"]["items"])
            result = [
                {"pythonPath": self.python} if item.get("section") == "python" else {}
                for item in items
            ]
        self._write({"jsonrpc": "2.0", "id": message["id"], "result": result})

    def _write(self, message: object) -> None:
        assert self.process.stdin is not None
        body = json.dumps(message).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def _read(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        length = 0
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError("the language server exited")
            if line in (b"\r\n", b"\n"):
                break
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        return cast("dict[str, Any]", json.loads(self.process.stdout.read(length)))


def hovers(server_command: list[str], python: str, folder: Path) -> dict[str, str]:
    """The hover text of each expression of :data:`EXPECTATIONS` in :data:`USER_PROGRAM`."""
    program = folder / "user_program.py"
    program.write_text(USER_PROGRAM, encoding="utf-8")
    server = LanguageServer([*server_command, "--stdio"], python)
    try:
        root = folder.resolve().as_uri()
        server.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": root,
                "workspaceFolders": [{"uri": root, "name": "user"}],
                "capabilities": {
                    "textDocument": {"hover": {"contentFormat": ["markdown", "plaintext"]}},
                    "workspace": {"configuration": True},
                },
            },
        )
        server.notify("initialized", {})
        uri = program.resolve().as_uri()
        server.notify(
            "textDocument/didOpen",
            {
                "textDocument": {
                    "uri": uri,
                    "languageId": "python",
                    "version": 1,
                    "text": USER_PROGRAM,
                }
            },
        )
        lines = [str(line) for line in USER_PROGRAM.splitlines()]
        texts: dict[str, str] = {}
        for expression, _ in EXPECTATIONS:
            line = lines.index(expression)
            character = expression.rindex(".") + 2  # inside the method's name
            result = server.request(
                "textDocument/hover",
                {"textDocument": {"uri": uri}, "position": {"line": line, "character": character}},
            )
            texts[expression] = "" if result is None else str(result["contents"]["value"])
        return texts
    finally:
        server.close()


def main(server: str, python: str) -> int:
    with tempfile.TemporaryDirectory() as folder:
        texts = hovers([server], python, Path(folder))
    failures: list[str] = []
    for expression, wanted in EXPECTATIONS:
        text = texts[expression]
        failures += [f"{expression}: hover lacks {part!r}" for part in wanted if part not in text]
        failures += [f"{expression}: hover shows {part!r}" for part in NEVER if part in text]
        if failures:
            failures.append(f"--- hover of {expression}:\n{text}")
    if failures:
        print("\n".join(failures))
        return 1
    print(f"hover: {len(EXPECTATIONS)} methods show their signature and docstring")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
