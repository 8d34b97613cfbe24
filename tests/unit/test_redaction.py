"""The request view users can reach (:func:`redacted_request`), on its fast paths (issue 16).

A query is only parsed when its raw text could name a credential, and header names are judged
from their raw bytes with remembered verdicts: neither may let a credential through.
"""

from __future__ import annotations

import httpx
import pytest
import respx

from azure_oai_preview import AzureOpenAI, BadRequestError
from azure_oai_preview._redaction import (
    _MAX_VERDICTS,  # pyright: ignore[reportPrivateUsage]
    REDACTED,
    _header_verdicts,  # pyright: ignore[reportPrivateUsage]
    redacted_request,
)

BASE = "https://r.example.net/openai/threads/t/messages"


def _query_of(raw_query: str) -> list[tuple[str, str]]:
    view = redacted_request(httpx.Request("GET", f"{BASE}?{raw_query}"))
    return view.url.params.multi_items()


def test_a_query_naming_no_credential_is_kept_as_it_is() -> None:
    request = httpx.Request("GET", f"{BASE}?api-version=1&limit=100&after=msg_1&order=desc")
    view = redacted_request(request)
    assert view.url == request.url
    assert view.url.raw_path == request.url.raw_path


@pytest.mark.parametrize(
    ("raw_query", "hidden"),
    [
        ("api-version=1&API-KEY=s1", "API-KEY"),
        ("Subscription-Key=s1&limit=3", "Subscription-Key"),
        ("SIG=s1", "SIG"),
        ("x-Token=s1", "x-Token"),
        ("%6Bey=s1", "key"),  # an escaped "k": the service reads "key"
        ("sub%2Dscription%2dKEY=s1", "sub-scription-KEY"),
        ("%53ig=s1", "Sig"),
        ("pass%77ord=s1", "password"),
        ("x+auth=s1", "x auth"),
    ],
)
def test_a_credential_query_parameter_is_redacted_however_it_is_spelled(
    raw_query: str, hidden: str
) -> None:
    assert (hidden, REDACTED) in _query_of(raw_query)
    assert all(value != "s1" for _, value in _query_of(raw_query))


def test_a_credential_word_in_a_value_alone_keeps_the_value() -> None:
    assert _query_of("after=key_1&limit=2") == [("after", "key_1"), ("limit", "2")]


def test_the_view_keeps_the_headers_sent_credentials_redacted_each_time_they_occur() -> None:
    request = httpx.Request(
        "POST",
        BASE,
        headers=[
            ("authorization", "Bearer t1"),
            ("Authorization", "Bearer t2"),
            ("x-ms-client-request-id", "c-1"),
            ("X-Custom-Api-Key", "k1"),
        ],
        content=b"{}",
    )
    view = redacted_request(request)
    credentials = (b"authorization", b"x-custom-api-key")
    expected = [
        (name, REDACTED.encode() if name.lower() in credentials else value)
        for name, value in request.headers.raw
    ]
    assert view.headers.raw == expected
    assert [name for name, _ in view.headers.raw].count(b"Authorization") == 1
    assert view.headers.get_list("authorization") == [REDACTED, REDACTED]
    assert view.content == b""
    assert "t1" not in repr(view.headers)
    assert "k1" not in repr(view.headers)


def test_a_header_name_spelling_a_word_only_once_decoded_is_redacted() -> None:
    # "x-\u212aey": a Kelvin sign, whose lower case is "k", sent as UTF-8.
    name = "x-\u212aey".encode()
    request = httpx.Request("GET", BASE, headers=httpx.Headers([(name, b"s1")]))
    view = redacted_request(request)
    assert dict(view.headers.raw)[name] == REDACTED.encode()


def test_remembered_header_verdicts_are_bounded_and_stay_right_past_the_bound() -> None:
    for i in range(2 * _MAX_VERDICTS):
        view = redacted_request(
            httpx.Request("GET", BASE, headers={f"x-made-up-{i}": "v", f"x-made-up-{i}-token": "t"})
        )
        assert view.headers[f"x-made-up-{i}"] == "v"
        assert view.headers[f"x-made-up-{i}-token"] == REDACTED
    assert len(_header_verdicts) <= _MAX_VERDICTS


def test_an_escaped_credential_name_a_redirect_adds_is_redacted_on_what_users_reach(
    client: AzureOpenAI, mock_api: respx.MockRouter
) -> None:
    # The query is the service's, as the redirect wrote it: "%6Bey" is "key" once decoded.
    moved = "/openai/threads/{}?api-version=1&%6Bey=q-hidden"
    mock_api.get("/threads/t").respond(302, headers={"location": moved.format("t2")})
    mock_api.get("/threads/t2").respond(200, json={"id": "t2", "object": "thread"})
    mock_api.get("/threads/bad").respond(302, headers={"location": moved.format("bad2")})
    mock_api.get("/threads/bad2").respond(400, json={"error": {"code": "x"}})
    client = client.with_options(max_retries=0)
    raw = client.with_raw_response.threads.retrieve("t")
    with pytest.raises(BadRequestError) as info:
        client.threads.retrieve("bad")
    assert info.value.request is not None
    for request in (raw.http_response.request, info.value.request, info.value.response.request):
        assert request.url.params["key"] == REDACTED
        assert "q-hidden" not in str(request.url)
        assert request.headers["api-key"] == REDACTED
