"""Requests are checked strictly before anything is sent; errors name field paths, never values."""

from __future__ import annotations

import copy
import logging
from typing import Any

import pytest
import respx
from _support import USER_MESSAGES, chat_completion, request_json

from azure_oai_preview import AsyncAzureOpenAI, AzureOpenAI, InvalidRequestError

CHAT_PATH = "/deployments/gpt-4o/chat/completions"
SECRET = "sk-LIVE-7d9f2c41e0b84aa9-search-admin-key"


@pytest.fixture
def chat_route(mock_api: respx.MockRouter) -> respx.Route:
    return mock_api.post(CHAT_PATH).respond(200, json=chat_completion())


def _search(**parameters: Any) -> list[dict[str, Any]]:
    return [
        {
            "type": "azure_search",
            "parameters": {
                "endpoint": "https://search.example.net",
                "index_name": "docs",
                "authentication": {"type": "api_key", "key": SECRET},
                **parameters,
            },
        }
    ]


def _problems(client: AzureOpenAI, **arguments: Any) -> InvalidRequestError:
    with pytest.raises(InvalidRequestError) as info:
        client.chat.completions.create(**arguments)
    return info.value


def _paths(error: InvalidRequestError) -> list[str]:
    return [path for path, _ in error.problems]


@pytest.mark.parametrize(
    ("arguments", "path"),
    [
        ({"messages": "hello"}, "messages"),
        ({"messages": [{"role": "user", "content": 5}]}, "messages.0.content"),
        ({"messages": [{"role": "user"}]}, "messages.0.content"),
        ({"messages": USER_MESSAGES, "temperature": "hot"}, "temperature"),
        ({"messages": USER_MESSAGES, "n": "two"}, "n"),
        ({"messages": USER_MESSAGES, "logprobs": "maybe"}, "logprobs"),
        ({"messages": USER_MESSAGES, "stop": 5}, "stop"),
        (
            {"messages": USER_MESSAGES, "tools": [{"type": "function", "function": {"name": 1}}]},
            "tools.0.function.name",
        ),
        (
            {"messages": USER_MESSAGES, "data_sources": _search(top_n_documents="five")},
            "data_sources.0.parameters.top_n_documents",
        ),
        (
            {"messages": USER_MESSAGES, "data_sources": _search(in_scope=None)},
            "data_sources.0.parameters.in_scope",
        ),
        ({"messages": USER_MESSAGES, "response_format": {"type": "yaml"}}, "response_format.type"),
    ],
)
def test_wrong_arguments_fail_before_any_request_naming_the_field(
    arguments: dict[str, Any], path: str, client: AzureOpenAI, chat_route: respx.Route
) -> None:
    error = _problems(client, **arguments)
    assert path in _paths(error)
    assert path in str(error)
    assert "ChatCompletions_Create" in str(error)
    assert not chat_route.called


def test_missing_required_argument(client: AzureOpenAI, chat_route: respx.Route) -> None:
    error = _problems(client)
    assert "messages" in _paths(error)
    assert not chat_route.called


def test_unknown_argument_is_named(client: AzureOpenAI, chat_route: respx.Route) -> None:
    error = _problems(client, messages=USER_MESSAGES, temprature=0.5)
    ((path, message),) = error.problems
    assert path == ""
    assert "temprature" in message
    assert "<body>" in str(error)
    assert not chat_route.called


def test_unknown_nested_field_is_named_where_it_is(
    client: AzureOpenAI, chat_route: respx.Route
) -> None:
    error = _problems(client, messages=USER_MESSAGES, data_sources=_search(top_k=3))
    ((path, message),) = error.problems
    assert path == "data_sources.0.parameters"
    assert "top_k" in message
    assert not chat_route.called


def test_unknown_role_is_rejected(client: AzureOpenAI, chat_route: respx.Route) -> None:
    error = _problems(client, messages=[{"role": "usr", "content": "hi"}])
    ((path, message),) = error.problems
    assert path == "messages.0"
    assert "role" in message
    assert not chat_route.called


def test_unknown_enum_value_lists_the_allowed_ones(
    client: AzureOpenAI, chat_route: respx.Route
) -> None:
    error = _problems(client, messages=USER_MESSAGES, data_sources=_search(query_type="fuzzy"))
    ((path, message),) = error.problems
    assert path == "data_sources.0.parameters.query_type"
    for allowed in ("simple", "semantic", "vector"):
        assert allowed in message
    assert not chat_route.called


def test_every_problem_is_reported_at_once(client: AzureOpenAI, chat_route: respx.Route) -> None:
    error = _problems(client, messages=USER_MESSAGES, temperature="hot", n="two")
    assert set(_paths(error)) == {"temperature", "n"}


def test_valid_arguments_are_sent_as_given_and_none_is_left_out(
    client: AzureOpenAI, chat_route: respx.Route
) -> None:
    data_sources = _search(top_n_documents=3, in_scope=True)
    client.chat.completions.create(
        messages=USER_MESSAGES, data_sources=copy.deepcopy(data_sources), temperature=None
    )
    assert request_json(chat_route.calls.last.request) == {
        "messages": USER_MESSAGES,
        "data_sources": data_sources,
    }


@pytest.mark.parametrize(
    "data_sources",
    [
        _search(top_n_documents="five"),  # another field is wrong; the key is fine
        _search(authentication={"type": "api_key", "key": [SECRET]}),
        _search(authentication={"type": "api_key", "key": {"value": SECRET}}),
        _search(authentication={"type": "api_key", "key": SECRET, "extra": SECRET}),
        _search(in_scope=SECRET),
        _search(query_type=SECRET),
        _search(authentication={"type": SECRET, "key": SECRET}),
        _search(
            embedding_dependency={
                "type": "endpoint",
                "endpoint": 5,
                "authentication": {"type": "api_key", "key": SECRET},
            }
        ),
    ],
    ids=[
        "other-field",
        "key-as-list",
        "key-as-object",
        "unknown-sibling",
        "secret-as-bool",
        "secret-as-enum",
        "secret-as-tag",
        "nested-auth",
    ],
)
def test_errors_never_contain_the_offending_or_any_secret_value(
    data_sources: list[dict[str, Any]], client: AzureOpenAI, chat_route: respx.Route
) -> None:
    error = _problems(client, messages=USER_MESSAGES, data_sources=data_sources)

    assert error.problems
    assert all(path.startswith("data_sources.0.parameters") for path in _paths(error))
    for text in (str(error), repr(error), repr(error.problems), repr(error.args)):
        assert SECRET not in text
    # No chained pydantic error (whose text quotes inputs) travels with it either.
    assert error.__cause__ is None
    assert error.__context__ is None or error.__suppress_context__
    assert not chat_route.called


def test_failed_validation_logs_no_secret(
    client: AzureOpenAI, chat_route: respx.Route, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    _problems(client, messages=USER_MESSAGES, data_sources=_search(top_n_documents="five"))
    _problems(
        client,
        messages=USER_MESSAGES,
        data_sources=_search(authentication={"type": "api_key", "key": [SECRET]}),
    )
    assert all(SECRET not in record.getMessage() for record in caplog.records)


def test_request_models_hide_secrets_in_their_repr() -> None:
    from azure_oai_preview.models import OnYourDataApiKeyAuthenticationOptions

    options = OnYourDataApiKeyAuthenticationOptions(type="api_key", key=SECRET)
    assert SECRET not in repr(options)
    assert SECRET not in str(options)


async def test_async_argument_errors_surface_on_await_before_any_request(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    route = mock_api.route().respond(200, json=chat_completion())
    pending = async_client.chat.completions.create(messages=USER_MESSAGES, temperature="hot")
    assert not route.called
    with pytest.raises(InvalidRequestError, match="temperature"):
        await pending
    with pytest.raises(InvalidRequestError, match="input"):
        await async_client.embeddings.create(input={"text": "x"})
    with pytest.raises(InvalidRequestError, match="prompt"):
        await async_client.images.generate(prompt=None)  # type: ignore[arg-type]
    assert not route.called


def test_other_operations_check_their_arguments(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    route = mock_api.route().respond(200, json={})
    with pytest.raises(InvalidRequestError, match="max_tokens"):
        client.completions.create(prompt="x", max_tokens="many")
    with pytest.raises(InvalidRequestError, match="size"):
        client.images.generate(prompt="cat", size="huge")
    with pytest.raises(InvalidRequestError, match="dimensions"):
        client.embeddings.create(input="x", dimensions="wide")
    assert not route.called


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"limit": "many"}, "limit: must be an integer"),
        ({"limit": True}, "limit: must be an integer"),
        ({"order": "sideways"}, "order: must be one of 'asc', 'desc'"),
        ({"after": 5}, "after: must be a string"),
    ],
)
def test_query_parameters_are_checked_before_sending(
    client: AzureOpenAI, mock_api: respx.MockRouter, kwargs: dict[str, object], expected: str
) -> None:
    route = mock_api.get("/assistants")
    with pytest.raises(InvalidRequestError) as caught:
        client.assistants.list(**kwargs)  # type: ignore[arg-type]
    assert expected in str(caught.value)
    assert not route.called
