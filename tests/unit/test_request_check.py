"""The strict request check: no coercion, deliberate normalisations, readable bounded refusals."""

from __future__ import annotations

import enum
import json
import math
from collections.abc import Callable
from typing import Any

import pytest
import respx
from _support import USER_MESSAGES, chat_completion, request_json
from hypothesis import given, settings
from hypothesis import strategies as st

from azure_oai_preview import AsyncAzureOpenAI, AzureOpenAI, InvalidRequestError, models
from azure_oai_preview._strict import validate_request

CHAT_PATH = "/deployments/gpt-4o/chat/completions"
SECRET = "sk-LIVE-9b1f-do-not-echo"


@pytest.fixture
def chat_route(mock_api: respx.MockRouter) -> respx.Route:
    return mock_api.post(CHAT_PATH).respond(200, json=chat_completion())


def _refusal(client: AzureOpenAI, **arguments: Any) -> InvalidRequestError:
    with pytest.raises(InvalidRequestError) as info:
        client.chat.completions.create(**arguments)
    return info.value


def _sent(route: respx.Route) -> dict[str, Any]:
    return request_json(route.calls.last.request)


# -- no coercion ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "expected", "given_kind"),
    [
        ("seed", "1234", "an integer", "a string"),
        ("max_tokens", "300", "an integer", "a string"),
        ("max_tokens", 300.0, "an integer", "a number"),
        ("max_tokens", 300.5, "an integer", "a number"),
        ("temperature", "0", "a number", "a string"),
        ("temperature", True, "a number", "a boolean"),
        ("n", True, "an integer", "a boolean"),
        ("logprobs", 1, "a boolean", "an integer"),
        ("logprobs", "true", "a boolean", "a string"),
        ("user", 42, "a string", "an integer"),
        ("stop", 5, "a string or an array", "an integer"),
    ],
)
def test_wrong_types_are_refused_naming_the_type_expected(
    field: str,
    value: Any,
    expected: str,
    given_kind: str,
    client: AzureOpenAI,
    chat_route: respx.Route,
) -> None:
    error = _refusal(client, messages=USER_MESSAGES, **{field: value})
    assert error.problems == [(field, f"expected {expected}; got {given_kind}")]
    assert f"{field}: expected {expected}; got {given_kind}" in str(error)
    assert not chat_route.called


def test_an_integer_is_a_valid_number_and_is_sent_as_given(
    client: AzureOpenAI, chat_route: respx.Route
) -> None:
    client.chat.completions.create(messages=USER_MESSAGES, temperature=0, top_p=1, seed=7)
    sent = _sent(chat_route)
    assert (sent["temperature"], sent["top_p"], sent["seed"]) == (0, 1, 7)


def test_a_union_names_every_member_type_once(client: AzureOpenAI) -> None:
    error = _refusal(client, messages=[{"role": "user", "content": 5}])
    assert error.problems == [
        ("messages.0.content", "expected a string or an array; got an integer")
    ]


def test_a_value_shaped_like_one_member_is_judged_by_that_member(client: AzureOpenAI) -> None:
    # A list for `content`: the string member's "expected a string" would only mislead.
    error = _refusal(client, messages=[{"role": "user", "content": [{"type": "text", "text": 5}]}])
    assert error.problems == [("messages.0.content.0.text", "expected a string; got an integer")]


def test_enum_or_object_union_lists_the_values(client: AzureOpenAI) -> None:
    error = _refusal(client, messages=USER_MESSAGES, tool_choice=3)
    values = ", ".join(repr(v) for v in models.ChatCompletionToolChoiceOptionEnum.known_values())
    assert error.problems == [
        ("tool_choice", f"expected one of {values} or an object; got an integer")
    ]


def test_missing_tag_is_explained(client: AzureOpenAI) -> None:
    error = _refusal(client, messages=[{"content": "hi"}])
    assert error.problems == [
        ("messages.0", "missing 'role', which says what kind of item this is")
    ]


# -- deliberate normalisations --------------------------------------------------------------------


def test_int_token_ids_are_sent_as_string_keys(
    client: AzureOpenAI, chat_route: respx.Route
) -> None:
    client.chat.completions.create(messages=USER_MESSAGES, logit_bias={9642: 20, "50256": -100})
    assert _sent(chat_route)["logit_bias"] == {"9642": 20, "50256": -100}


@pytest.mark.parametrize("key", [True, 1.5, None, ("a",)])
def test_other_non_string_keys_are_refused(key: Any, client: AzureOpenAI) -> None:
    error = _refusal(client, messages=USER_MESSAGES, logit_bias={key: 1})
    ((path, message),) = error.problems
    assert path == "logit_bias"
    assert "keys must be strings" in message
    assert type(key).__name__ in message


def test_bias_values_are_integers(client: AzureOpenAI) -> None:
    error = _refusal(client, messages=USER_MESSAGES, logit_bias={"1": 0.5})
    assert error.problems == [("logit_bias.1", "expected an integer; got a number")]


class Detail(str, enum.Enum):
    LOW = "low"


class Count(enum.IntEnum):
    TWO = 2


def test_sequences_enums_and_models_are_sent_as_json(
    client: AzureOpenAI, chat_route: respx.Route
) -> None:
    image = models.ChatCompletionImageUrl(url="https://example.com/a.png", detail="high")
    client.chat.completions.create(
        messages=(
            models.ChatCompletionRequestMessageSystem(role="system", content="Be brief."),
            {
                "role": "user",
                "content": (
                    {"type": "image_url", "image_url": image},
                    {"type": "image_url", "image_url": {"url": "data:,", "detail": Detail.LOW}},
                ),
            },
        ),
        stop=("\n", "END"),
        n=Count.TWO,
        response_format={"type": models.ChatCompletionResponseFormat.JSON_OBJECT},
    )
    assert _sent(chat_route) == {
        "messages": [
            {"role": "system", "content": "Be brief."},
            {
                "role": "user",
                "content": [
                    {
                        "type": "image_url",
                        "image_url": {"url": "https://example.com/a.png", "detail": "high"},
                    },
                    {"type": "image_url", "image_url": {"url": "data:,", "detail": "low"}},
                ],
            },
        ],
        "stop": ["\n", "END"],
        "n": 2,
        "response_format": {"type": "json_object"},
    }


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({SECRET}, "a set has no order"),
        (frozenset({SECRET}), "a frozenset has no order"),
        (iter([SECRET]), "pass a list or tuple"),
        ((s for s in [SECRET]), "pass a list or tuple"),
        (SECRET.encode(), "bytes cannot be sent as JSON"),
        (object(), "a object cannot be sent as JSON"),
        (math.nan, "expected a finite number"),
        (math.inf, "expected a finite number"),
    ],
    ids=["set", "frozenset", "iterator", "generator", "bytes", "object", "nan", "inf"],
)
def test_values_json_cannot_carry_are_refused_where_they_are(
    value: Any, expected: str, client: AzureOpenAI, chat_route: respx.Route
) -> None:
    error = _refusal(client, messages=USER_MESSAGES, stop=value)
    ((path, message),) = error.problems  # no second complaint about the same value
    assert path == "stop"
    assert expected in message
    assert SECRET not in str(error)
    assert not chat_route.called


def test_validate_request_keeps_its_signature_and_returns_the_instance() -> None:
    instance = validate_request(
        "ChatCompletions_Create",
        models.CreateChatCompletionRequest,
        {"messages": USER_MESSAGES, "logit_bias": {1: 2}},
    )
    assert isinstance(instance, models.CreateChatCompletionRequest)
    assert json.loads(instance.model_dump_json(exclude_unset=True)) == {
        "messages": USER_MESSAGES,
        "logit_bias": {"1": 2},
    }


def test_binary_fields_take_bytes_and_keep_them() -> None:
    instance = validate_request(
        "Transcriptions_Create",
        models.CreateTranscriptionRequest,
        {"file": b"RIFF", "temperature": 0.5},
    )
    assert instance.file == b"RIFF"
    with pytest.raises(InvalidRequestError) as info:
        validate_request(
            "Transcriptions_Create",
            models.CreateTranscriptionRequest,
            {"file": b"RIFF", "prompt": b"bytes are no text"},
        )
    assert info.value.problems == [("prompt", "bytes cannot be sent as JSON; expected text (str)")]


# -- refusals read well for big inputs ------------------------------------------------------------


def test_one_line_per_kind_of_problem_for_big_inputs(client: AzureOpenAI) -> None:
    messages: list[dict[str, Any]] = [{"role": "user", "content": 5} for _ in range(20_000)]
    messages[7] = {"role": "user", "content": None, "name": 1}
    error = _refusal(client, messages=messages, temperature="hot")

    assert len(error.problems) == 20_001  # the full list is kept as data
    text = str(error)
    assert len(text) < 1_000
    assert text.splitlines() == [
        "invalid arguments for ChatCompletions_Create (20001 problems):",
        "  temperature: expected a number; got a string",
        "  messages.*.content: expected a string or an array; got an integer "
        "(19999 places: messages.0.content, messages.1.content, messages.2.content, ...)",
        "  messages.7.name: expected a string; got an integer",
    ]


def test_unknown_fields_of_many_items_share_a_line(client: AzureOpenAI) -> None:
    messages = [{"role": "user", "content": "hi", "nme": "typo"} for _ in range(5_000)]
    error = _refusal(client, messages=messages)
    assert len(error.problems) == 5_000
    ((kind, *_),) = [str(error).splitlines()[1:]]
    assert kind.startswith("  messages.*: unknown field(s) nme; the spec for ")
    assert kind.endswith("(5000 places: messages.0, messages.1, messages.2, ...)")


def test_the_message_shows_at_most_max_lines_kinds() -> None:
    problems = [(f"field_{i}", "expected an integer; got a string") for i in range(50)]
    problems += [(f"items.{i}", "is required but missing") for i in range(5)]
    error = InvalidRequestError("Op", problems)
    lines = str(error).splitlines()
    assert len(lines) == 1 + InvalidRequestError.MAX_LINES + 1
    assert lines[1] == "  field_0: expected an integer; got a string"
    assert lines[-1] == "  ... and 31 more kinds of problem (35 problems; see .problems)"
    assert error.problems == problems


def test_unknown_field_names_are_bounded_too(client: AzureOpenAI) -> None:
    message = {"role": "user", "content": "hi", **{f"extra_{i:03}": 1 for i in range(500)}}
    error = _refusal(client, messages=[message])
    ((path, text),) = error.problems
    assert path == "messages.0"
    assert "extra_000" in text
    assert "and 490 more" in text
    assert len(text) < 300


# -- properties -----------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    st.one_of(
        st.text(min_size=1),
        st.booleans(),
        st.floats(allow_nan=False, allow_infinity=False).filter(lambda f: not f.is_integer()),
        st.lists(st.integers(), max_size=3),
        st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    )
)
def test_a_non_integer_seed_is_always_refused_without_its_value(value: Any) -> None:
    with pytest.raises(InvalidRequestError) as info:
        validate_request(
            "ChatCompletions_Create",
            models.CreateChatCompletionRequest,
            {"messages": USER_MESSAGES, "seed": value},
        )
    ((path, message),) = info.value.problems
    assert path == "seed"
    assert message.startswith("expected an integer; got ")
    if isinstance(value, str) and len(value) > 3:
        assert value not in str(info.value)


_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=20)
_MESSAGE = st.one_of(
    st.fixed_dictionaries({"role": st.just("user"), "content": _TEXT}),
    st.fixed_dictionaries({"role": st.just("system"), "content": _TEXT}, optional={"name": _TEXT}),
    st.fixed_dictionaries(
        {"role": st.just("tool"), "tool_call_id": _TEXT, "content": st.none() | _TEXT}
    ),
)


@settings(max_examples=60, deadline=None)
@given(
    messages=st.lists(_MESSAGE, min_size=1, max_size=5),
    bias=st.dictionaries(st.integers(0, 200_000), st.integers(-100, 100), max_size=4),
    seed=st.none() | st.integers(-(2**63), 2**63 - 1),
)
def test_valid_arguments_are_sent_exactly_as_json(
    messages: list[dict[str, Any]], bias: dict[int, int], seed: int | None
) -> None:
    data: dict[str, Any] = {"messages": tuple(messages), "logit_bias": bias}
    if seed is not None:
        data["seed"] = seed
    instance = validate_request("ChatCompletions_Create", models.CreateChatCompletionRequest, data)
    expected = {**data, "messages": messages, "logit_bias": {str(k): v for k, v in bias.items()}}
    assert json.loads(instance.model_dump_json(exclude_unset=True)) == expected


async def test_async_refusals_are_the_same(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    route = mock_api.post(CHAT_PATH).respond(200, json=chat_completion())
    with pytest.raises(InvalidRequestError) as info:
        await async_client.chat.completions.create(messages=USER_MESSAGES, seed="1234")
    assert info.value.problems == [("seed", "expected an integer; got a string")]
    await async_client.chat.completions.create(messages=USER_MESSAGES, logit_bias={9642: 20})
    assert request_json(route.calls.last.request)["logit_bias"] == {"9642": 20}


def test_the_flat_image_part_of_the_upstream_schema_is_refused(client: AzureOpenAI) -> None:
    flat = {"type": "image_url", "url": "https://example.com/a.png", "detail": "low"}
    error = _refusal(client, messages=[{"role": "user", "content": [flat]}])
    assert error.problems == [("messages.0.content.0.image_url", "is required but missing")]


def test_base64_data_urls_are_sent_as_given(client: AzureOpenAI, chat_route: respx.Route) -> None:
    url = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg=="
    part = {"type": "image_url", "image_url": {"url": url, "detail": "low"}}
    client.chat.completions.create(messages=[{"role": "user", "content": [part]}])
    assert _sent(chat_route)["messages"][0]["content"] == [part]


def test_an_assistant_function_tool_needs_only_a_name(client: AzureOpenAI) -> None:
    # The spec's functionObject (and OpenAI's assistants API) require only `name`; the
    # assistant's copy of it required description and parameters too (transformed).
    tool = {"type": "function", "function": {"name": "now"}}
    instance = validate_request(
        "Create_Assistant", models.CreateAssistantRequest, {"model": "gpt-4o", "tools": [tool]}
    )
    assert instance.model_dump(mode="json", exclude_unset=True)["tools"] == [tool]
    with pytest.raises(InvalidRequestError) as raised:
        validate_request(
            "Create_Assistant",
            models.CreateAssistantRequest,
            {"model": "gpt-4o", "tools": [{"type": "function", "function": {}}]},
        )
    assert [path for path, _ in raised.value.problems] == ["tools.0.function.name"]


# -- the stream argument --------------------------------------------------------------------------

NOT_BOOLEANS = [("false", "a string"), ("true", "a string"), (1, "an integer"), (0, "an integer")]


@pytest.mark.parametrize(("value", "given_kind"), NOT_BOOLEANS)
def test_stream_must_be_a_boolean(
    value: Any, given_kind: str, client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    # It used to be tested for truth: stream="false" streamed, stream=0 did not.
    routes = [
        mock_api.post(CHAT_PATH).respond(200, json=chat_completion()),
        mock_api.post("/deployments/gpt-4o/completions").respond(200, json={}),
        mock_api.post("/threads/thread_1/runs").respond(200, json={}),
        mock_api.post("/threads/runs").respond(200, json={}),
        mock_api.post("/threads/thread_1/runs/run_1/submit_tool_outputs").respond(200, json={}),
    ]
    calls: list[tuple[str, Callable[[], Any]]] = [
        (
            "ChatCompletions_Create",
            lambda: client.chat.completions.create(messages=USER_MESSAGES, stream=value),
        ),
        ("Completions_Create", lambda: client.completions.create(prompt="hi", stream=value)),
        (
            "Create_Run",
            lambda: client.threads.runs.create("thread_1", assistant_id="a", stream=value),
        ),
        (
            "Create_Thread_And_Run",
            lambda: client.threads.create_and_run(assistant_id="a", stream=value),
        ),
        (
            "Submit_Tool_Outputs_To_Run",
            lambda: client.threads.runs.submit_tool_outputs(
                "run_1", thread_id="thread_1", tool_outputs=[], stream=value
            ),
        ),
    ]
    for operation, call in calls:
        with pytest.raises(InvalidRequestError) as info:
            call()
        assert info.value.operation == operation
        assert info.value.problems == [("stream", f"expected a boolean; got {given_kind}")]
    assert not any(route.called for route in routes)


def test_stream_false_and_none_do_not_stream(client: AzureOpenAI, chat_route: respx.Route) -> None:
    for value in (False, None):
        reply = client.chat.completions.create(messages=USER_MESSAGES, stream=value)
        assert reply.choices[0].message.content == "Hello!"
        assert "stream" not in _sent(chat_route)


async def test_async_stream_must_be_a_boolean(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    route = mock_api.post(CHAT_PATH).respond(200, json=chat_completion())
    with pytest.raises(InvalidRequestError) as info:
        await async_client.chat.completions.create(messages=USER_MESSAGES, stream="false")  # pyright: ignore[reportArgumentType, reportCallIssue]
    assert info.value.problems == [("stream", "expected a boolean; got a string")]
    with pytest.raises(InvalidRequestError, match="stream: expected a boolean"):
        await async_client.threads.runs.create("thread_1", assistant_id="a", stream=1)  # pyright: ignore[reportArgumentType, reportCallIssue]
    assert not route.called
