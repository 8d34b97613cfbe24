"""The method descriptor: bound once per resource, the builder's signature and docstring kept."""

from __future__ import annotations

import inspect

import pytest

from azure_oai_preview import AsyncAzureOpenAI, AzureOpenAI
from azure_oai_preview._resource import (
    Method,
    async_raw_view,
    async_view,
    overloaded,
    raw_view,
    sync_view,
)
from azure_oai_preview.resources.chat import ChatCompletions
from azure_oai_preview.resources.runs import Runs

ENDPOINT = "https://example-resource.openai.azure.com"


def test_a_method_is_bound_once_per_resource() -> None:
    client = AzureOpenAI(ENDPOINT, api_key="k")
    first = client.threads.runs.retrieve
    assert client.threads.runs.retrieve is first
    assert "retrieve" in vars(client.threads.runs), "cached on the instance"
    raw = client.with_raw_response.threads.runs.retrieve
    assert raw is not first
    other = AzureOpenAI(ENDPOINT, api_key="k").threads.runs.retrieve
    assert other is not first


def test_class_access_gives_the_descriptor() -> None:
    descriptor = Runs.create
    assert isinstance(descriptor, Method)
    assert descriptor.name == "create"
    assert "Create_Run" in (descriptor.__doc__ or "")
    assert repr(Runs.poll) == "<method poll (poll)>"


def test_bound_methods_look_like_methods() -> None:
    client = AzureOpenAI(ENDPOINT, api_key="k")
    create = client.chat.completions.create
    assert create.__name__ == "create"
    assert create.__qualname__ == "ChatCompletions.create"
    assert "ChatCompletions_Create" in (create.__doc__ or "")
    parameters = inspect.signature(create).parameters
    assert "self" not in parameters
    assert list(parameters)[:2] == ["deployment", "stream"]


async def test_async_methods_are_coroutine_functions() -> None:
    async with AsyncAzureOpenAI(ENDPOINT, api_key="k") as client:
        assert inspect.iscoroutinefunction(client.threads.retrieve)
        assert inspect.iscoroutinefunction(client.threads.runs.create_and_poll)
        assert not inspect.iscoroutinefunction(client.threads.runs.stream), (
            "async runs.stream returns a manager usable with `async with` or `await`"
        )
        assert inspect.iscoroutinefunction(client.with_raw_response.threads.runs.stream)
    assert not inspect.iscoroutinefunction(AzureOpenAI(ENDPOINT, api_key="k").threads.retrieve)


def test_overloaded_takes_the_four_views_of_one_builder() -> None:
    build = ChatCompletions._create
    views = (sync_view(build), async_view(build), raw_view(build), async_raw_view(build))
    assert overloaded(*views).builder is build
    with pytest.raises(TypeError, match="four views of one builder"):
        overloaded(
            sync_view(build), async_view(build), raw_view(Runs._create), async_raw_view(build)
        )
