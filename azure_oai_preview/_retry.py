"""When to retry a request, and how long to wait first.

Pure decision logic: no sleeping, no I/O, no global randomness or clock unless the caller
leaves them to the defaults, so every branch can be tested deterministically. The client's
send loop owns the actual waiting.

Counting convention used throughout: ``attempt`` is the number of retries already made, so
it is 0 when deciding about the first retry. With ``max_retries=0`` a request is sent exactly
once.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timezone
from email.utils import parsedate_to_datetime

import httpx

__all__ = ["RetryPolicy", "server_requested_delay"]

# 408 Request Timeout, 409 Conflict (Azure uses it for transient lock/state conflicts),
# 429 Too Many Requests. Every 5xx is checked separately.
_RETRYABLE_STATUS_CODES = frozenset({408, 409, 429})

# Network failures that happen before the service could have acted on the request (connect),
# or where waiting longer is the usual fix (timeouts, an exhausted connection pool).
_RETRYABLE_EXCEPTIONS: tuple[type[BaseException], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.ReadTimeout,
    httpx.WriteTimeout,
    httpx.PoolTimeout,
)

# Beyond 2**this the delay is far past any sane max_delay; capping the exponent keeps a huge
# attempt number from overflowing a float.
_MAX_EXPONENT = 32


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Exponential backoff with jitter that defers to the service's retry hints.

    ``jitter`` is the fraction by which a backoff delay may be *shortened* at random
    (0.25 → somewhere in [75 %, 100 %] of the nominal delay), so ``max_delay`` stays a hard
    upper bound while concurrent clients still spread out. A delay the service asked for is
    used as is when it is within ``(0, max_server_delay]`` seconds; anything else (zero,
    negative, unparseable, or absurdly long) falls back to the policy's own backoff.
    """

    max_retries: int = 2
    initial_delay: float = 0.5
    max_delay: float = 8.0
    jitter: float = 0.25
    max_server_delay: float = 60.0

    def __post_init__(self) -> None:
        if isinstance(self.max_retries, bool) or not isinstance(self.max_retries, int):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise TypeError(f"max_retries must be an int, got {type(self.max_retries).__name__}")
        if self.max_retries < 0:
            raise ValueError(f"max_retries must be >= 0, got {self.max_retries}")
        if not 0 <= self.initial_delay <= self.max_delay:
            raise ValueError(
                "need 0 <= initial_delay <= max_delay, "
                f"got initial_delay={self.initial_delay}, max_delay={self.max_delay}"
            )
        if not 0 <= self.jitter <= 1:
            raise ValueError(f"jitter must be between 0 and 1, got {self.jitter}")
        if not self.max_server_delay > 0:
            raise ValueError(f"max_server_delay must be > 0, got {self.max_server_delay}")

    def retry_after(
        self,
        attempt: int,
        failure: BaseException | httpx.Response,
        *,
        response_started: bool = False,
    ) -> float | None:
        """The one retry decision: seconds to wait before retry ``attempt + 1``, or None to give up.

        ``failure`` is what went wrong: the exception httpx raised (``response_started``
        says whether a response had begun, see :meth:`should_retry_exception`), or an error
        response, whose retry hints are honoured (see :meth:`delay`).
        """
        if attempt >= self.max_retries:
            return None
        if isinstance(failure, BaseException):
            if not self.should_retry_exception(failure, response_started=response_started):
                return None
            return self.delay(attempt, None)
        if not self.should_retry_status(failure.status_code):
            return None
        return self.delay(attempt, failure.headers)

    def retries_left(self, attempt: int) -> int:
        """How many more retries are allowed after ``attempt`` retries were made."""
        return max(0, self.max_retries - attempt)

    def should_retry_status(self, status_code: int) -> bool:
        """Whether a response with this status is worth retrying (408, 409, 429, 5xx)."""
        return status_code in _RETRYABLE_STATUS_CODES or 500 <= status_code <= 599

    def should_retry_exception(self, exc: BaseException, *, response_started: bool = False) -> bool:
        """Whether a request that failed with ``exc`` (raised by httpx) is worth retrying.

        Connect errors and connect/read/write/pool timeouts are retried.
        ``httpx.RemoteProtocolError``, ``ReadError`` and ``WriteError`` are retried only if no response had started
        (``response_started=False``, the default): it is then almost always a pooled
        keep-alive connection the server had already closed, whereas after the status line
        it means a response was cut off, and the request must not be replayed blindly.
        Everything else, including cancellation and programming errors, is not retried.
        """
        if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
            # Before a response starts these are, in practice, a pooled connection the
            # server had already dropped (a reset on reuse); the request never ran.
            return not response_started
        return isinstance(exc, _RETRYABLE_EXCEPTIONS)

    def delay(
        self,
        attempt: int,
        headers: httpx.Headers | Mapping[str, str] | None = None,
        *,
        now: float | None = None,
        rng: random.Random | None = None,
    ) -> float:
        """Seconds to wait before retry number ``attempt + 1``.

        ``headers`` are those of the failed response, if there was one: a sane
        ``retry-after-ms`` / ``x-ms-retry-after-ms`` / ``retry-after`` wins. Otherwise
        ``initial_delay * 2**attempt``, capped at ``max_delay``, shortened by up to
        ``jitter``. ``now`` (Unix time, for HTTP-date values) and ``rng`` are injectable
        for tests.
        """
        if headers is not None:
            requested = server_requested_delay(headers, now=now)
            if requested is not None and 0 < requested <= self.max_server_delay:
                return requested
        nominal = min(self.initial_delay * 2 ** min(max(attempt, 0), _MAX_EXPONENT), self.max_delay)
        fraction = (rng or random).random()
        return nominal * (1 - self.jitter * fraction)


def server_requested_delay(
    headers: httpx.Headers | Mapping[str, str], *, now: float | None = None
) -> float | None:
    """The delay in seconds the service asked for, or ``None`` if it did not say (usably).

    Checks, in order: ``retry-after-ms`` and ``x-ms-retry-after-ms`` (milliseconds, Azure and
    OpenAI send fractional values too), then ``retry-after`` (delta-seconds or an HTTP-date,
    RFC 9110 §10.2.3). The result may be zero or negative (a date in the past); judging
    whether it is sane is the policy's job.
    """
    if not isinstance(headers, httpx.Headers):
        headers = httpx.Headers(headers)
    for name in ("retry-after-ms", "x-ms-retry-after-ms"):
        milliseconds = _parse_finite_float(headers.get(name))
        if milliseconds is not None:
            return milliseconds / 1000
    retry_after = headers.get("retry-after")
    if retry_after is None:
        return None
    seconds = _parse_finite_float(retry_after)
    if seconds is not None:
        return seconds
    return _seconds_until_http_date(retry_after, now=now)


def _parse_finite_float(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    # float() also accepts "nan" and "inf", which are no use as a delay.
    return number if math.isfinite(number) else None


def _seconds_until_http_date(value: str, *, now: float | None) -> float | None:
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        # Python 3.10 raises TypeError for unparseable dates, later versions ValueError.
        return None
    if moment.tzinfo is None:
        # "-0000" (RFC 5322: UTC, source zone unknown) comes back naive.
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp() - (time.time() if now is None else now)
