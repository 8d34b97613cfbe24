"""Client construction, configuration, auth through the client, options, raw responses."""

from __future__ import annotations

import threading
import time
from typing import Any

import anyio
import httpx
import pytest
import respx
from _support import (
    API_VERSION,
    USER_MESSAGES,
    FakeAsyncCredential,
    FakeCredential,
    chat_completion,
    error_body,
    real_sleep,
)
from azure.identity import get_bearer_token_provider
from azure.identity.aio import get_bearer_token_provider as get_async_bearer_token_provider
from conftest import API_KEY, BASE_URL, ENDPOINT

from azure_oai_preview import AsyncAzureOpenAI, AzureOpenAI, InvalidRequestError, RawResponse
from azure_oai_preview.models import CreateChatCompletionResponse

SCOPE = "https://cognitiveservices.azure.com/.default"
CHAT_PATH = "/deployments/gpt-4o/chat/completions"


@pytest.fixture
def no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_API_KEY", "OPENAI_API_VERSION"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def chat_route(mock_api: respx.MockRouter) -> respx.Route:
    return mock_api.post(CHAT_PATH).respond(200, json=chat_completion())


# -- endpoint and api-version ---------------------------------------------------------------------


def test_requests_go_below_openai_with_api_version_on_every_request(
    client: AzureOpenAI, chat_route: respx.Route
) -> None:
    client.chat.completions.create(messages=USER_MESSAGES)
    client.chat.completions.create(messages=USER_MESSAGES)

    assert chat_route.call_count == 2
    for call in chat_route.calls:
        url = call.request.url
        assert (
            str(url.copy_with(query=None))
            == f"{ENDPOINT}/openai/deployments/gpt-4o/chat/completions"
        )
        assert url.params.get_list("api-version") == [API_VERSION]
    assert client.api_version == API_VERSION
    assert client.endpoint == ENDPOINT


@pytest.mark.usefixtures("no_env")
@pytest.mark.parametrize(
    "given",
    [ENDPOINT, ENDPOINT + "/", ENDPOINT + "/openai", ENDPOINT + "/openai/", "  " + ENDPOINT + "  "],
)
def test_endpoint_spellings_lead_to_the_same_base(given: str, mock_api: respx.MockRouter) -> None:
    route = mock_api.post(CHAT_PATH).respond(200, json=chat_completion())
    with AzureOpenAI(given, api_key=API_KEY, deployment="gpt-4o") as client:
        client.chat.completions.create(messages=USER_MESSAGES)
        assert client.endpoint == ENDPOINT
    assert route.called


@pytest.mark.usefixtures("no_env")
def test_endpoint_key_and_version_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, mock_api: respx.MockRouter
) -> None:
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", ENDPOINT)
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", API_KEY)
    monkeypatch.setenv("OPENAI_API_VERSION", "2024-02-15-preview")
    route = mock_api.post(CHAT_PATH).respond(200, json=chat_completion())

    with AzureOpenAI(deployment="gpt-4o") as client:
        client.chat.completions.create(messages=USER_MESSAGES)

    request = route.calls.last.request
    assert request.headers["api-key"] == API_KEY
    assert request.url.params["api-version"] == "2024-02-15-preview"
    assert client.api_version == "2024-02-15-preview"


@pytest.mark.usefixtures("no_env")
def test_explicit_arguments_win_over_the_environment(
    monkeypatch: pytest.MonkeyPatch, mock_api: respx.MockRouter
) -> None:
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", "https://elsewhere.openai.azure.com")
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", "env-key")
    monkeypatch.setenv("OPENAI_API_VERSION", "2023-05-15")
    route = mock_api.post(CHAT_PATH).respond(200, json=chat_completion())

    with AzureOpenAI(
        ENDPOINT, api_key=API_KEY, api_version=API_VERSION, deployment="gpt-4o"
    ) as client:
        client.chat.completions.create(messages=USER_MESSAGES)

    request = route.calls.last.request
    assert request.url.host == "example-resource.openai.azure.com"
    assert request.headers["api-key"] == API_KEY
    assert request.url.params["api-version"] == API_VERSION


@pytest.mark.usefixtures("no_env")
def test_api_version_defaults_to_the_pinned_spec() -> None:
    with AzureOpenAI(ENDPOINT, api_key=API_KEY) as client:
        assert client.api_version == API_VERSION


@pytest.mark.usefixtures("no_env")
@pytest.mark.parametrize("client_type", [AzureOpenAI, AsyncAzureOpenAI])
def test_missing_endpoint_is_a_clear_error(client_type: type[Any]) -> None:
    with pytest.raises(ValueError, match="AZURE_OPENAI_ENDPOINT"):
        client_type(api_key=API_KEY)


@pytest.mark.usefixtures("no_env")
@pytest.mark.parametrize(
    "endpoint", ["example-resource.openai.azure.com", "ftp://example.com", "https://"]
)
def test_endpoint_without_scheme_or_host_is_rejected(endpoint: str) -> None:
    with pytest.raises(ValueError, match="endpoint"):
        AzureOpenAI(endpoint, api_key=API_KEY)


# -- exactly one kind of auth ---------------------------------------------------------------------


@pytest.mark.usefixtures("no_env")
@pytest.mark.parametrize("client_type", [AzureOpenAI, AsyncAzureOpenAI])
def test_no_auth_at_all_is_a_clear_error(client_type: type[Any]) -> None:
    with pytest.raises(ValueError, match="No authentication") as info:
        client_type(ENDPOINT)
    message = str(info.value)
    for option in ("api_key", "credential", "azure_ad_token_provider", "AZURE_OPENAI_API_KEY"):
        assert option in message


@pytest.mark.usefixtures("no_env")
@pytest.mark.parametrize("client_type", [AzureOpenAI, AsyncAzureOpenAI])
@pytest.mark.parametrize(
    ("given", "named"),
    [
        ({"api_key": API_KEY, "credential": FakeCredential()}, ("api_key", "credential")),
        (
            {"api_key": API_KEY, "azure_ad_token_provider": lambda: "t"},
            ("api_key", "azure_ad_token_provider"),
        ),
        (
            {"credential": FakeCredential(), "azure_ad_token_provider": lambda: "t"},
            ("credential", "azure_ad_token_provider"),
        ),
    ],
)
def test_two_kinds_of_auth_are_rejected_at_construction(
    client_type: type[Any], given: dict[str, Any], named: tuple[str, str]
) -> None:
    with pytest.raises(ValueError, match="exactly one") as info:
        client_type(ENDPOINT, **given)
    assert all(name in str(info.value) for name in named)
    assert API_KEY not in str(info.value)


@pytest.mark.usefixtures("no_env")
def test_environment_key_does_not_clash_with_an_explicit_credential(
    monkeypatch: pytest.MonkeyPatch, mock_api: respx.MockRouter
) -> None:
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", "env-key")
    route = mock_api.post(CHAT_PATH).respond(200, json=chat_completion())
    credential = FakeCredential()

    with AzureOpenAI(ENDPOINT, credential=credential, deployment="gpt-4o") as client:
        client.chat.completions.create(messages=USER_MESSAGES)

    headers = route.calls.last.request.headers
    assert "api-key" not in headers
    assert headers["authorization"] == "Bearer eyJ0eXAi-secret-token-1"


def test_api_key_goes_in_the_api_key_header(client: AzureOpenAI, chat_route: respx.Route) -> None:
    client.chat.completions.create(messages=USER_MESSAGES)
    headers = chat_route.calls.last.request.headers
    assert headers["api-key"] == API_KEY
    assert "authorization" not in headers


def test_credential_token_is_requested_for_the_cognitive_services_scope_and_cached(
    mock_api: respx.MockRouter, sleeps: list[float]
) -> None:
    route = mock_api.post(CHAT_PATH).respond(200, json=chat_completion())
    credential = FakeCredential(3600)

    with AzureOpenAI(ENDPOINT, credential=credential, deployment="gpt-4o") as client:
        for _ in range(3):
            client.chat.completions.create(messages=USER_MESSAGES)

    assert credential.calls == 1
    assert credential.scopes == [(SCOPE,)]
    assert [c.request.headers["authorization"] for c in route.calls] == [
        "Bearer eyJ0eXAi-secret-token-1"
    ] * 3


class AuthClock:
    """The clock the client's token cache reads: the real time, plus ``skip`` seconds."""

    def __init__(self) -> None:
        self.skip = 0.0

    def time(self) -> float:
        return time.time() + self.skip


@pytest.fixture
def auth_clock(monkeypatch: pytest.MonkeyPatch) -> AuthClock:
    clock = AuthClock()
    monkeypatch.setattr("azure_oai_preview._bearer.time", clock)
    return clock


def test_credential_token_is_refreshed_before_it_expires(
    mock_api: respx.MockRouter, auth_clock: AuthClock
) -> None:
    route = mock_api.post(CHAT_PATH).respond(200, json=chat_completion())
    # The first token lives a minute, so it is cached for half of that (not the 5-minute
    # margin, which would make it useless); 31 s later it is close enough to expiry to be
    # replaced, and the second one, valid for an hour, is kept.
    credential = FakeCredential(60, 3600)

    with AzureOpenAI(ENDPOINT, credential=credential, deployment="gpt-4o") as client:
        client.chat.completions.create(messages=USER_MESSAGES)
        auth_clock.skip = 31
        for _ in range(2):
            client.chat.completions.create(messages=USER_MESSAGES)

    assert credential.calls == 2
    assert [c.request.headers["authorization"] for c in route.calls] == [
        "Bearer eyJ0eXAi-secret-token-1",
        "Bearer eyJ0eXAi-secret-token-2",
        "Bearer eyJ0eXAi-secret-token-2",
    ]


def test_a_retried_request_reuses_the_cached_token(
    mock_api: respx.MockRouter, sleeps: list[float]
) -> None:
    route = mock_api.post(CHAT_PATH).mock(
        side_effect=[httpx.Response(503), httpx.Response(200, json=chat_completion())]
    )
    credential = FakeCredential(3600)
    with AzureOpenAI(ENDPOINT, credential=credential, deployment="gpt-4o") as client:
        client.chat.completions.create(messages=USER_MESSAGES)
    assert route.call_count == 2
    assert credential.calls == 1


async def _fifty_concurrent_requests_on_an_expired_token() -> None:
    with respx.mock(base_url=BASE_URL) as router:
        route = router.post(CHAT_PATH).respond(200, json=chat_completion())
        # The first token comes back already expired, so every later request needs a new one.
        credential = FakeAsyncCredential(-10, 3600)
        async with AsyncAzureOpenAI(ENDPOINT, credential=credential, deployment="gpt-4o") as client:
            await client.chat.completions.create(messages=USER_MESSAGES)
            assert credential.calls == 1

            async def one_request() -> None:
                await client.chat.completions.create(messages=USER_MESSAGES)

            async with anyio.create_task_group() as group:
                for _ in range(50):
                    group.start_soon(one_request)

        assert credential.calls == 2
        assert route.call_count == 51
        later = [c.request.headers["authorization"] for c in route.calls][1:]
        assert later == ["Bearer eyJ0eXAi-secret-token-2"] * 50


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_fifty_concurrent_async_requests_on_an_expired_token_make_one_credential_call(
    backend: str,
) -> None:
    anyio.run(_fifty_concurrent_requests_on_an_expired_token, backend=backend)


def test_threads_sharing_a_sync_client_make_one_credential_call(mock_api: respx.MockRouter) -> None:
    route = mock_api.post(CHAT_PATH).respond(200, json=chat_completion())
    barrier = threading.Barrier(8)

    class SlowCredential(FakeCredential):
        def get_token(self, *scopes: str, **kwargs: Any) -> Any:
            real_sleep(0.05)  # the other threads pile up behind the refresh
            return super().get_token(*scopes, **kwargs)

    credential = SlowCredential()
    errors: list[BaseException] = []
    with AzureOpenAI(ENDPOINT, credential=credential, deployment="gpt-4o") as client:

        def work() -> None:
            try:
                barrier.wait()
                client.chat.completions.create(messages=USER_MESSAGES)
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=work) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert errors == []
    assert credential.calls == 1
    assert route.call_count == 8


def test_sync_token_provider_is_asked_for_every_request(mock_api: respx.MockRouter) -> None:
    route = mock_api.post(CHAT_PATH).respond(200, json=chat_completion())
    issued: list[str] = []

    def provider() -> str:
        issued.append(f"provided-token-{len(issued)}")
        return issued[-1]

    with AzureOpenAI(ENDPOINT, azure_ad_token_provider=provider, deployment="gpt-4o") as entra:
        entra.chat.completions.create(messages=USER_MESSAGES)
        entra.chat.completions.create(messages=USER_MESSAGES)

    assert [c.request.headers["authorization"] for c in route.calls] == [
        "Bearer provided-token-0",
        "Bearer provided-token-1",
    ]


def test_sync_client_rejects_an_async_token_provider() -> None:
    async def provider() -> str:
        return "t"

    with pytest.raises(TypeError, match="async"):
        AzureOpenAI(ENDPOINT, azure_ad_token_provider=provider)


@pytest.mark.parametrize("kind", ["sync", "async"])
async def test_async_client_accepts_sync_and_async_token_providers(
    kind: str, mock_api: respx.MockRouter
) -> None:
    route = mock_api.post(CHAT_PATH).respond(200, json=chat_completion())

    def sync_provider() -> str:
        return "sync-provided"

    async def async_provider() -> str:
        return "async-provided"

    provider: Any = sync_provider if kind == "sync" else async_provider
    async with AsyncAzureOpenAI(
        ENDPOINT, azure_ad_token_provider=provider, deployment="gpt-4o"
    ) as client:
        await client.chat.completions.create(messages=USER_MESSAGES)

    assert route.calls.last.request.headers["authorization"] == f"Bearer {kind}-provided"


def test_azure_identity_bearer_token_provider(mock_api: respx.MockRouter) -> None:
    route = mock_api.post(CHAT_PATH).respond(200, json=chat_completion())
    credential = FakeCredential()
    provider = get_bearer_token_provider(credential, SCOPE)  # type: ignore[arg-type]

    with AzureOpenAI(ENDPOINT, azure_ad_token_provider=provider, deployment="gpt-4o") as client:
        client.chat.completions.create(messages=USER_MESSAGES)

    assert route.calls.last.request.headers["authorization"] == "Bearer eyJ0eXAi-secret-token-1"
    assert credential.scopes[0] == (SCOPE,)


async def test_azure_identity_async_bearer_token_provider(mock_api: respx.MockRouter) -> None:
    route = mock_api.post(CHAT_PATH).respond(200, json=chat_completion())
    credential = FakeAsyncCredential(delay=0)
    provider = get_async_bearer_token_provider(credential, SCOPE)  # type: ignore[arg-type]

    async with AsyncAzureOpenAI(
        ENDPOINT, azure_ad_token_provider=provider, deployment="gpt-4o"
    ) as client:
        await client.chat.completions.create(messages=USER_MESSAGES)

    assert route.calls.last.request.headers["authorization"] == "Bearer eyJ0eXAi-secret-token-1"


async def test_async_client_with_a_sync_credential(mock_api: respx.MockRouter) -> None:
    route = mock_api.post(CHAT_PATH).respond(200, json=chat_completion())
    credential = FakeCredential()
    async with AsyncAzureOpenAI(ENDPOINT, credential=credential, deployment="gpt-4o") as client:
        await client.chat.completions.create(messages=USER_MESSAGES)
        await client.chat.completions.create(messages=USER_MESSAGES)
    assert credential.calls == 1
    assert route.calls.last.request.headers["authorization"] == "Bearer eyJ0eXAi-secret-token-1"


# -- plain http -----------------------------------------------------------------------------------


@pytest.mark.parametrize("client_type", [AzureOpenAI, AsyncAzureOpenAI])
def test_plain_http_with_credentials_is_refused(client_type: type[Any]) -> None:
    with pytest.raises(ValueError, match="allow_insecure_http") as info:
        client_type("http://localhost:8080", api_key=API_KEY)
    assert API_KEY not in str(info.value)


def test_plain_http_works_when_explicitly_allowed() -> None:
    with respx.mock(base_url="http://localhost:8080/openai") as router:
        route = router.post(CHAT_PATH).respond(200, json=chat_completion())
        with AzureOpenAI(
            "http://localhost:8080", api_key=API_KEY, deployment="gpt-4o", allow_insecure_http=True
        ) as client:
            client.chat.completions.create(messages=USER_MESSAGES)
    assert route.calls.last.request.url.scheme == "http"


# -- deployment -----------------------------------------------------------------------------------


def test_deployment_per_call_overrides_the_client_default(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    other = mock_api.post("/deployments/gpt-35-turbo/chat/completions").respond(
        200, json=chat_completion()
    )
    default = mock_api.post(CHAT_PATH).respond(200, json=chat_completion())

    client.chat.completions.create(deployment="gpt-35-turbo", messages=USER_MESSAGES)
    client.chat.completions.create(messages=USER_MESSAGES)

    assert other.call_count == 1
    assert default.call_count == 1


def test_deployment_names_are_escaped_in_the_path(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    route = mock_api.route(method="POST").respond(200, json=chat_completion())
    client.chat.completions.create(deployment="a/b c", messages=USER_MESSAGES)
    assert route.calls.last.request.url.raw_path.startswith(
        b"/openai/deployments/a%2Fb%20c/chat/completions"
    )


@pytest.mark.usefixtures("no_env")
@pytest.mark.parametrize("deployment", [None, ""])
def test_missing_deployment_fails_before_any_request(
    deployment: str | None, mock_api: respx.MockRouter
) -> None:
    route = mock_api.route().respond(200, json=chat_completion())
    client = AzureOpenAI(ENDPOINT, api_key=API_KEY, deployment=deployment)
    with pytest.raises(InvalidRequestError, match="deployment") as info:
        client.chat.completions.create(messages=USER_MESSAGES)
    client.close()
    assert not route.called
    assert "deployment-id" in [path for path, _ in info.value.problems]


@pytest.mark.usefixtures("no_env")
async def test_missing_deployment_fails_before_any_request_async(
    mock_api: respx.MockRouter,
) -> None:
    route = mock_api.route().respond(200, json=chat_completion())
    async with AsyncAzureOpenAI(ENDPOINT, api_key=API_KEY) as client:
        with pytest.raises(InvalidRequestError, match="deployment"):
            await client.embeddings.create(input="hello")
    assert not route.called


# -- with_options ---------------------------------------------------------------------------------


def test_with_options_returns_a_configured_copy_sharing_the_pool(
    client: AzureOpenAI, mock_api: respx.MockRouter, sleeps: list[float]
) -> None:
    other = mock_api.post("/deployments/other/chat/completions").respond(
        503, json=error_body("x", "busy")
    )
    default = mock_api.post(CHAT_PATH).respond(200, json=chat_completion())

    copy = client.with_options(
        deployment="other",
        max_retries=0,
        api_version="2024-02-15-preview",
        default_headers={"x-team": "search"},
        timeout=12.5,
    )

    assert copy is not client
    assert copy._core.http is client._core.http
    assert (copy.deployment, copy.max_retries, copy.api_version) == (
        "other",
        0,
        "2024-02-15-preview",
    )
    assert (client.deployment, client.max_retries, client.api_version) == ("gpt-4o", 2, API_VERSION)

    with pytest.raises(Exception, match="busy"):
        copy.chat.completions.create(messages=USER_MESSAGES)
    request = other.calls.last.request
    assert other.call_count == 1  # max_retries=0 on the copy
    assert sleeps == []
    assert request.url.params["api-version"] == "2024-02-15-preview"
    assert request.headers["x-team"] == "search"
    assert request.headers["api-key"] == API_KEY
    assert request.extensions["timeout"] == httpx.Timeout(12.5).as_dict()

    client.chat.completions.create(messages=USER_MESSAGES)
    original = default.calls.last.request
    assert "x-team" not in original.headers
    assert original.url.params["api-version"] == API_VERSION


def test_closing_a_copy_does_not_close_the_shared_pool(client: AzureOpenAI) -> None:
    copy = client.with_options(max_retries=5)
    copy.close()
    assert not client._core.http.is_closed


def test_default_headers_are_sent_and_merged_by_with_options(mock_api: respx.MockRouter) -> None:
    route = mock_api.post(CHAT_PATH).respond(200, json=chat_completion())
    with AzureOpenAI(
        ENDPOINT, api_key=API_KEY, deployment="gpt-4o", default_headers={"x-a": "1"}
    ) as client:
        client.with_options(default_headers={"x-b": "2"}).chat.completions.create(
            messages=USER_MESSAGES
        )
    headers = route.calls.last.request.headers
    assert (headers["x-a"], headers["x-b"]) == ("1", "2")
    assert headers["user-agent"].startswith("azure-oai-preview/")
    assert headers["x-ms-client-request-id"]


def test_with_options_rejects_negative_retries(client: AzureOpenAI) -> None:
    with pytest.raises(ValueError, match="max_retries"):
        client.with_options(max_retries=-1)


# -- closing --------------------------------------------------------------------------------------


def test_context_manager_closes_the_pool_it_created() -> None:
    with AzureOpenAI(ENDPOINT, api_key=API_KEY) as client:
        assert not client._core.http.is_closed
    assert client._core.http.is_closed


def test_a_callers_http_client_is_left_open() -> None:
    http = httpx.Client()
    with AzureOpenAI(ENDPOINT, api_key=API_KEY, http_client=http) as client:
        assert client._core.http is http
    assert not http.is_closed
    http.close()


async def test_async_context_manager_closes_the_pool_it_created() -> None:
    async with AsyncAzureOpenAI(ENDPOINT, api_key=API_KEY) as client:
        assert not client._core.http.is_closed
    assert client._core.http.is_closed


async def test_async_callers_http_client_is_left_open() -> None:
    http = httpx.AsyncClient()
    async with AsyncAzureOpenAI(ENDPOINT, api_key=API_KEY, http_client=http):
        pass
    assert not http.is_closed
    await http.aclose()


# -- raw responses --------------------------------------------------------------------------------

RAW_HEADERS = {"x-ratelimit-remaining-tokens": "79000", "apim-request-id": "b3c1e0f2-raw"}


def test_raw_response_exposes_headers_status_and_parse(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    mock_api.post(CHAT_PATH).respond(200, json=chat_completion("raw!"), headers=RAW_HEADERS)

    raw = client.with_raw_response.chat.completions.create(messages=USER_MESSAGES)

    assert isinstance(raw, RawResponse)
    assert raw.status_code == 200
    assert raw.headers["x-ratelimit-remaining-tokens"] == "79000"
    assert raw.request_id == "b3c1e0f2-raw"
    parsed = raw.parse()
    assert isinstance(parsed, CreateChatCompletionResponse)
    assert parsed.choices[0].message is not None
    assert parsed.choices[0].message.content == "raw!"
    assert raw.parse() is parsed


async def test_async_raw_response(
    async_client: AsyncAzureOpenAI, mock_api: respx.MockRouter
) -> None:
    mock_api.post(CHAT_PATH).respond(200, json=chat_completion("raw async"), headers=RAW_HEADERS)

    raw = await async_client.with_raw_response.chat.completions.create(messages=USER_MESSAGES)

    assert raw.status_code == 200
    assert raw.headers["x-ratelimit-remaining-tokens"] == "79000"
    assert raw.request_id == "b3c1e0f2-raw"
    parsed = raw.parse()
    assert isinstance(parsed, CreateChatCompletionResponse)
    assert parsed.choices[0].message is not None
    assert parsed.choices[0].message.content == "raw async"


def test_raw_view_of_a_copy_uses_the_copys_options(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    route = mock_api.post("/deployments/other/chat/completions").respond(
        200, json=chat_completion()
    )
    raw = client.with_options(deployment="other").with_raw_response.chat.completions.create(
        messages=USER_MESSAGES
    )
    assert raw.status_code == 200
    assert route.called


def test_default_timeout_is_long_to_read_and_short_to_connect(
    client: AzureOpenAI, chat_route: respx.Route
) -> None:
    client.chat.completions.create(messages=USER_MESSAGES)
    timeout = chat_route.calls.last.request.extensions["timeout"]
    assert timeout["connect"] == 10
    assert timeout["read"] == 600


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (30, httpx.Timeout(30)),
        (None, httpx.Timeout(None)),
        (httpx.Timeout(5, read=90), httpx.Timeout(5, read=90)),
    ],
)
def test_client_timeout_applies_to_requests(
    given: Any, expected: httpx.Timeout, mock_api: respx.MockRouter
) -> None:
    route = mock_api.post(CHAT_PATH).respond(200, json=chat_completion())
    with AzureOpenAI(ENDPOINT, api_key=API_KEY, deployment="gpt-4o", timeout=given) as client:
        client.chat.completions.create(messages=USER_MESSAGES)
        assert client.timeout == expected
    assert route.calls.last.request.extensions["timeout"] == expected.as_dict()
