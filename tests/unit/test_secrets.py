"""Keys and tokens never show up in a repr, a log record or an exception, nor at another host."""

from __future__ import annotations

import logging
import pickle
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx
from _support import (
    USER_MESSAGES,
    FakeAsyncCredential,
    FakeCredential,
    chat_chunk,
    chat_completion,
    error_body,
    sse,
    sse_response,
)
from conftest import API_KEY, ENDPOINT

from azure_oai_preview import (
    APIConnectionError,
    AsyncAzureOpenAI,
    AuthenticationError,
    AzureOpenAI,
    AzureOpenAIError,
    ContentFilterError,
    CredentialError,
    IncompleteStreamError,
    InternalServerError,
    InvalidRequestError,
)

CHAT_PATH = "/deployments/gpt-4o/chat/completions"
TOKEN_PREFIX = "eyJ0eXAi-secret-token"


def _chain(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _texts_of(error: BaseException) -> list[str]:
    texts: list[str] = []
    for link in _chain(error):
        texts += [str(link), repr(link), repr(link.args)]
    return texts


def _log_texts(caplog: pytest.LogCaptureFixture) -> list[str]:
    texts = [caplog.text]
    for record in caplog.records:
        texts += [record.getMessage(), repr(record.args), record.exc_text or ""]
    return texts


def _assert_absent(secret: str, texts: list[str]) -> None:
    leaking = [text for text in texts if secret in text]
    assert leaking == []


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)  # every logger: ours, httpx, httpcore, asyncio
    return caplog


def _run_a_troubled_session(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> list[AzureOpenAIError]:
    """Successes, retries, connection errors, status errors and a broken stream."""
    mock_api.post(CHAT_PATH).mock(
        side_effect=[
            httpx.Response(
                429, headers={"retry-after-ms": "5"}, json=error_body("429", "slow down")
            ),
            httpx.ConnectError("connection refused"),
            httpx.Response(200, json=chat_completion(), headers={"apim-request-id": "ok-1"}),
        ]
    )
    client.chat.completions.create(messages=USER_MESSAGES)

    errors: list[AzureOpenAIError] = []
    mock_api.post("/deployments/down/chat/completions").respond(503, text="<html>down</html>")
    mock_api.post("/deployments/refused/chat/completions").mock(
        side_effect=httpx.ConnectError("refused")
    )
    mock_api.post("/deployments/denied/chat/completions").respond(
        401,
        json=error_body(
            "401", "Access denied due to invalid subscription key or wrong API endpoint."
        ),
    )
    mock_api.post("/deployments/filtered/chat/completions").respond(
        400,
        json=error_body(
            "content_filter",
            "filtered",
            innererror={
                "code": "ResponsibleAIPolicyViolation",
                "content_filter_result": {"jailbreak": {"filtered": True, "detected": True}},
            },
        ),
    )
    for deployment, expected in (
        ("down", InternalServerError),
        ("refused", APIConnectionError),
        ("denied", AuthenticationError),
        ("filtered", ContentFilterError),
    ):
        with pytest.raises(expected) as info:
            client.chat.completions.create(deployment=deployment, messages=USER_MESSAGES)
        errors.append(info.value)

    body = sse(chat_chunk({"content": "partial"}), done=False)
    mock_api.post("/deployments/stream/chat/completions").mock(
        side_effect=lambda request: sse_response(body)[0]
    )
    with pytest.raises(IncompleteStreamError) as broken:
        list(
            client.chat.completions.create(deployment="stream", messages=USER_MESSAGES, stream=True)
        )
    errors.append(broken.value)
    return errors


def test_api_key_is_in_no_log_record_or_error_over_a_whole_session(
    client: AzureOpenAI, mock_api: respx.MockRouter, debug_logs: pytest.LogCaptureFixture
) -> None:
    errors = _run_a_troubled_session(client, mock_api)

    assert any(r.name == "azure_oai_preview" for r in debug_logs.records)  # logging did happen
    _assert_absent(API_KEY, _log_texts(debug_logs))
    for error in errors:
        _assert_absent(API_KEY, _texts_of(error))
    # ... while the key was in fact sent on every request.
    assert all(call.request.headers["api-key"] == API_KEY for call in mock_api.calls)


def test_bearer_token_is_in_no_log_record_or_error_over_a_whole_session(
    mock_api: respx.MockRouter, sleeps: list[float], debug_logs: pytest.LogCaptureFixture
) -> None:
    credential = FakeCredential(3600)
    with AzureOpenAI(ENDPOINT, credential=credential, deployment="gpt-4o") as client:
        errors = _run_a_troubled_session(client, mock_api)
        texts = [repr(client), str(client), repr(client._core.auth), repr(vars(client))]

    assert credential.calls == 1
    _assert_absent(TOKEN_PREFIX, _log_texts(debug_logs) + texts)
    for error in errors:
        _assert_absent(TOKEN_PREFIX, _texts_of(error))
    assert all(
        call.request.headers["authorization"].startswith(f"Bearer {TOKEN_PREFIX}")
        for call in mock_api.calls
    )


async def test_async_session_logs_and_errors_carry_no_token(
    mock_api: respx.MockRouter, sleeps: list[float], debug_logs: pytest.LogCaptureFixture
) -> None:
    mock_api.post(CHAT_PATH).mock(
        side_effect=[httpx.Response(503), httpx.Response(401, json=error_body("401", "expired"))]
    )
    credential = FakeAsyncCredential(delay=0)
    async with AsyncAzureOpenAI(ENDPOINT, credential=credential, deployment="gpt-4o") as client:
        with pytest.raises(AuthenticationError) as info:
            await client.chat.completions.create(messages=USER_MESSAGES)
        texts = [repr(client), repr(client.with_options(max_retries=0)), repr(client._core.auth)]

    _assert_absent(TOKEN_PREFIX, _log_texts(debug_logs) + texts + _texts_of(info.value))


@pytest.mark.parametrize("client_type", [AzureOpenAI, AsyncAzureOpenAI])
def test_reprs_never_show_the_key(client_type: type[Any]) -> None:
    client = client_type(ENDPOINT, api_key=API_KEY, deployment="gpt-4o")
    copy = client.with_options(max_retries=0)
    shown = [
        repr(client),
        str(client),
        repr(copy),
        repr(vars(client)),
        repr(client._core.auth),
        str(client._core.auth),
        repr(client.with_raw_response),
        repr(client.chat.completions),
        repr(client.audio.speech),
    ]
    _assert_absent(API_KEY, shown)
    assert "example-resource.openai.azure.com" in repr(client)


def test_provider_token_is_not_in_the_clients_repr(mock_api: respx.MockRouter) -> None:
    mock_api.post(CHAT_PATH).respond(200, json=chat_completion())

    def provider() -> str:
        return TOKEN_PREFIX + "-provided"

    with AzureOpenAI(ENDPOINT, azure_ad_token_provider=provider, deployment="gpt-4o") as client:
        client.chat.completions.create(messages=USER_MESSAGES)
        _assert_absent(TOKEN_PREFIX, [repr(client), repr(client._core.auth)])


@pytest.mark.parametrize("auth", ["api_key", "credential"])
def test_nothing_secret_reaches_another_host_after_a_redirect(
    auth: str, mock_api: respx.MockRouter
) -> None:
    mock_api.post(CHAT_PATH).respond(
        302, headers={"location": "https://attacker.example.org/collect"}
    )
    moved = mock_api.get("https://attacker.example.org/collect").respond(
        200, json=chat_completion()
    )
    options: dict[str, Any] = (
        {"api_key": API_KEY} if auth == "api_key" else {"credential": FakeCredential()}
    )

    with AzureOpenAI(ENDPOINT, deployment="gpt-4o", **options) as client:
        client.chat.completions.create(messages=USER_MESSAGES)

    request = moved.calls.last.request
    values = [value for _, value in request.headers.multi_items()]
    _assert_absent(API_KEY, values)
    _assert_absent(TOKEN_PREFIX, values)
    _assert_absent(API_KEY, [str(request.url)])


def test_no_secret_in_errors_raised_at_construction(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AZURE_OPENAI_ENDPOINT", raising=False)
    failures: list[BaseException] = []
    for options in (
        {"endpoint": "http://plain.example.com", "api_key": API_KEY},
        {"endpoint": ENDPOINT, "api_key": API_KEY, "credential": FakeCredential()},
        {"api_key": API_KEY},
        {"endpoint": ENDPOINT, "api_key": API_KEY, "max_retries": -1},
        {"endpoint": API_KEY},  # the key passed positionally, as the endpoint, by mistake
        {"endpoint": API_KEY, "api_key": API_KEY},
    ):
        with pytest.raises(ValueError) as info:  # noqa: PT011 - the message is what is checked
            AzureOpenAI(**options)
        failures.append(info.value)
    for failure in failures:
        _assert_absent(API_KEY, _texts_of(failure))


def test_unknown_enum_value_in_a_request_is_not_logged(
    client: AzureOpenAI, mock_api: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    """A secret typed into an enum field (here On Your Data's query_type) never reaches the logs."""
    secret = "sk-enum-field-secret-8d2f"
    source = {
        "type": "azure_search",
        "parameters": {
            "endpoint": "https://search.example.net",
            "index_name": "docs",
            "query_type": secret,
            "authentication": {"type": "system_assigned_managed_identity"},
        },
    }
    route = mock_api.post("/deployments/gpt-4o/chat/completions")
    with (
        caplog.at_level(logging.DEBUG, logger="azure_oai_preview"),
        pytest.raises(InvalidRequestError) as caught,
    ):
        client.chat.completions.create(
            messages=[{"role": "user", "content": "hi"}], data_sources=[source]
        )  # type: ignore[list-item]
    assert "query_type" in str(caught.value)
    assert secret not in str(caught.value)
    assert secret not in caplog.text
    assert not route.called


def test_endpoint_with_credentials_is_refused_without_echoing_them() -> None:
    with pytest.raises(ValueError, match="user name or password") as caught:
        AzureOpenAI(endpoint="https://admin:hunter2-secret@r.openai.azure.com", api_key="k")
    assert "hunter2-secret" not in str(caught.value)


# -- static tokens, credential failures, the log switch -------------------------------------------

STATIC_TOKEN = "eyJ0eXAi-static-secret-token-7c1d"


def test_static_token_is_in_no_log_record_error_or_repr_over_a_whole_session(
    mock_api: respx.MockRouter, sleeps: list[float], debug_logs: pytest.LogCaptureFixture
) -> None:
    with AzureOpenAI(ENDPOINT, azure_ad_token=STATIC_TOKEN, deployment="gpt-4o") as client:
        errors = _run_a_troubled_session(client, mock_api)
        texts = [repr(client), str(client), repr(client._core.auth), repr(vars(client))]

    _assert_absent(STATIC_TOKEN, _log_texts(debug_logs) + texts)
    for error in errors:
        _assert_absent(STATIC_TOKEN, _texts_of(error))
    assert all(
        call.request.headers["authorization"] == f"Bearer {STATIC_TOKEN}" for call in mock_api.calls
    )


async def test_environment_token_is_in_no_log_record_error_or_repr(
    monkeypatch: pytest.MonkeyPatch,
    mock_api: respx.MockRouter,
    sleeps: list[float],
    debug_logs: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.delenv("AZURE_OPENAI_API_KEY", raising=False)
    monkeypatch.setenv("AZURE_OPENAI_AD_TOKEN", STATIC_TOKEN)
    route = mock_api.post(CHAT_PATH).mock(
        side_effect=[httpx.Response(503), httpx.Response(401, json=error_body("401", "expired"))]
    )
    async with AsyncAzureOpenAI(ENDPOINT, deployment="gpt-4o") as client:
        with pytest.raises(AuthenticationError) as info:
            await client.chat.completions.create(messages=USER_MESSAGES)
        texts = [repr(client), repr(client.with_options(max_retries=0)), repr(client._core.auth)]

    assert route.calls.last.request.headers["authorization"] == f"Bearer {STATIC_TOKEN}"
    _assert_absent(STATIC_TOKEN, _log_texts(debug_logs) + texts + _texts_of(info.value))


def test_no_static_token_in_errors_raised_at_construction(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AZURE_OPENAI_ENDPOINT", raising=False)
    failures: list[BaseException] = []
    for options in (
        {"endpoint": ENDPOINT, "azure_ad_token": STATIC_TOKEN, "api_key": API_KEY},
        {"endpoint": ENDPOINT, "azure_ad_token": "Bearer " + STATIC_TOKEN},
        {"endpoint": ENDPOINT, "azure_ad_token": STATIC_TOKEN, "credential_scopes": ["x"]},
        {"endpoint": STATIC_TOKEN, "azure_ad_token": STATIC_TOKEN},
        {"endpoint": ENDPOINT, "azure_endpoint": STATIC_TOKEN, "azure_ad_token": STATIC_TOKEN},
    ):
        with pytest.raises(ValueError) as info:  # noqa: PT011 - the message is what is checked
            AzureOpenAI(**options)
        failures.append(info.value)
    monkeypatch.setenv("AZURE_OPENAI_AD_TOKEN", STATIC_TOKEN)
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", API_KEY)
    with pytest.raises(ValueError, match="AZURE_OPENAI_AD_TOKEN") as both:
        AzureOpenAI(ENDPOINT)
    failures.append(both.value)
    for failure in failures:
        _assert_absent(STATIC_TOKEN, _texts_of(failure))
        _assert_absent(API_KEY, _texts_of(failure))


def test_credential_errors_carry_no_token(
    mock_api: respx.MockRouter, debug_logs: pytest.LogCaptureFixture
) -> None:
    mock_api.post(CHAT_PATH).respond(200, json=chat_completion())

    class FailingLater(FakeCredential):
        """Hands out one token that expires at once, then fails, as a revoked identity does."""

        def get_token(self, *scopes: str, **kwargs: Any) -> Any:
            if self.calls:
                self.calls += 1
                raise RuntimeError("identity endpoint unavailable")
            return super().get_token(*scopes, **kwargs)

    credential = FailingLater(-10)
    with AzureOpenAI(ENDPOINT, credential=credential, deployment="gpt-4o") as client:
        client.chat.completions.create(messages=USER_MESSAGES)
        with pytest.raises(CredentialError) as info:
            client.chat.completions.create(messages=USER_MESSAGES)
        texts = [repr(client._core.auth), repr(client._core.auth._tokens)]

    assert isinstance(info.value.__cause__, RuntimeError)
    assert credential.calls == 2
    _assert_absent(TOKEN_PREFIX, _texts_of(info.value) + _log_texts(debug_logs) + texts)


@pytest.mark.parametrize(
    "options",
    [
        {"api_key": API_KEY},
        {"azure_ad_token": STATIC_TOKEN},
        {"credential": FakeCredential()},
        {"azure_ad_token_provider": lambda: STATIC_TOKEN},
    ],
)
def test_auth_objects_refuse_to_be_pickled(options: dict[str, Any]) -> None:
    client = AzureOpenAI(ENDPOINT, deployment="gpt-4o", **options)
    auth = client._core.auth
    assert auth.headers()  # the secret (or a fetched token) is held now
    with pytest.raises(TypeError, match="cannot be pickled") as info:
        pickle.dumps(auth)
    client.close()
    _assert_absent(STATIC_TOKEN, _texts_of(info.value))
    _assert_absent(API_KEY, _texts_of(info.value))


def test_the_log_switch_writes_no_secret_to_stderr(
    monkeypatch: pytest.MonkeyPatch,
    mock_api: respx.MockRouter,
    sleeps: list[float],
    capsys: pytest.CaptureFixture[str],
) -> None:
    logger = logging.getLogger("azure_oai_preview")
    level, handlers = logger.level, list(logger.handlers)
    monkeypatch.setenv("AZURE_OAI_PREVIEW_LOG", "debug")
    try:
        with AzureOpenAI(ENDPOINT, credential=FakeCredential(3600), deployment="gpt-4o") as client:
            _run_a_troubled_session(client, mock_api)
        with AzureOpenAI(ENDPOINT, api_key=API_KEY, deployment="gpt-4o") as client:
            _run_a_troubled_session(client, mock_api)
    finally:
        logger.setLevel(level)
        logger.handlers[:] = handlers
    err = capsys.readouterr().err
    assert "retrying" in err  # the switch did write the session's log
    assert "Got an Entra ID token from FakeCredential" in err
    _assert_absent(TOKEN_PREFIX, [err])
    _assert_absent(API_KEY, [err])


# -- the authoring API's credential header parameters ---------------------------------------------

MGMT_TOKEN = "mgmt-user-token-5e2a-never-print-me"
AML_TOKEN = "aml-user-token-0b7d-never-print-me"
JOB_PATH = "/ingestion/jobs/job-1"
USER_JOB = {
    "kind": "UserCompute",
    "workspaceId": "/subscriptions/1/resourceGroups/rg/providers/x/workspaces/w",
}


def test_ingestion_tokens_are_in_no_log_record_error_or_repr(
    client: AzureOpenAI, mock_api: respx.MockRouter, debug_logs: pytest.LogCaptureFixture
) -> None:
    tokens = {"mgmt_user_token": MGMT_TOKEN, "aml_user_token": AML_TOKEN}
    mock_api.put(JOB_PATH).mock(
        side_effect=[
            httpx.Response(503, headers={"retry-after-ms": "5"}),
            httpx.ConnectError("refused"),
            httpx.Response(200, json={**USER_JOB, "jobId": "job-1"}),
        ]
    )
    client.ingestion_jobs.create("job-1", USER_JOB, **tokens)
    errors: list[BaseException] = []
    mock_api.put("/ingestion/jobs/denied").respond(
        403, json={"error": {"code": "forbidden", "message": "the workspace token was refused"}}
    )
    mock_api.get("/ingestion/jobs").mock(side_effect=httpx.ConnectError("refused"))
    mock_api.get("/ingestion/jobs/job-1/runs").respond(
        200, json={"value": [], "nextLink": "https://attacker.example.org/openai/runs"}
    )
    for attempt in (
        lambda: client.ingestion_jobs.create("denied", USER_JOB, **tokens),
        lambda: client.ingestion_jobs.list(mgmt_user_token=MGMT_TOKEN),
        lambda: client.ingestion_jobs.runs.list("job-1", mgmt_user_token=MGMT_TOKEN).next_page(),
        lambda: client.ingestion_jobs.create("job-1", USER_JOB, mgmt_user_token=MGMT_TOKEN + "\n"),
    ):
        with pytest.raises(AzureOpenAIError) as info:
            attempt()
        errors.append(info.value)

    # What a debugging user might print: the built call, its options, the bound method.
    from azure_oai_preview.resources.ingestion_jobs import IngestionJobs

    call = IngestionJobs.create.builder(client.ingestion_jobs, "job-1", USER_JOB, **tokens)
    by_hand = IngestionJobs.list.builder(
        client.ingestion_jobs, extra_headers={"MGMT-User-Token": MGMT_TOKEN}
    )
    shown = [repr(call), str(call), repr(call.options), repr(dict(call.options.headers))]
    shown += [repr(by_hand), repr(by_hand.options.headers)]
    shown += [repr(client.ingestion_jobs), repr(client)]
    for secret in (MGMT_TOKEN, AML_TOKEN):
        _assert_absent(secret, _log_texts(debug_logs) + shown)
        for error in errors:
            _assert_absent(secret, _texts_of(error))
    # ... while the tokens were in fact sent.
    sent = mock_api.calls[0].request.headers
    assert (sent["mgmt-user-token"], sent["aml-user-token"]) == (MGMT_TOKEN, AML_TOKEN)


def test_ingestion_tokens_do_not_follow_a_redirect_to_another_host(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    mock_api.get("/ingestion/jobs").respond(
        302, headers={"location": "https://attacker.example.org/collect"}
    )
    moved = mock_api.get("https://attacker.example.org/collect").respond(200, json={"value": []})
    client.ingestion_jobs.list(mgmt_user_token=MGMT_TOKEN)
    values = [value for _, value in moved.calls.last.request.headers.multi_items()]
    _assert_absent(MGMT_TOKEN, values)
    _assert_absent(API_KEY, values)


# -- secrets an HTTP header cannot carry as given --------------------------------------------------


def test_a_key_read_with_its_newline_is_sent_stripped(mock_api: respx.MockRouter) -> None:
    # Keys read from files, Kubernetes secrets and env files often end with a newline; sent as
    # is, the HTTP stack's error would quote the key.
    route = mock_api.post(CHAT_PATH).respond(200, json=chat_completion())
    with AzureOpenAI(endpoint=ENDPOINT, api_key=f"  {API_KEY}\n", deployment="gpt-4o") as client:
        client.chat.completions.create(messages=USER_MESSAGES)
    assert route.calls[0].request.headers["api-key"] == API_KEY


@pytest.mark.parametrize(
    "options",
    [
        {"api_key": f"{API_KEY}\r\nX-Evil: 1"},
        {"api_key": "ключ-" + API_KEY},
        {"azure_ad_token": f"{TOKEN_PREFIX} second-part"},
    ],
)
def test_a_secret_a_header_cannot_carry_is_refused_unshown(options: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="the value is not shown") as raised:
        AzureOpenAI(endpoint=ENDPOINT, **options)
    assert API_KEY not in str(raised.value)
    assert TOKEN_PREFIX not in str(raised.value)


def test_tokens_from_providers_and_credentials_are_checked_the_same_way(
    mock_api: respx.MockRouter,
) -> None:
    route = mock_api.post(CHAT_PATH).respond(200, json=chat_completion())
    with AzureOpenAI(
        endpoint=ENDPOINT,
        azure_ad_token_provider=lambda: TOKEN_PREFIX + "\n",
        deployment="gpt-4o",
    ) as client:
        client.chat.completions.create(messages=USER_MESSAGES)
    assert route.calls[0].request.headers["authorization"] == f"Bearer {TOKEN_PREFIX}"
    for provider in (lambda: f"Bearer {TOKEN_PREFIX}", lambda: f"{TOKEN_PREFIX}\u00e9"):
        with (
            AzureOpenAI(
                endpoint=ENDPOINT, azure_ad_token_provider=provider, deployment="gpt-4o"
            ) as client,
            pytest.raises(AzureOpenAIError) as raised,
        ):
            client.chat.completions.create(messages=USER_MESSAGES)
        assert TOKEN_PREFIX not in str(raised.value)
        cause = raised.value.__cause__
        assert cause is None or TOKEN_PREFIX not in str(cause)
    assert route.call_count == 1, "a refused token is never sent"
