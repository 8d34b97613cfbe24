"""Cold start (issue 16): a fresh process imports the client, builds it and makes one call.

Per API area, each sample is a new interpreter that imports httpx and the SDK, builds a client
over an ``httpx.MockTransport`` that answers with the same canned bytes for both contenders,
makes one typed call and checks its result; the time runs from spawning the interpreter to
that result (shut-down excluded). The floor is an interpreter that only imports httpx and
pydantic (what any pydantic-based client must load); "pydantic in use" adds defining and
validating one small model, the least a client that parses responses with pydantic pays.
Medians of ``BENCH_ROUNDS`` (default 11) interleaved rounds, bytecode caches warm.

Target (issue 16): the cold first chat call within 1.5x the floor.
"""

from __future__ import annotations

import json
import statistics
import textwrap
from dataclasses import dataclass

from ._bodies import FILTERS
from ._harness import (
    API_KEY,
    API_VERSION,
    ENDPOINT,
    OPENAI,
    OURS,
    Row,
    Sample,
    interleaved,
    print_table,
    rounds_from_env,
)
from .bench_assistants import _run

FLOOR = "floor: import httpx, pydantic"
PYDANTIC_FLOOR = "pydantic in use"
TITLE = "Cold start: fresh process, import, client, first call (issue 16)"

CHAT_REPLY = {
    "id": "chatcmpl-bench",
    "object": "chat.completion",
    "created": 1718000000,
    "model": "gpt-4o-2024-05-13",
    "system_fingerprint": "fp_bench",
    "prompt_filter_results": [{"prompt_index": 0, "content_filter_results": FILTERS}],
    "choices": [
        {
            "index": 0,
            "finish_reason": "stop",
            "message": {"role": "assistant", "content": "Hello!"},
            "content_filter_results": FILTERS,
        }
    ],
    "usage": {"prompt_tokens": 9, "completion_tokens": 2, "total_tokens": 11},
}
EMBEDDINGS = {
    "object": "list",
    "model": "text-embedding-3-small",
    "data": [{"object": "embedding", "index": 0, "embedding": [0.125] * 8}],
    "usage": {"prompt_tokens": 1, "total_tokens": 1},
}
RUN = _run("queued")
VECTOR_STORE = {
    "id": "vs_bench",
    "object": "vector_store",
    "created_at": 1718000000,
    "name": "docs",
    "usage_bytes": 0,
    "file_counts": {"in_progress": 0, "completed": 0, "failed": 0, "cancelled": 0, "total": 0},
    "status": "completed",
    "expires_after": None,
    "expires_at": None,
    "last_active_at": 1718000000,
    "metadata": {},
}
FINE_TUNING_JOB = {
    "object": "fine_tuning.job",
    "id": "ftjob-bench",
    "created_at": 1718000000,
    "finished_at": 1718003600,
    "status": "succeeded",
    "model": "gpt-35-turbo-0125",
    "fine_tuned_model": "gpt-35-turbo-0125.ft-bench",
    "training_file": "file-bench",
    "validation_file": None,
    "result_files": ["file-result"],
    "trained_tokens": 1000,
    "hyperparameters": {"n_epochs": 1},
}


@dataclass(frozen=True)
class Area:
    name: str
    body: dict[str, object]
    ours: str  # the call, on `client`, then a check of `result`
    openai: str


AREAS = (
    Area(
        "chat",
        CHAT_REPLY,
        "result = client.chat.completions.create(messages=[{'role': 'user', 'content': 'Hi'}])\n"
        "assert result.choices[0].message.content == 'Hello!'",
        "result = client.chat.completions.create(\n"
        "    model='bench', messages=[{'role': 'user', 'content': 'Hi'}]\n"
        ")\n"
        "assert result.choices[0].message.content == 'Hello!'",
    ),
    Area(
        "embeddings",
        EMBEDDINGS,
        "result = client.embeddings.create(input='Hi')\n"
        "assert result.data[0].embedding[0] == 0.125",
        "result = client.embeddings.create(model='bench', input='Hi', encoding_format='float')\n"
        "assert result.data[0].embedding[0] == 0.125",
    ),
    Area(
        "assistants run",
        RUN,
        "result = client.threads.runs.create('thread_bench', assistant_id='asst_bench')\n"
        "assert result.id == 'run_bench'",
        "result = client.beta.threads.runs.create(thread_id='thread_bench', assistant_id='asst_bench')\n"
        "assert result.id == 'run_bench'",
    ),
    Area(
        "vector store",
        VECTOR_STORE,
        "result = client.vector_stores.create(name='docs')\nassert result.id == 'vs_bench'",
        "stores = getattr(client, 'vector_stores', None) or client.beta.vector_stores\n"
        "result = stores.create(name='docs')\n"
        "assert result.id == 'vs_bench'",
    ),
    Area(
        "fine-tuning job",
        FINE_TUNING_JOB,
        "result = client.fine_tuning.jobs.retrieve('ftjob-bench')\nassert result.id == 'ftjob-bench'",
        "result = client.fine_tuning.jobs.retrieve('ftjob-bench')\nassert result.id == 'ftjob-bench'",
    ),
)

_PRELUDE = """\
import time
_start = time.perf_counter()
import httpx
{import_client}
_imported = time.perf_counter()
BODY = {body!r}

def handler(request):
    return httpx.Response(200, content=BODY, headers={{"content-type": "application/json"}})

http = httpx.Client(transport=httpx.MockTransport(handler))
client = {client}
{call}
_done = time.perf_counter()
print("READY", _imported - _start, _done - _start, time.process_time(), flush=True)
"""

_OURS_CLIENT = (
    f"AzureOpenAI(endpoint={ENDPOINT!r}, api_key={API_KEY!r}, deployment='bench', "
    "http_client=http, max_retries=0)"
)
_OPENAI_CLIENT = (
    f"AzureOpenAI(azure_endpoint={ENDPOINT!r}, api_key={API_KEY!r}, "
    f"api_version={API_VERSION!r}, http_client=http, max_retries=0)"
)

FLOOR_SCRIPT = """\
import time
_start = time.perf_counter()
import httpx, pydantic
_done = time.perf_counter()
print("READY", _done - _start, _done - _start, time.process_time(), flush=True)
"""

PYDANTIC_FLOOR_SCRIPT = """\
import time
_start = time.perf_counter()
import httpx
from pydantic import BaseModel
_imported = time.perf_counter()

class Reply(BaseModel):
    id: str
    created: int

assert Reply.model_validate_json(b'{"id": "x", "created": 1}').created == 1
_done = time.perf_counter()
print("READY", _imported - _start, _done - _start, time.process_time(), flush=True)
"""


def script(contender: str, area: Area) -> str:
    ours = contender == OURS
    return _PRELUDE.format(
        import_client=f"from {'azure_oai_preview' if ours else 'openai'} import AzureOpenAI",
        body=json.dumps(area.body).encode(),
        client=_OURS_CLIENT if ours else _OPENAI_CLIENT,
        call=textwrap.dedent(area.ours if ours else area.openai),
    )


def _median(samples: list[Sample], index: int | None = None) -> float:
    return statistics.median(s.wall if index is None else s.values[index] for s in samples)


def _row(case: str, contender: str, samples: list[Sample]) -> Row:
    imported, done, cpu = (_median(samples, i) for i in range(3))
    note = f"(import {imported * 1000:.0f} ms, ready {done * 1000:.0f} ms, cpu {cpu * 1000:.0f} ms)"
    return Row(
        case,
        contender,
        _median(samples),
        note,
        extra={"import": imported, "ready": done, "cpu": cpu},
    )


def run(rounds: int | None = None) -> list[Row]:
    rounds = rounds or rounds_from_env(11)
    scripts = {FLOOR: FLOOR_SCRIPT, PYDANTIC_FLOOR: PYDANTIC_FLOOR_SCRIPT}
    for area in AREAS:
        for contender in (OURS, OPENAI):
            scripts[f"{area.name}|{contender}"] = script(contender, area)
    samples = interleaved(scripts, rounds)
    rows: list[Row] = []
    for area in AREAS:
        case = f"cold first call: {area.name}"
        rows += [_row(case, c, samples[f"{area.name}|{c}"]) for c in (OURS, OPENAI)]
        rows += [
            _row(case, FLOOR, samples[FLOOR]),
            _row(case, PYDANTIC_FLOOR, samples[PYDANTIC_FLOOR]),
        ]
    return rows


TARGETS = {"cold first call: chat": "<= 1.5x floor"}


def main() -> None:
    rows = run()
    print_table(TITLE, rows, baseline=FLOOR, targets=TARGETS)
    by = {(r.case, r.contender): r for r in rows}
    chat = "cold first call: chat"
    ours, floor = by[(chat, OURS)], by[(chat, FLOOR)]
    pydantic_floor, openai = by[(chat, PYDANTIC_FLOOR)], by[(chat, OPENAI)]
    print(
        f"\ncold chat call: {ours.seconds / floor.seconds:.2f}x the floor (target <= 1.5x; "
        f"pydantic in use alone is {pydantic_floor.seconds / floor.seconds:.2f}x), "
        f"{openai.seconds / ours.seconds:.1f}x faster than openai-python; by CPU time "
        f"{ours.extra['cpu'] / floor.extra['cpu']:.2f}x the floor"
    )


if __name__ == "__main__":
    main()
