"""Issue 15, item 7: every error pickles, and no key or token survives in what users can reach.

Real failures against a loopback server, with a real api-key, a bearer token and an API
Management key in the default headers: the errors' request views, their responses' requests,
raw responses, the cause chain, the pickled bytes and a ``capture_locals`` traceback.
"""

from __future__ import annotations

import multiprocessing
import pickle
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import httpx
import pytest

import azure_oai_preview
from azure_oai_preview import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APIStreamError,
    APITimeoutError,
    AsyncAzureOpenAI,
    AuthenticationError,
    AzureOpenAI,
    AzureOpenAIError,
    BadRequestError,
    ConflictError,
    ContentFilterError,
    CredentialError,
    EventHandlerError,
    IncompleteStreamError,
    InternalServerError,
    InvalidRequestError,
    NotFoundError,
    PermissionDeniedError,
    PollTimeoutError,
    RateLimitError,
    UnprocessableEntityError,
    UploadAndPollError,
    UploadNotReplayableError,
)

from . import _workers
from ._server import Answer, LoopbackServer, Received, json_answer
from ._support import (
    API_KEY,
    APIM_KEY,
    MESSAGES,
    SECRETS,
    TOKEN,
    async_client_for,
    chat_completion,
    client_for,
    error_payload,
)

Start = Callable[[Callable[[Received], Answer]], LoopbackServer]
REDACTED = "[redacted]"
DEFAULT_HEADERS = {"Ocp-Apim-Subscription-Key": APIM_KEY}

STATUS_CASES: list[tuple[str, Answer, type[APIStatusError]]] = [
    ("badrequest", json_answer(400, error_payload("invalid", "bad")), BadRequestError),
    (
        "filtered",
        json_answer(
            400,
            {
                "error": {
                    "code": "content_filter",
                    "message": "filtered",
                    "innererror": {
                        "code": "ResponsibleAIPolicyViolation",
                        "content_filter_result": {
                            "jailbreak": {"filtered": True, "detected": True}
                        },
                    },
                }
            },
        ),
        ContentFilterError,
    ),
    ("denied", json_answer(401, error_payload("401", "bad key")), AuthenticationError),
    ("forbidden", json_answer(403, error_payload("403", "no role")), PermissionDeniedError),
    ("missing", json_answer(404, error_payload("DeploymentNotFound", "none")), NotFoundError),
    ("conflict", json_answer(409, error_payload("409", "busy")), ConflictError),
    ("unprocessable", json_answer(422, error_payload("422", "no")), UnprocessableEntityError),
    ("throttled", json_answer(429, error_payload("429", "slow down")), RateLimitError),
    ("teapot", json_answer(418, error_payload("418", "teapot")), APIStatusError),
    ("down", Answer(503, {"content-type": "text/html"}, b"<html>down</html>"), InternalServerError),
    (
        "html",
        Answer(200, {"content-type": "text/html"}, b"<html>login</html>"),
        APIResponseValidationError,
    ),  # type: ignore[list-item]
    ("reset", Answer(0, reset=True), APIConnectionError),  # type: ignore[list-item]
    ("stall", Answer(200, declared_length=100, stall=5, stall_before_body=True), APITimeoutError),  # type: ignore[list-item]
    (
        "cut",
        Answer(200, {"content-type": "audio/mpeg"}, b"ID3", declared_length=100, reset=True),
        IncompleteStreamError,
    ),  # type: ignore[list-item]
]
CASES = {name: answer for name, answer, _ in STATUS_CASES}
AUTHS: dict[str, dict[str, Any]] = {
    "api_key": {},
    "azure_ad_token": {"api_key": None, "azure_ad_token": TOKEN},
    "token_provider": {"api_key": None, "azure_ad_token_provider": lambda: TOKEN},
}


def _handler(request: Received) -> Answer:
    name = request.target.split("/")[3]  # /openai/deployments/<name>/...
    return CASES.get(name, json_answer(200, chat_completion()))


def _fail(client: AzureOpenAI, case: str) -> AzureOpenAIError:
    """The error one failing call raises (the secrets stay out of this frame's locals)."""
    try:
        if case == "cut":
            client.audio.speech.create(deployment=case, input="hi", voice="alloy").read()
        else:
            client.chat.completions.create(deployment=case, messages=MESSAGES)
    except AzureOpenAIError as error:
        return error
    raise AssertionError(f"{case} did not fail")


async def _afail(client: AsyncAzureOpenAI, case: str) -> AzureOpenAIError:
    try:
        if case == "cut":
            await (
                await client.audio.speech.create(deployment=case, input="hi", voice="alloy")
            ).read()
        else:
            await client.chat.completions.create(deployment=case, messages=MESSAGES)
    except AzureOpenAIError as error:
        return error
    raise AssertionError(f"{case} did not fail")


def _chain(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _reachable_texts(error: BaseException) -> list[str]:
    """Everything a user (or a crash reporter) can print from an error."""
    texts = [
        "".join(traceback.TracebackException.from_exception(error, capture_locals=True).format())
    ]
    for link in _chain(error):
        texts += [str(link), repr(link), repr(vars(link))]
        for holder in (link, getattr(link, "response", None)):
            try:
                request = getattr(holder, "request", None)
            except RuntimeError:  # an httpx exception raised without a request
                request = None
            if isinstance(request, httpx.Request):
                texts += [repr(request.headers), repr(list(request.headers.multi_items()))]
                texts.append(request.content.decode("latin-1"))
    texts.append(pickle.dumps(error).decode("latin-1"))
    return texts


def _assert_no_secret(texts: list[str]) -> None:
    found = [(secret, text[:200]) for text in texts for secret in SECRETS if secret in text]
    assert found == []


def _assert_round_trip(error: AzureOpenAIError) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    for name in (
        "status_code",
        "code",
        "message",
        "request_id",
        "raw_body",
        "body",
        "content_type",
    ):
        assert getattr(copy, name, None) == getattr(error, name, None), name
    request = getattr(error, "request", None)
    if request is not None:
        assert (copy.request.method, copy.request.url) == (request.method, request.url)
        assert copy.request.headers == request.headers


@pytest.fixture
def server(loopback: Start) -> LoopbackServer:
    return loopback(_handler)


@pytest.mark.parametrize("auth", sorted(AUTHS))
@pytest.mark.parametrize(("case", "expected"), [(n, e) for n, _, e in STATUS_CASES])
def test_a_real_failure_leaves_no_secret_and_pickles(
    case: str, expected: type[AzureOpenAIError], auth: str, server: LoopbackServer
) -> None:
    with client_for(
        server, default_headers=DEFAULT_HEADERS, max_retries=0, timeout=0.5, **AUTHS[auth]
    ) as client:
        error = _fail(client, case)
    assert type(error) is expected
    _assert_no_secret(_reachable_texts(error))
    _assert_round_trip(error)
    request = getattr(error, "request", None)
    if request is not None:
        credential = "api-key" if auth == "api_key" else "authorization"
        assert request.headers[credential] == REDACTED
        assert request.headers["ocp-apim-subscription-key"] == REDACTED
        assert request.method == "POST"
        assert request.url.path.startswith(f"/openai/deployments/{case}/")
        assert request.headers["x-ms-client-request-id"]
        # What was sent did carry the credential; only the view is redacted.
        sent = server.requests[-1].headers
        assert sent[credential] in (API_KEY, f"Bearer {TOKEN}")


@pytest.mark.parametrize("auth", sorted(AUTHS))
@pytest.mark.parametrize("case", ["throttled", "filtered", "reset", "stall", "cut"])
async def test_async_real_failures_leave_no_secret_and_pickle(
    case: str, auth: str, server: LoopbackServer
) -> None:
    async with async_client_for(
        server, default_headers=DEFAULT_HEADERS, max_retries=0, timeout=0.5, **AUTHS[auth]
    ) as client:
        error = await _afail(client, case)
    _assert_no_secret(_reachable_texts(error))
    _assert_round_trip(error)


def test_the_cause_of_a_connection_error_is_redacted(server: LoopbackServer) -> None:
    with client_for(server, max_retries=0) as client:
        error = _fail(client, "reset")
    cause = error.__cause__
    assert isinstance(cause, httpx.TransportError)
    assert cause.request.headers["api-key"] == REDACTED


@pytest.mark.parametrize("auth", sorted(AUTHS))
def test_raw_responses_expose_a_redacted_request(auth: str, server: LoopbackServer) -> None:
    with client_for(server, default_headers=DEFAULT_HEADERS, **AUTHS[auth]) as client:
        raw = client.with_raw_response.chat.completions.create(messages=MESSAGES)
        streamed = client.with_raw_response.audio.speech.create(input="hi", voice="alloy")
    for view in (raw.request, raw.http_response.request, streamed.request):
        assert view.method == "POST"
        assert view.url.host == "127.0.0.1"
        assert view.headers["x-ms-client-request-id"]
        assert view.content == b""
        _assert_no_secret([repr(view.headers), repr(list(view.headers.multi_items()))])
    assert raw.parse().id == "chatcmpl-1"


def test_a_process_pool_worker_can_raise_a_rate_limit_error(server: LoopbackServer) -> None:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        future = pool.submit(_workers.call_chat, server.origin, "throttled")
        ok = pool.submit(_workers.call_chat, server.origin, "gpt-4o")
        with pytest.raises(RateLimitError) as info:
            future.result(timeout=120)
        assert ok.result(timeout=120) == "chatcmpl-1"
    error = info.value
    assert (error.status_code, error.code, error.message) == (429, "429", "slow down")
    assert error.request is not None
    assert error.request.headers["api-key"] == REDACTED
    assert error.response.request.headers["api-key"] == REDACTED


def test_every_public_error_pickles() -> None:
    """Those no loopback failure above produces, built directly, and a check that none is missing."""
    request = httpx.Request(
        "POST", "https://r.openai.azure.com/openai/x", headers={"api-key": API_KEY}
    )
    built: list[AzureOpenAIError] = [
        InvalidRequestError("ChatCompletions_Create", [("messages", "required")]),
        CredentialError("no token", source="credential=Fake", scopes=("s/.default",)),
        APIStreamError(
            code="server_error", message="boom", error=None, data={"x": 1}, request_id="r"
        ),
        PollTimeoutError({"id": "run_1", "status": "queued"}, 2.5),
        APIConnectionError("refused", request=request),
        IncompleteStreamError("cut", request_id="r"),
        UploadNotReplayableError(1234),
        EventHandlerError("Printer.on_end is an `async def`", handler="Printer", hook="on_end"),
        UploadAndPollError(("assistant-1",), OSError("unreadable")),
    ]
    for error in built:
        _assert_round_trip(error)
        _assert_no_secret([pickle.dumps(error).decode("latin-1"), repr(vars(error))])
    covered = {type(e) for e in built} | {e for _, _, e in STATUS_CASES}
    public = {
        value
        for name in azure_oai_preview.__all__
        if isinstance(value := getattr(azure_oai_preview, name), type)
        and issubclass(value, AzureOpenAIError)
    }
    assert public - covered - {AzureOpenAIError} == set()


def test_a_header_value_http_cannot_carry_is_not_quoted(loopback: Start) -> None:
    # An API Management key pasted with its newline into default_headers: h11 refuses the
    # header and quotes it ("Illegal header value b'...'"); the error must not.
    server = loopback(lambda request: json_answer({}))
    secret = "apim-" + API_KEY
    with pytest.raises(ValueError, match="not shown") as refused:
        client_for(server, default_headers={"Ocp-Apim-Subscription-Key": secret + "\n"})
    assert secret not in str(refused.value)
    # Set on the HTTP client itself, the SDK sees it only when h11 refuses it.
    http = httpx.Client(headers={"Ocp-Apim-Subscription-Key": secret + "\n"})
    with (
        client_for(server, http_client=http, max_retries=0) as client,
        pytest.raises(APIConnectionError) as raised,
    ):
        client.chat.completions.create(messages=MESSAGES)
    http.close()
    chain = [raised.value, raised.value.__cause__, raised.value.__context__]
    assert all(secret not in str(e) and secret not in repr(e) for e in chain if e is not None)
    assert "not shown" in str(raised.value)
    assert server.requests == [], "nothing was sent"
