"""Legacy completions (Completions_Create) and embeddings (embeddings_create).

Embeddings are deterministic and meaningful enough to test retrieval: each word gets a
fixed pseudo-random direction (seeded by the word), a text's vector is the normalised sum
of its words' directions. The same text always gets the same vector, texts sharing words
are close (cosine similarity), unrelated texts are nearly orthogonal.
"""

from __future__ import annotations

import hashlib
import math
import random
import re
from functools import lru_cache
from typing import Any, cast

from ._behaviour import count_tokens, split_text
from ._errors import bad_request
from ._generation import Generation, check_prompt, generate, run_failure_error
from ._script import RunFailure, Turn
from ._sse import data_stream
from ._wire import EmulatedResponse, json_response
from ._world import Call, World

__all__ = ["HANDLERS", "embed"]

_DEFAULT_MAX_TOKENS = 16  # the service's default for legacy completions


def _prompts(body: dict[str, Any]) -> list[str]:
    prompt = body.get("prompt", "")
    if isinstance(prompt, list):
        return [str(item) for item in cast("list[Any]", prompt)] or [""]
    return [str(prompt)]


def create_completion(world: World, call: Call) -> EmulatedResponse:
    assert call.deployment is not None
    body = call.body
    prompts = _prompts(body)
    filter_results: list[dict[str, Any]] = []
    for index, prompt in enumerate(prompts):
        result = check_prompt(world, prompt)[0]
        filter_results.append({**result, "prompt_index": index})
    max_tokens = body.get("max_tokens")
    max_tokens = _DEFAULT_MAX_TOKENS if max_tokens is None else max_tokens
    choices: list[tuple[int, Generation]] = []
    for prompt in prompts:
        turn = Turn(
            kind="completion",
            deployment=call.deployment.name,
            messages=({"role": "user", "content": prompt},),
            request=body,
        )
        for _ in range(int(body.get("n") or 1)):
            generation = generate(world, turn, max_tokens=max_tokens)
            if isinstance(generation, RunFailure):
                raise run_failure_error(generation)
            choices.append((len(choices), generation))
    prompt_tokens = sum(count_tokens(p) for p in prompts)
    completion_tokens = sum(g.completion_tokens for _, g in choices)
    head: dict[str, Any] = {
        "id": world.ids.new("cmpl-", 29),
        "object": "text_completion",
        "created": world.clock.now(),
        "model": call.deployment.response_model,
    }
    echo = bool(body.get("echo"))

    def text_of(index: int, generation: Generation) -> str:
        prefix = prompts[index // int(body.get("n") or 1)] if echo else ""
        return prefix + (generation.text or "")

    if call.stream:
        chunks: list[dict[str, Any]] = [
            {
                "id": "",
                "object": "",
                "created": 0,
                "model": "",
                "prompt_filter_results": filter_results,
                "choices": [],
            }
        ]
        for index, generation in choices:
            for piece in split_text(text_of(index, generation)):
                choice = _choice(index, piece, None, generation.filter_results)
                chunks.append({**head, "choices": [choice]})
            chunks.append(
                {
                    **head,
                    "choices": [
                        _choice(index, "", generation.finish_reason, generation.filter_results)
                    ],
                }
            )
        return data_stream(chunks)
    return json_response(
        200,
        {
            **head,
            "prompt_filter_results": filter_results,
            "choices": [
                _choice(index, text_of(index, g), g.finish_reason, g.filter_results)
                for index, g in choices
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        },
    )


def _choice(index: int, text: str, finish: str | None, results: dict[str, Any]) -> dict[str, Any]:
    return {
        "text": text,
        "index": index,
        "logprobs": None,
        "finish_reason": finish,
        "content_filter_results": results,
    }


_WORD = re.compile(r"\w+")


@lru_cache(maxsize=4096)
def _direction(word: str, dimensions: int) -> tuple[float, ...]:
    seed = int.from_bytes(hashlib.sha256(word.encode()).digest()[:8], "big")
    rng = random.Random(seed)
    return tuple(rng.gauss(0.0, 1.0) for _ in range(dimensions))


def embed(text: str, dimensions: int) -> list[float]:
    """The emulator's embedding of ``text``: unit length, ``dimensions`` floats."""
    words = [w.lower() for w in _WORD.findall(text)] or [text]
    total = [0.0] * dimensions
    for word in words:
        for i, value in enumerate(_direction(word, dimensions)):
            total[i] += value
    norm = math.sqrt(sum(v * v for v in total)) or 1.0
    return [round(v / norm, 7) for v in total]


def create_embeddings(world: World, call: Call) -> EmulatedResponse:
    assert call.deployment is not None
    body = call.body
    raw = body.get("input")
    inputs = (
        [str(item) for item in cast("list[Any]", raw)]
        if isinstance(raw, list)
        else [str(raw or "")]
    )
    dimensions = call.deployment.dimensions
    requested = body.get("dimensions")
    if requested is not None:
        if not call.deployment.supports_dimensions:
            raise bad_request(
                "This model does not support specifying dimensions.", param="dimensions"
            )
        if not 1 <= requested <= call.deployment.dimensions:
            raise bad_request(
                f"Invalid 'dimensions': expected 1 to {call.deployment.dimensions}.",
                param="dimensions",
            )
        dimensions = requested
    tokens = sum(count_tokens(text) for text in inputs)
    return json_response(
        200,
        {
            "object": "list",
            "data": [
                {"object": "embedding", "index": index, "embedding": embed(text, dimensions)}
                for index, text in enumerate(inputs)
            ],
            "model": call.deployment.response_model,
            "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
        },
    )


HANDLERS = {"Completions_Create": create_completion, "embeddings_create": create_embeddings}
