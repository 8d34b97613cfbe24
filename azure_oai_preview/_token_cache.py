"""Entra ID token caching as a sans-IO core: when to ask the credential, and who asks.

:class:`TokenCache` makes every decision - is the cached token good, is it due for a
refresh, is someone already asking the credential, did the credential just fail, what does
a 401 challenge call for - and never calls the credential itself. Its two procedures,
:meth:`TokenCache.token` and :meth:`TokenCache.challenge`, are generators that *yield* what
they need done:

* :class:`Fetch` - call the credential with this request and send back the result (or the
  exception it raised);
* :class:`Wait` - another caller is asking the credential: wait for this event, send None.

The sync and async bearer auth (``_auth.py``) are thin drivers that perform those two steps
with threads or with anyio, exactly like the transport's drivers perform the exchange's
steps. State changes happen under a short ``threading.Lock`` (never held across a step),
so one cache serves threads and tasks alike.

Rules, in one place:

* A token is used until its ``refresh_on`` (when the credential gives one), else until
  ``refresh_margin`` seconds before it expires - but never less than half its lifetime,
  so a token that lives shorter than the margin is still cached.
* Single flight: one credential call at a time. Callers without a valid token wait for
  it and share its outcome; callers that still hold a valid token keep using it meanwhile.
* A failed refresh while the token is still valid is logged at debug level, and the
  credential is asked again after a back-off; once no valid token is left, the failure is
  raised as :class:`~._exceptions.CredentialError` (the credential's exception chained),
  and for ``_FAILURE_COOLDOWN`` seconds new callers get it again without a new call.
* A 401 challenge drops the token and asks for a new one (with the challenge's claims),
  once per challenge: concurrent and recent challenges with the same claims share it.
"""

from __future__ import annotations

import inspect
import logging
import threading
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar, cast

from ._challenge import bearer_challenge
from ._credentials import AccessTokenLike, TokenRequest, header_secret
from ._exceptions import CredentialError

__all__ = ["Done", "Fetch", "ProviderTokens", "TokenCache", "Wait", "advance"]

_log = logging.getLogger("azure_oai_preview")

# After a proactive refresh fails, keep serving the current token and ask again only after
# this long (or half the token's remaining life, if that is sooner).
_FAILED_REFRESH_RETRY_DELAY = 30.0
# With no valid token to fall back on, a failure is handed to new callers for this long
# before the credential is asked again: bounded load on a struggling identity endpoint.
_FAILURE_COOLDOWN = 2.0
# Challenges with the same claims within this window were caused by the same rejected
# token (requests in flight when it was rejected): they share one refresh.
_CHALLENGE_WINDOW = 10.0


class Event(Protocol):
    """``threading.Event`` or ``anyio.Event``: the drivers wait on it, the cache sets it."""

    def set(self) -> None: ...


E = TypeVar("E", bound=Event)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Fetch:
    """Step: call the credential for ``request``; send back its token or its exception."""

    request: TokenRequest


@dataclass(frozen=True, slots=True)
class Wait(Generic[E]):
    """Step: wait until ``event`` is set (another caller's credential call ended)."""

    event: E


@dataclass(frozen=True, slots=True)
class Done(Generic[T]):
    """What a procedure returned (see :func:`advance`)."""

    value: T


def advance(
    steps: Generator[Fetch | Wait[E], object, T], outcome: object
) -> Fetch | Wait[E] | Done[T]:
    """Send ``outcome`` into a procedure; its next step, or :class:`Done` with its result."""
    try:
        return steps.send(outcome)
    except StopIteration as stop:
        return Done(stop.value)


@dataclass(frozen=True, slots=True)
class _CachedToken:
    value: str = field(repr=False)
    expires_on: float
    refresh_at: float


@dataclass(slots=True)
class _Flight(Generic[E]):
    """One credential call in progress."""

    done: E
    request: TokenRequest
    challenged: bool = False
    rejected: str | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class _Failure:
    error: Exception
    at: float


@dataclass(frozen=True, slots=True)
class _Answer:
    """How the last challenge was answered: a new token, or not (or the error)."""

    claims: str | None
    at: float
    renewed: bool
    failure: _Failure | None = None


class TokenCache(Generic[E]):
    """The token cache and its refresh decisions; see the module docstring for the rules.

    ``new_event`` makes the event a flight's waiters wait on (``threading.Event`` for the
    sync driver, ``anyio.Event`` for the async one); ``source`` names the credential in
    errors and logs.
    """

    __slots__ = (
        "_answer",
        "_clock",
        "_current",
        "_failure",
        "_flight",
        "_lock",
        "_new_event",
        "_refresh_margin",
        "_scopes",
        "_source",
        "accepts_claims",
    )

    def __init__(
        self,
        *,
        scopes: tuple[str, ...],
        refresh_margin: float,
        clock: Callable[[], float],
        new_event: Callable[[], E],
        source: str,
        accepts_claims: bool = True,
    ) -> None:
        self._scopes = scopes
        self._refresh_margin = refresh_margin
        self._clock = clock
        self._new_event = new_event
        self._source = source
        self.accepts_claims = accepts_claims
        self._lock = threading.Lock()
        self._current: _CachedToken | None = None
        self._flight: _Flight[E] | None = None
        self._failure: _Failure | None = None
        self._answer: _Answer | None = None

    # -- procedures -------------------------------------------------------------------------

    def token(self) -> Generator[Fetch | Wait[E], object, str]:
        """A token for the next request."""
        while True:
            with self._lock:
                step = self._plan_token()
            if isinstance(step, str):
                return step
            if isinstance(step, Wait):
                yield step
                continue
            return (yield from self._fly(step))

    def challenge(self, www_authenticate: str) -> Generator[Fetch | Wait[E], object, bool]:
        """Answer a 401's challenge: True when a new token is worth one resend."""
        challenge = bearer_challenge(www_authenticate)
        if challenge is None or (challenge.claims is not None and not self.accepts_claims):
            return False
        claims = challenge.claims
        with self._lock:
            # The token requests were sent with, most likely the one refused.
            rejected = self._current.value if self._current is not None else None
        while True:
            with self._lock:
                step = self._plan_challenge(claims, rejected)
            if isinstance(step, bool):
                return step
            if isinstance(step, Wait):
                yield step
                continue
            token = yield from self._fly(step)
            return token != rejected

    # -- decisions (under the lock) ---------------------------------------------------------

    def _plan_token(self) -> str | Wait[E] | _Flight[E]:
        now = self._clock()
        current = self._current
        if current is not None and now < current.refresh_at:
            return current.value
        valid = current is not None and now < current.expires_on
        if self._flight is not None:
            # Someone is asking already: keep using a still valid token, else wait for theirs.
            return current.value if valid and current else Wait(self._flight.done)
        failure = self._failure
        if not valid and failure is not None and now < failure.at + _FAILURE_COOLDOWN:
            raise self._error(failure, now) from failure.error
        return self._take_off(TokenRequest(self._scopes))

    def _plan_challenge(
        self, claims: str | None, rejected: str | None
    ) -> bool | Wait[E] | _Flight[E]:
        now = self._clock()
        if self._flight is not None:
            return Wait(self._flight.done)
        answer = self._answer
        if answer is not None and answer.claims == claims and now < answer.at + _CHALLENGE_WINDOW:
            if answer.failure is not None:
                raise self._error(answer.failure, now) from answer.failure.error
            return answer.renewed
        # The token was refused: nobody may use it while the new one is fetched.
        self._current = None
        flight = self._take_off(TokenRequest(self._scopes, claims))
        flight.challenged = True
        flight.rejected = rejected
        return flight

    def _take_off(self, request: TokenRequest) -> _Flight[E]:
        flight = _Flight(self._new_event(), request)
        self._flight = flight
        self._failure = None  # superseded by this attempt's outcome
        return flight

    # -- one credential call ----------------------------------------------------------------

    def _fly(self, flight: _Flight[E]) -> Generator[Fetch | Wait[E], object, str]:
        landed = False
        try:
            outcome = yield Fetch(flight.request)
            if isinstance(outcome, BaseException) and not isinstance(outcome, Exception):
                raise outcome  # cancelled or interrupted: not a verdict on the credential
            landed = True
            with self._lock:
                return self._land(flight, outcome)
        finally:
            with self._lock:
                if not landed and self._flight is flight:
                    self._flight = None
            flight.done.set()

    def _land(self, flight: _Flight[E], outcome: object) -> str:
        self._flight = None
        now = self._clock()
        if isinstance(outcome, Exception):
            return self._failed(flight, _Failure(outcome, now))
        token = self._store(outcome, now)
        self._failure = None
        if flight.challenged:
            renewed = token != flight.rejected
            self._answer = _Answer(flight.request.claims, now, renewed)
        return token

    def _store(self, fetched: object, now: float) -> str:
        value: object = getattr(fetched, "token", None)
        # Checked at runtime as well: a credential is user code, whatever its annotations say.
        if not isinstance(value, str) or not value:
            raise CredentialError(
                f"{self._source} returned no token (an empty or non-string token, or no "
                "token object at all)",
                source=self._source,
                scopes=self._scopes,
            )
        try:
            value = header_secret(value, "the token", prefix="Bearer ")
        except ValueError as exc:
            raise CredentialError(
                f"{self._source} returned a token that cannot be sent: {exc}",
                source=self._source,
                scopes=self._scopes,
            ) from None
        expires_on = float(cast("AccessTokenLike", fetched).expires_on)
        refresh_on: object = getattr(fetched, "refresh_on", None)
        if isinstance(refresh_on, (int, float)):
            # The credential knows best (MSAL picks e.g. half the lifetime) ...
            refresh_at = min(float(refresh_on), expires_on)
        else:
            # ... otherwise leave a margin for clock skew and slow requests, but at most
            # half the lifetime, or a short-lived token would be fetched for every request.
            margin = min(self._refresh_margin, max(expires_on - now, 0.0) / 2)
            refresh_at = expires_on - margin
        self._current = _CachedToken(value, expires_on, refresh_at)
        _log.debug(
            "Got an Entra ID token from %s for %s; it expires in %.0f s, refresh in %.0f s",
            self._source,
            " ".join(self._scopes),
            expires_on - now,
            refresh_at - now,
        )
        return value

    def _failed(self, flight: _Flight[E], failure: _Failure) -> str:
        current = self._current
        now = failure.at
        if current is not None and now < current.expires_on:
            # A proactive refresh failed but the token is still good: keep using it, and
            # back off before asking the credential again (while the token lasts).
            delay = min(_FAILED_REFRESH_RETRY_DELAY, (current.expires_on - now) / 2)
            self._current = _CachedToken(current.value, current.expires_on, now + delay)
            _log.debug(
                "Proactive Entra ID token refresh failed (%s); reusing the current token, "
                "which expires in %.0f s",
                type(failure.error).__name__,
                current.expires_on - now,
            )
            return current.value
        self._failure = failure
        if flight.challenged:
            self._answer = _Answer(flight.request.claims, now, False, failure)
        _log.debug("Entra ID token request failed: %s", type(failure.error).__name__)
        raise self._error(failure, now) from failure.error

    def _error(self, failure: _Failure, now: float) -> CredentialError:
        message = (
            f"{self._source} could not provide a Microsoft Entra ID token for "
            f"{' '.join(self._scopes)}: {type(failure.error).__name__} (the chained "
            "exception has the details)"
        )
        if now > failure.at:
            message += (
                f"; this failure is {now - failure.at:.1f} s old, and the credential is asked "
                f"again {_FAILURE_COOLDOWN:.0f} s after it"
            )
        return CredentialError(message, source=self._source, scopes=self._scopes)

    def __repr__(self) -> str:
        current = self._current
        expiry = "none" if current is None else f"expires_on={current.expires_on:.0f}"
        return f"<token cache: {expiry}>"


class ProviderTokens:
    """A token provider behind the same two procedures as :class:`TokenCache`.

    Providers (``get_bearer_token_provider``...) cache on their own, so each request asks
    the provider (one :class:`Fetch` step) and nothing is cached here. A provider cannot
    take claims, so a challenge calls it once more, and is worth a resend only when that
    gives a token other than the last one it gave: a CAE claims challenge therefore cannot
    be answered through a provider until its own cache lets the old token go.
    """

    __slots__ = ("_last", "_may_await", "_name")

    _REQUEST = TokenRequest(())

    def __init__(self, name: str, *, may_await: bool) -> None:
        self._name = name
        self._may_await = may_await
        self._last: str | None = None

    def token(self) -> Generator[Fetch, object, str]:
        outcome = yield Fetch(self._REQUEST)
        if isinstance(outcome, BaseException):
            if not isinstance(outcome, Exception):
                raise outcome
            raise CredentialError(
                f"the token provider {self._name} failed: {type(outcome).__name__} (the "
                "chained exception has the details)",
                source=self._name,
            ) from outcome
        if inspect.isawaitable(outcome) and not self._may_await:
            if inspect.iscoroutine(outcome):
                outcome.close()  # never awaited by design; avoid the RuntimeWarning
            raise TypeError(
                "azure_ad_token_provider returned an awaitable, which the sync client cannot "
                "await: pass a sync provider, or use the async client"
            )
        if not isinstance(outcome, str) or not outcome:
            raise TypeError(
                f"azure_ad_token_provider must return a non-empty str, got {type(outcome).__name__}"
            )
        try:
            token = header_secret(outcome, "the token", prefix="Bearer ")
        except ValueError as exc:
            raise CredentialError(
                f"the token provider {self._name} returned a token that cannot be sent: {exc}",
                source=self._name,
            ) from None
        self._last = token
        return token

    def challenge(self, www_authenticate: str) -> Generator[Fetch, object, bool]:
        if bearer_challenge(www_authenticate) is None:
            return False
        previous = self._last
        return (yield from self.token()) != previous

    def __repr__(self) -> str:
        return f"<token provider {self._name}>"
