"""Constructor options: openai-python's spellings, static tokens, scopes, api-version, logging."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx
from _support import (
    API_VERSION,
    USER_MESSAGES,
    FakeAsyncCredential,
    FakeCredential,
    chat_completion,
)
from conftest import API_KEY, ENDPOINT

from azure_oai_preview import APIVersionWarning, AsyncAzureOpenAI, AzureOpenAI
from azure_oai_preview._auth import StaticTokenAuth

CHAT_PATH = "/deployments/gpt-4o/chat/completions"
AD_TOKEN = "eyJ0eXAi-static-secret-token"
OTHER_VERSION = "2024-02-15-preview"
ENVIRONMENT = (
    "AZURE_OPENAI_ENDPOINT",
    "AZURE_OPENAI_API_KEY",
    "AZURE_OPENAI_AD_TOKEN",
    "OPENAI_API_VERSION",
    "AZURE_OAI_PREVIEW_LOG",
)


@pytest.fixture(autouse=True)
def no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def warned_versions(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """A fresh record of the versions warned about, as in a new process."""
    fresh: set[str] = set()
    monkeypatch.setattr("azure_oai_preview._settings._warned_api_versions", fresh)
    return fresh


@pytest.fixture
def chat_route(mock_api: respx.MockRouter) -> respx.Route:
    return mock_api.post(CHAT_PATH).respond(200, json=chat_completion())


# -- openai-python's spellings -------------------------------------------------------------------


@pytest.mark.parametrize("client_type", [AzureOpenAI, AsyncAzureOpenAI])
def test_azure_endpoint_and_azure_deployment_are_accepted(client_type: type[Any]) -> None:
    client = client_type(azure_endpoint=ENDPOINT, azure_deployment="gpt-4o", api_key=API_KEY)
    assert (client.endpoint, client.deployment) == (ENDPOINT, "gpt-4o")


def test_azure_endpoint_is_used_for_requests(chat_route: respx.Route) -> None:
    with AzureOpenAI(azure_endpoint=ENDPOINT + "/openai/", api_key=API_KEY) as client:
        client.chat.completions.create(deployment="gpt-4o", messages=USER_MESSAGES)
    assert chat_route.called


def test_both_spellings_may_be_given_when_they_agree() -> None:
    client = AzureOpenAI(
        ENDPOINT,
        azure_endpoint=ENDPOINT + "/openai",  # the same endpoint, spelt differently
        deployment="gpt-4o",
        azure_deployment="gpt-4o",
        api_key=API_KEY,
    )
    assert (client.endpoint, client.deployment) == (ENDPOINT, "gpt-4o")


@pytest.mark.parametrize(
    ("options", "names"),
    [
        (
            {"endpoint": ENDPOINT, "azure_endpoint": "https://other.openai.azure.com"},
            "endpoint= and azure_endpoint=",
        ),
        (
            {"endpoint": ENDPOINT, "deployment": "gpt-4o", "azure_deployment": "gpt-35"},
            "deployment= and azure_deployment=",
        ),
    ],
)
def test_disagreeing_spellings_are_an_error(options: dict[str, Any], names: str) -> None:
    with pytest.raises(ValueError, match=names) as info:
        AzureOpenAI(api_key=API_KEY, **options)
    assert "other.openai" not in str(info.value)
    assert "gpt-35" not in str(info.value)


def test_the_environment_endpoint_fills_in_for_either_spelling(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", "https://from-env.openai.azure.com")
    assert AzureOpenAI(api_key=API_KEY).endpoint == "https://from-env.openai.azure.com"
    assert AzureOpenAI(azure_endpoint=ENDPOINT, api_key=API_KEY).endpoint == ENDPOINT


# -- azure_ad_token ------------------------------------------------------------------------------


def test_a_static_token_is_sent_as_a_bearer_token(chat_route: respx.Route) -> None:
    with AzureOpenAI(ENDPOINT, azure_ad_token=AD_TOKEN, deployment="gpt-4o") as client:
        client.chat.completions.create(messages=USER_MESSAGES)
        client.chat.completions.create(messages=USER_MESSAGES)
        assert isinstance(client._core.auth, StaticTokenAuth)
    headers = [call.request.headers for call in chat_route.calls]
    assert [h["authorization"] for h in headers] == [f"Bearer {AD_TOKEN}"] * 2
    assert all("api-key" not in h for h in headers)


async def test_a_static_token_works_for_the_async_client(chat_route: respx.Route) -> None:
    async with AsyncAzureOpenAI(ENDPOINT, azure_ad_token=AD_TOKEN, deployment="gpt-4o") as client:
        await client.chat.completions.create(messages=USER_MESSAGES)
    assert chat_route.calls.last.request.headers["authorization"] == f"Bearer {AD_TOKEN}"


def test_the_environment_token_is_used_when_no_auth_is_given(
    monkeypatch: pytest.MonkeyPatch, chat_route: respx.Route
) -> None:
    monkeypatch.setenv("AZURE_OPENAI_AD_TOKEN", AD_TOKEN)
    with AzureOpenAI(ENDPOINT, deployment="gpt-4o") as client:
        client.chat.completions.create(messages=USER_MESSAGES)
    assert chat_route.calls.last.request.headers["authorization"] == f"Bearer {AD_TOKEN}"


def test_an_explicit_argument_wins_over_both_environment_variables(
    monkeypatch: pytest.MonkeyPatch, chat_route: respx.Route
) -> None:
    monkeypatch.setenv("AZURE_OPENAI_AD_TOKEN", "env-token")
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", "env-key")
    with AzureOpenAI(ENDPOINT, credential=FakeCredential(), deployment="gpt-4o") as client:
        client.chat.completions.create(messages=USER_MESSAGES)
    headers = chat_route.calls.last.request.headers
    assert headers["authorization"] == "Bearer eyJ0eXAi-secret-token-1"
    assert "api-key" not in headers


@pytest.mark.parametrize("client_type", [AzureOpenAI, AsyncAzureOpenAI])
def test_both_environment_credentials_without_an_argument_are_an_error(
    monkeypatch: pytest.MonkeyPatch, client_type: type[Any]
) -> None:
    monkeypatch.setenv("AZURE_OPENAI_AD_TOKEN", AD_TOKEN)
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", API_KEY)
    with pytest.raises(ValueError, match="AZURE_OPENAI_API_KEY and AZURE_OPENAI_AD_TOKEN") as info:
        client_type(ENDPOINT)
    assert AD_TOKEN not in str(info.value)
    assert API_KEY not in str(info.value)


@pytest.mark.parametrize(
    ("given", "named"),
    [
        ({"api_key": API_KEY}, "api_key and azure_ad_token"),
        ({"credential": FakeCredential()}, "credential and azure_ad_token"),
        ({"azure_ad_token_provider": lambda: "t"}, "azure_ad_token and azure_ad_token_provider"),
    ],
)
def test_a_static_token_and_another_credential_are_an_error(
    given: dict[str, Any], named: str
) -> None:
    with pytest.raises(ValueError, match="exactly one") as info:
        AzureOpenAI(ENDPOINT, azure_ad_token=AD_TOKEN, **given)
    assert named in str(info.value)
    assert AD_TOKEN not in str(info.value)


@pytest.mark.parametrize(("token", "problem"), [("", "empty"), ("Bearer abc", "prefix")])
def test_a_malformed_static_token_is_an_error(token: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem) as info:
        AzureOpenAI(ENDPOINT, azure_ad_token=token)
    assert "abc" not in str(info.value)


def test_no_auth_names_every_option() -> None:
    with pytest.raises(ValueError, match="No authentication") as info:
        AzureOpenAI(ENDPOINT)
    for option in ("azure_ad_token=", "AZURE_OPENAI_AD_TOKEN", "AZURE_OPENAI_API_KEY"):
        assert option in str(info.value)


# -- credential_scopes ---------------------------------------------------------------------------

GOVERNMENT_SCOPE = "https://cognitiveservices.azure.us/.default"


@pytest.mark.parametrize("scopes", [GOVERNMENT_SCOPE, [GOVERNMENT_SCOPE]])
def test_credential_scopes_for_a_sovereign_cloud(scopes: Any, chat_route: respx.Route) -> None:
    credential = FakeCredential()
    with AzureOpenAI(
        ENDPOINT, credential=credential, credential_scopes=scopes, deployment="gpt-4o"
    ) as client:
        client.chat.completions.create(messages=USER_MESSAGES)
        assert GOVERNMENT_SCOPE in repr(client)
    assert credential.scopes == [(GOVERNMENT_SCOPE,)]


async def test_credential_scopes_for_the_async_client(chat_route: respx.Route) -> None:
    credential = FakeAsyncCredential(delay=0)
    async with AsyncAzureOpenAI(
        ENDPOINT, credential=credential, credential_scopes=["a/.default", "b/.default"]
    ) as client:
        await client.chat.completions.create(deployment="gpt-4o", messages=USER_MESSAGES)
    assert credential.scopes == [("a/.default", "b/.default")]


@pytest.mark.parametrize(
    "auth",
    [{"api_key": API_KEY}, {"azure_ad_token": AD_TOKEN}, {"azure_ad_token_provider": lambda: "t"}],
)
def test_credential_scopes_need_a_credential(auth: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="credential_scopes= applies to credential= only"):
        AzureOpenAI(ENDPOINT, credential_scopes=[GOVERNMENT_SCOPE], **auth)


@pytest.mark.parametrize("scopes", [[], [""], ["  "], [42]])
def test_empty_or_non_string_scopes_are_an_error(scopes: Any) -> None:
    with pytest.raises(ValueError, match="credential_scopes"):
        AzureOpenAI(ENDPOINT, credential=FakeCredential(), credential_scopes=scopes)


# -- api-version ---------------------------------------------------------------------------------


def test_an_api_version_from_the_environment_is_warned_about_once(
    monkeypatch: pytest.MonkeyPatch, warned_versions: set[str]
) -> None:
    monkeypatch.setenv("OPENAI_API_VERSION", OTHER_VERSION)
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")  # so "once" is the client's doing, not the filter's
        client = AzureOpenAI(ENDPOINT, api_key=API_KEY)
        AzureOpenAI(ENDPOINT, api_key=API_KEY)
        AsyncAzureOpenAI(ENDPOINT, api_key=API_KEY)
    assert client.api_version == OTHER_VERSION
    assert [r.category for r in records] == [APIVersionWarning]
    message = str(records[0].message)
    for part in (OTHER_VERSION, API_VERSION, "OPENAI_API_VERSION", "extra_body", "filterwarnings"):
        assert part in message
    assert records[0].filename == __file__  # points at the caller's line


def test_an_explicit_other_api_version_is_warned_about_too(warned_versions: set[str]) -> None:
    with pytest.warns(APIVersionWarning, match=r"from api_version="):
        AzureOpenAI(ENDPOINT, api_key=API_KEY, api_version=OTHER_VERSION)


def test_with_options_warns_about_another_api_version(warned_versions: set[str]) -> None:
    client = AzureOpenAI(ENDPOINT, api_key=API_KEY)
    with pytest.warns(APIVersionWarning, match="with_options") as records:
        client.with_options(api_version=OTHER_VERSION)
    assert records[0].filename == __file__


def test_the_models_api_version_is_not_warned_about(
    monkeypatch: pytest.MonkeyPatch, warned_versions: set[str]
) -> None:
    monkeypatch.setenv("OPENAI_API_VERSION", API_VERSION)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        AzureOpenAI(ENDPOINT, api_key=API_KEY)
        AzureOpenAI(ENDPOINT, api_key=API_KEY, api_version=API_VERSION)
    assert warned_versions == set()


def test_the_warning_can_be_silenced_by_category(warned_versions: set[str]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.filterwarnings("ignore", category=APIVersionWarning)
        AzureOpenAI(ENDPOINT, api_key=API_KEY, api_version=OTHER_VERSION)


# -- AZURE_OAI_PREVIEW_LOG -----------------------------------------------------------------------


@pytest.fixture
def package_logger() -> Iterator[logging.Logger]:
    """The package logger, restored to how it was after the test."""
    logger = logging.getLogger("azure_oai_preview")
    level, handlers = logger.level, list(logger.handlers)
    yield logger
    logger.setLevel(level)
    logger.handlers[:] = handlers


@pytest.mark.parametrize(("value", "level"), [("debug", logging.DEBUG), (" INFO ", logging.INFO)])
def test_the_log_switch_sets_the_level_and_writes_to_stderr(
    monkeypatch: pytest.MonkeyPatch,
    package_logger: logging.Logger,
    capsys: pytest.CaptureFixture[str],
    chat_route: respx.Route,
    value: str,
    level: int,
) -> None:
    monkeypatch.setenv("AZURE_OAI_PREVIEW_LOG", value)
    with AzureOpenAI(ENDPOINT, api_key=API_KEY, deployment="gpt-4o", max_retries=0) as client:
        AzureOpenAI(ENDPOINT, api_key=API_KEY)  # a second client adds no second handler
        client.chat.completions.create(messages=USER_MESSAGES)
        package_logger.info("an info line")
    assert package_logger.level == level
    assert len(package_logger.handlers) == 1
    err = capsys.readouterr().err
    assert "an info line" in err
    assert ("/openai/deployments/gpt-4o/chat/completions" in err) == (level == logging.DEBUG)
    assert API_KEY not in err


def test_an_unknown_log_level_is_ignored_with_a_warning(
    monkeypatch: pytest.MonkeyPatch, package_logger: logging.Logger
) -> None:
    monkeypatch.setenv("AZURE_OAI_PREVIEW_LOG", "verbose")
    level, handlers = package_logger.level, list(package_logger.handlers)
    with pytest.warns(RuntimeWarning, match="AZURE_OAI_PREVIEW_LOG"):
        AzureOpenAI(ENDPOINT, api_key=API_KEY)
    assert (package_logger.level, package_logger.handlers) == (level, handlers)


def test_without_the_switch_no_handler_is_added(package_logger: logging.Logger) -> None:
    handlers = list(package_logger.handlers)
    AzureOpenAI(ENDPOINT, api_key=API_KEY)
    assert package_logger.handlers == handlers


# -- settings refused when the client is built, not at its first request ------------------------


@pytest.mark.parametrize("timeout", ["5", -1, True, [5]])
def test_a_timeout_that_is_not_seconds_is_refused(timeout: Any) -> None:
    with pytest.raises(ValueError, match="timeout must be seconds"):
        AzureOpenAI(endpoint=ENDPOINT, api_key=API_KEY, timeout=timeout)


@pytest.mark.parametrize("max_retries", ["3", 1.5, True])
def test_max_retries_that_is_not_an_int_is_refused(max_retries: Any) -> None:
    with pytest.raises(TypeError, match="max_retries must be an int"):
        AzureOpenAI(endpoint=ENDPOINT, api_key=API_KEY, max_retries=max_retries)


def test_the_http_client_must_match_the_client_flavour() -> None:
    with pytest.raises(TypeError, match=r"httpx\.AsyncClient"):
        AsyncAzureOpenAI(endpoint=ENDPOINT, api_key=API_KEY, http_client=httpx.Client())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"httpx\.Client for AzureOpenAI"):
        AzureOpenAI(endpoint=ENDPOINT, api_key=API_KEY, http_client=httpx.AsyncClient())  # type: ignore[arg-type]


def test_an_operation_url_is_refused_as_the_endpoint() -> None:
    target_uri = f"{ENDPOINT}/openai/deployments/gpt-4o/chat/completions?api-version=x"
    with pytest.raises(ValueError, match="not an operation's URL"):
        AzureOpenAI(endpoint=target_uri, api_key=API_KEY)
    # The endpoint with /openai (as some copy it) still works.
    assert AzureOpenAI(endpoint=f"{ENDPOINT}/openai/", api_key=API_KEY).endpoint == ENDPOINT
