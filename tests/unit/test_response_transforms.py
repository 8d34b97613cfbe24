"""Response fields the spec mistypes or omits, typed by the response-side transforms.

Audio segments' integer ``seek``/``tokens``, run steps' ``usage``, and the run and run step
shapes of the upstream Get_Run / Get_Run_Step / List_Run_Steps examples. (Embeddings in base64
are in test_embeddings.py, inner errors in test_inner_error.py.)
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
import respx
from _assistants_support import (
    listing,
    run,
    run_step_body,
    sse_body,
    sse_response,
    stream_step,
)

from azure_oai_preview import (
    MISSING,
    AssistantStream,
    AsyncAzureOpenAI,
    AzureOpenAI,
    deviations,
)
from azure_oai_preview.models import (
    AudioVerboseResponse,
    RunObject,
    RunStepCompletionUsage,
    RunStepObject,
)

TRANSCRIBE = "/deployments/gpt-4o/audio/transcriptions"
TRANSLATE = "/deployments/gpt-4o/audio/translations"
AUDIO = ("a.wav", b"RIFF\x24\x00\x00\x00WAVEfmt ")


def verbose(seek: Any, tokens: list[Any]) -> dict[str, Any]:
    return {
        "task": "transcribe",
        "language": "english",
        "duration": 2.5,
        "text": "Hello there.",
        "segments": [
            {
                "id": 0,
                "seek": seek,
                "start": 0.0,
                "end": 2.5,
                "text": " Hello there.",
                "tokens": tokens,
                "temperature": 0.0,
                "avg_logprob": -0.25,
                "compression_ratio": 0.8,
                "no_speech_prob": 0.01,
            }
        ],
    }


TOKENS = [50364, 2425, 456, 13, 50489]


def _check_integer_segment(result: Any, seek: int) -> None:
    assert isinstance(result, AudioVerboseResponse)
    assert result.segments is not None
    segment = result.segments[0]
    assert segment.tokens == TOKENS
    assert all(type(token) is int for token in segment.tokens or ())
    assert segment.seek == seek
    assert type(segment.seek) is int
    assert isinstance(segment.start, float)  # times stay floats
    assert deviations(result) == ()
    assert segment.model_dump()["tokens"] == TOKENS


# -- audio segments: integer seek and tokens -----------------------------------------------------


def test_segment_tokens_and_seek_are_ints(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    mock_api.post(TRANSCRIBE).respond(200, json=verbose(6000, TOKENS))
    result = client.audio.transcriptions.create(file=AUDIO, response_format="verbose_json")
    _check_integer_segment(result, 6000)


async def test_segment_tokens_and_seek_are_ints_async(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    mock_api.post(TRANSLATE).respond(200, json=verbose(0, TOKENS))
    result = await async_client.audio.translations.create(
        file=AUDIO, response_format="verbose_json"
    )
    _check_integer_segment(result, 0)


def test_float_valued_integers_come_back_as_ints(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    # 50364.0 is an integer by JSON Schema's definition (no fractional part): no deviation.
    mock_api.post(TRANSCRIBE).respond(200, json=verbose(6000.0, [float(t) for t in TOKENS]))
    result = client.audio.transcriptions.create(file=AUDIO, response_format="verbose_json")
    _check_integer_segment(result, 6000)


async def test_float_valued_integers_come_back_as_ints_async(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    mock_api.post(TRANSCRIBE).respond(200, json=verbose(6000.0, [50364.0, *TOKENS[1:]]))
    result = await async_client.audio.transcriptions.create(
        file=AUDIO, response_format="verbose_json"
    )
    _check_integer_segment(result, 6000)


def test_a_fractional_token_is_a_deviation_kept_raw(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    mock_api.post(TRANSCRIBE).respond(200, json=verbose(6000, [50364, 2425.5]))
    result = client.audio.transcriptions.create(file=AUDIO, response_format="verbose_json")
    assert isinstance(result, AudioVerboseResponse)
    assert result.segments is not None
    assert result.segments[0].tokens == [50364, 2425.5]
    assert type(result.segments[0].tokens[0]) is int
    (deviation,) = deviations(result)
    assert deviation.location == "segments.0.tokens.1"
    assert deviation.raw == 2425.5


# -- run steps carry usage -----------------------------------------------------------------------

STEPS = "/threads/thread_abc123/runs/run_abc123/steps"


def _upstream_step() -> dict[str, Any]:
    # The upstream Get_Run_Step example: usage, and no metadata.
    body = run_step_body()
    del body["metadata"]
    return body


def _check_step(step: RunStepObject) -> None:
    assert isinstance(step.usage, RunStepCompletionUsage)
    assert (step.usage.prompt_tokens, step.usage.completion_tokens) == (123, 456)
    assert step.usage.total_tokens == 579
    assert step.metadata is None
    assert "usage" not in (step.model_extra or {})
    assert deviations(step) == ()


def test_run_steps_have_typed_usage(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    mock_api.get(f"{STEPS}/step_abc123").respond(200, json=_upstream_step())
    mock_api.get(STEPS).respond(200, json=listing([_upstream_step()], has_more=False))

    _check_step(
        client.threads.runs.steps.retrieve(
            "step_abc123", thread_id="thread_abc123", run_id="run_abc123"
        )
    )
    (listed,) = client.threads.runs.steps.list("run_abc123", thread_id="thread_abc123")
    _check_step(listed)


async def test_run_steps_have_typed_usage_async(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    mock_api.get(f"{STEPS}/step_abc123").respond(200, json=_upstream_step())
    step = await async_client.threads.runs.steps.retrieve(
        "step_abc123", thread_id="thread_abc123", run_id="run_abc123"
    )
    _check_step(step)


def test_a_step_in_progress_has_null_usage(client: AzureOpenAI, mock_api: respx.MockRouter) -> None:
    mock_api.get(f"{STEPS}/s").respond(200, json=stream_step(id="s"))
    step = client.threads.runs.steps.retrieve("s", thread_id="thread_abc123", run_id="run_abc123")
    assert step.status == "in_progress"
    assert step.usage is None
    assert deviations(step) == ()


def test_streamed_step_events_carry_typed_usage() -> None:
    events = [
        ("thread.run.step.created", stream_step()),
        (
            "thread.run.step.completed",
            stream_step(status="completed", usage=_upstream_step()["usage"]),
        ),
        ("thread.run.completed", run("completed")),
    ]
    created, completed, _ = list(AssistantStream(sse_response(sse_body(events))))
    assert isinstance(created.data, RunStepObject)
    assert created.data.usage is None
    assert isinstance(completed.data, RunStepObject)
    assert isinstance(completed.data.usage, RunStepCompletionUsage)
    assert completed.data.usage.total_tokens == 579


# -- the run of the upstream Get_Run example ------------------------------------------------------

GET_RUN = {
    "id": "run_HsO8tYM4K5AAMAHgK0J3om8Q",
    "object": "thread.run",
    "created_at": 1707303196,
    "assistant_id": "asst_JtTwHk28cIocgFXZPCBxhOzl",
    "thread_id": "thread_eRNwflE3ncDYak1np6MdMHJh",
    "status": "completed",
    "started_at": 1707303197,
    "expires_at": None,
    "cancelled_at": None,
    "failed_at": None,
    "completed_at": 1707303201,
    "last_error": None,
    "model": "gpt-4-1106-preview",
    "instructions": "You are an AI model that empowers every person.",
    "tools": [],
    "file_ids": ["file-abc123"],
    "metadata": {},
}


@pytest.mark.parametrize("flavour", ["sync", "async"])
async def test_get_run_example_parses_without_deviation(
    flavour: str, mock_api: respx.MockRouter, client: AzureOpenAI, async_client: AsyncAzureOpenAI
) -> None:
    path = f"/threads/{GET_RUN['thread_id']}/runs/{GET_RUN['id']}"
    mock_api.get(path).respond(200, json=copy.deepcopy(GET_RUN))
    args = (GET_RUN["id"],)
    kwargs = {"thread_id": GET_RUN["thread_id"]}
    if flavour == "sync":
        result = client.threads.runs.retrieve(*args, **kwargs)
    else:
        result = await async_client.threads.runs.retrieve(*args, **kwargs)
    assert isinstance(result, RunObject)
    assert result.file_ids == ["file-abc123"]
    assert result.usage is None
    assert result.response_format is None
    assert deviations(result) == ()


def test_a_run_without_usage_is_no_longer_a_missing_field(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    body = run("in_progress")
    body.pop("usage", None)
    body.pop("response_format", None)
    mock_api.get("/threads/t/runs/r").respond(200, json=body)
    result = client.threads.runs.retrieve("r", thread_id="t")
    assert result.usage is None
    assert all(d.raw is not MISSING for d in deviations(result))
