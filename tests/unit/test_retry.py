from __future__ import annotations

import random
from datetime import datetime, timezone
from email.utils import format_datetime
from typing import Any

import httpx
import pytest

from azure_oai_preview._retry import RetryPolicy, server_requested_delay

NOW = 1_700_000_000.0  # a fixed "current time" for HTTP-date tests


class FixedRandom(random.Random):
    """random() always returns the same value, to pin the jitter."""

    def __init__(self, value: float) -> None:
        super().__init__()
        self.value = value

    def random(self) -> float:
        return self.value


NO_JITTER = FixedRandom(0.0)
FULL_JITTER = FixedRandom(0.999999)


def http_date(timestamp: float) -> str:
    return format_datetime(datetime.fromtimestamp(timestamp, tz=timezone.utc), usegmt=True)


# -- statuses -------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503, 504, 599])
def test_retryable_statuses(status: int) -> None:
    assert RetryPolicy().should_retry_status(status)


@pytest.mark.parametrize("status", [200, 201, 204, 301, 400, 401, 403, 404, 413, 422, 499, 600])
def test_non_retryable_statuses(status: int) -> None:
    assert not RetryPolicy().should_retry_status(status)


# -- retry budget ---------------------------------------------------------------------------------


def test_retries_left_counts_down_from_max_retries() -> None:
    policy = RetryPolicy(max_retries=2)
    assert [policy.retries_left(attempt) for attempt in range(4)] == [2, 1, 0, 0]


def test_max_retries_zero_means_send_once() -> None:
    # The first retry decision is made with attempt=0 and must already say no.
    assert RetryPolicy(max_retries=0).retries_left(0) == 0


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_retries": -1},
        {"initial_delay": -0.1},
        {"initial_delay": 10.0, "max_delay": 1.0},
        {"jitter": 1.5},
        {"jitter": -0.1},
        {"max_server_delay": 0.0},
    ],
)
def test_invalid_policies_are_rejected(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=r"must|need"):
        RetryPolicy(**kwargs)


def test_policy_is_immutable() -> None:
    policy = RetryPolicy()
    with pytest.raises(AttributeError):
        policy.max_retries = 5  # type: ignore[misc]


# -- server-requested delays ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"retry-after-ms": "1500"}, 1.5),
        ({"retry-after-ms": "250.5"}, 0.2505),
        ({"x-ms-retry-after-ms": "2000"}, 2.0),
        ({"Retry-After": "3"}, 3.0),
        ({"retry-after": "0.5"}, 0.5),
        # The millisecond headers are more precise and win over retry-after.
        ({"retry-after-ms": "100", "retry-after": "7"}, 0.1),
        ({"x-ms-retry-after-ms": "100", "retry-after": "7"}, 0.1),
        # An unusable millisecond value does not hide a usable retry-after.
        ({"retry-after-ms": "soon", "retry-after": "7"}, 7.0),
    ],
)
def test_server_delay_is_honoured(headers: dict[str, str], expected: float) -> None:
    policy = RetryPolicy()
    assert policy.delay(0, headers, rng=NO_JITTER) == pytest.approx(expected)
    assert policy.delay(0, httpx.Headers(headers), rng=NO_JITTER) == pytest.approx(expected)
    # A server-requested delay is used as is: no backoff growth, no jitter.
    assert policy.delay(3, headers, rng=FULL_JITTER) == pytest.approx(expected)


def test_retry_after_http_date_is_relative_to_now() -> None:
    headers = {"retry-after": http_date(NOW + 12)}
    assert server_requested_delay(headers, now=NOW) == pytest.approx(12)
    assert RetryPolicy().delay(0, headers, now=NOW, rng=NO_JITTER) == pytest.approx(12)


def test_retry_after_http_date_with_unknown_zone_is_utc() -> None:
    headers = {"retry-after": http_date(NOW + 5).replace("GMT", "-0000")}
    assert server_requested_delay(headers, now=NOW) == pytest.approx(5)


def test_retry_after_http_date_in_the_past_falls_back_to_backoff() -> None:
    headers = {"retry-after": http_date(NOW - 30)}
    assert server_requested_delay(headers, now=NOW) == pytest.approx(-30)
    assert RetryPolicy().delay(0, headers, now=NOW, rng=NO_JITTER) == 0.5


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"retry-after": "garbage"},
        {"retry-after": ""},
        {"retry-after": "Wed, 99 Oct 2015 07:28:00 GMT"},
        {"retry-after": "nan"},
        {"retry-after-ms": "inf"},
        {"retry-after": "-5"},  # negative
        {"retry-after-ms": "-100"},
        {"retry-after": "0"},  # zero is not a delay worth trusting over backoff
        {"retry-after": "61"},  # longer than max_server_delay
        {"retry-after-ms": "3600000"},  # an hour
        {"retry-after": "1e308"},
        {"retry-after": http_date(NOW + 3600)},  # an hour away
    ],
)
def test_unusable_server_delay_falls_back_to_backoff(headers: dict[str, str]) -> None:
    assert RetryPolicy().delay(0, headers, now=NOW, rng=NO_JITTER) == 0.5
    assert RetryPolicy().delay(2, headers, now=NOW, rng=NO_JITTER) == 2.0


def test_server_delay_limit_is_configurable() -> None:
    policy = RetryPolicy(max_server_delay=120)
    assert policy.delay(0, {"retry-after": "90"}) == 90


def test_no_headers_means_backoff() -> None:
    assert RetryPolicy().delay(1, None, rng=NO_JITTER) == 1.0


def test_server_requested_delay_reports_absence_as_none() -> None:
    assert server_requested_delay({}) is None
    assert server_requested_delay({"retry-after": "whenever"}) is None


# -- backoff --------------------------------------------------------------------------------------


def test_backoff_doubles_and_is_capped() -> None:
    policy = RetryPolicy(initial_delay=0.5, max_delay=8.0)
    delays = [policy.delay(attempt, rng=NO_JITTER) for attempt in range(8)]
    assert delays == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0, 8.0]


def test_huge_attempt_numbers_do_not_overflow() -> None:
    assert RetryPolicy().delay(10_000, rng=NO_JITTER) == 8.0


def test_jitter_only_shortens_and_stays_within_bounds() -> None:
    policy = RetryPolicy(initial_delay=1.0, max_delay=8.0, jitter=0.25)
    rng = random.Random(1234)
    for attempt in range(6):
        nominal = min(2.0**attempt, 8.0)
        samples = [policy.delay(attempt, rng=rng) for _ in range(500)]
        assert all(0.75 * nominal <= sample <= nominal for sample in samples)
        # ...and actually spreads the delays out.
        assert max(samples) - min(samples) > 0.2 * nominal * 0.25


def test_jitter_extremes() -> None:
    policy = RetryPolicy(initial_delay=2.0, jitter=0.25)
    assert policy.delay(0, rng=NO_JITTER) == 2.0
    assert policy.delay(0, rng=FULL_JITTER) == pytest.approx(1.5)


def test_zero_jitter_is_deterministic() -> None:
    policy = RetryPolicy(jitter=0.0)
    assert {policy.delay(1) for _ in range(20)} == {1.0}


def test_seeded_rng_is_reproducible() -> None:
    policy = RetryPolicy()
    first = [policy.delay(a, rng=random.Random(7)) for a in range(4)]
    second = [policy.delay(a, rng=random.Random(7)) for a in range(4)]
    assert first == second


# -- exceptions -----------------------------------------------------------------------------------

_REQUEST = httpx.Request("POST", "https://example.openai.azure.com/openai/v1/chat/completions")


@pytest.mark.parametrize(
    "exc",
    [
        httpx.ConnectError("refused", request=_REQUEST),
        httpx.ConnectTimeout("slow connect", request=_REQUEST),
        httpx.ReadTimeout("slow read", request=_REQUEST),
        httpx.WriteTimeout("slow write", request=_REQUEST),
        httpx.PoolTimeout("pool exhausted", request=_REQUEST),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
        httpx.ReadError("reset", request=_REQUEST),
        httpx.WriteError("broken pipe", request=_REQUEST),
    ],
    ids=lambda exc: type(exc).__name__,
)
def test_retryable_exceptions(exc: BaseException) -> None:
    assert RetryPolicy().should_retry_exception(exc)


@pytest.mark.parametrize(
    "exc",
    [
        httpx.LocalProtocolError("bad header"),
        httpx.UnsupportedProtocol("ftp"),
        httpx.DecodingError("bad gzip"),
        httpx.TooManyRedirects("loop"),
        httpx.HTTPStatusError("500", request=_REQUEST, response=httpx.Response(500)),
        ValueError("bug"),
        KeyboardInterrupt(),
        TimeoutError(),  # only httpx's own classification counts
    ],
    ids=lambda exc: type(exc).__name__,
)
def test_non_retryable_exceptions(exc: BaseException) -> None:
    assert not RetryPolicy().should_retry_exception(exc)


@pytest.mark.parametrize(
    "exc",
    [
        httpx.RemoteProtocolError("peer closed connection without sending complete message body"),
        httpx.ReadError("reset", request=_REQUEST),
        httpx.WriteError("broken pipe", request=_REQUEST),
    ],
    ids=lambda exc: type(exc).__name__,
)
def test_connection_errors_after_response_started_are_not_retried(exc: BaseException) -> None:
    assert not RetryPolicy().should_retry_exception(exc, response_started=True)


def test_timeouts_stay_retryable_after_response_started() -> None:
    # Timeouts stay retryable: the caller decides separately whether replaying is safe.
    assert RetryPolicy().should_retry_exception(
        httpx.ReadTimeout("slow", request=_REQUEST), response_started=True
    )


# -- the one retry decision ---------------------------------------------------------------------


def test_retry_after_gives_up_when_no_retry_is_left() -> None:
    policy = RetryPolicy(max_retries=2, jitter=0)
    assert policy.retry_after(0, httpx.ConnectError("refused")) == 0.5
    assert policy.retry_after(1, httpx.ConnectError("refused")) == 1.0
    assert policy.retry_after(2, httpx.ConnectError("refused")) is None


def test_retry_after_honours_the_answer_hint_and_status() -> None:
    policy = RetryPolicy(max_retries=2, jitter=0)
    throttled = httpx.Response(429, headers={"retry-after": "3"})
    assert policy.retry_after(0, throttled) == 3.0
    assert policy.retry_after(0, httpx.Response(503)) == 0.5
    assert policy.retry_after(0, httpx.Response(400, headers={"retry-after": "3"})) is None


def test_retry_after_a_started_answer_only_replays_timeouts() -> None:
    policy = RetryPolicy(max_retries=2, jitter=0)
    assert policy.retry_after(0, httpx.ReadError("reset"), response_started=False) == 0.5
    assert policy.retry_after(0, httpx.ReadError("reset"), response_started=True) is None
    assert policy.retry_after(0, httpx.ReadTimeout("slow"), response_started=True) == 0.5
