"""Fakes for the auth tests, implementing azure-core's documented credential protocols.

The credentials return azure-core's own ``AccessToken`` / ``AccessTokenInfo`` and mint tokens
that expire relative to a :class:`FakeClock`, so tests move the clock instead of sleeping.
Every token contains "secret", so tests can assert none leaks.
"""

from __future__ import annotations

import threading
import time
from types import TracebackType
from typing import Any

import anyio
from azure.core.credentials import AccessToken, AccessTokenInfo, TokenRequestOptions

START = 1_700_000_000.0
LIFETIME = 3600


class FakeClock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now


class _Issuer:
    """Counts requests, records what they asked for, and mints (or refuses) tokens."""

    def __init__(self, clock: FakeClock, lifetime: float) -> None:
        self.clock = clock
        self.lifetime = lifetime
        self.calls = 0
        self.scopes: list[tuple[str, ...]] = []
        self.requests: list[dict[str, Any]] = []
        self.thread_ids: list[int] = []
        self.error: Exception | None = None
        # Like azure-identity's own cache: hand out the first token again and again.
        self.reuse_first_token = False

    def _issue(self, scopes: tuple[str, ...], **request: Any) -> tuple[str, int]:
        self.calls += 1
        self.scopes.append(scopes)
        self.requests.append(request)
        self.thread_ids.append(threading.get_ident())
        if self.error is not None:
            raise self.error
        number = 1 if self.reuse_first_token else self.calls
        return f"token-{number}-secret", int(self.clock() + self.lifetime)


class FakeCredential(_Issuer):
    """azure-core's ``TokenCredential`` protocol."""

    def __init__(self, clock: FakeClock, *, delay: float = 0.0, lifetime: float = LIFETIME) -> None:
        super().__init__(clock, lifetime)
        self.delay = delay

    def get_token(
        self,
        *scopes: str,
        claims: str | None = None,
        tenant_id: str | None = None,
        enable_cae: bool = False,
        **kwargs: Any,
    ) -> AccessToken:
        if self.delay:
            time.sleep(self.delay)  # widen the window in which other threads pile up
        return AccessToken(*self._issue(scopes, claims=claims, enable_cae=enable_cae))


class FakeTokenInfoCredential(FakeCredential):
    """Also azure-core's ``SupportsTokenInfo``, which is preferred; refresh_on is configurable."""

    def __init__(
        self, clock: FakeClock, *, refresh_after: float | None = None, lifetime: float = LIFETIME
    ) -> None:
        super().__init__(clock, lifetime=lifetime)
        self.refresh_after = refresh_after
        self.info_calls = 0
        self.options: list[TokenRequestOptions | None] = []

    def get_token_info(
        self, *scopes: str, options: TokenRequestOptions | None = None
    ) -> AccessTokenInfo:
        self.info_calls += 1
        self.options.append(options)
        token, expires_on = self._issue(scopes, **(options or {}))
        refresh_on = None if self.refresh_after is None else int(self.clock() + self.refresh_after)
        return AccessTokenInfo(token, expires_on, refresh_on=refresh_on)


class FakeAsyncCredential(_Issuer):
    """azure-core's ``AsyncTokenCredential`` protocol.

    ``gate``, when set, holds the first request until it is set (or the caller is cancelled);
    ``started`` counts requests begun, ``calls`` those that got to mint a token.
    """

    def __init__(
        self, clock: FakeClock, *, delay: float = 0.01, lifetime: float = LIFETIME
    ) -> None:
        super().__init__(clock, lifetime)
        self.delay = delay
        self.gate: anyio.Event | None = None
        self.started = 0

    async def get_token(
        self,
        *scopes: str,
        claims: str | None = None,
        tenant_id: str | None = None,
        enable_cae: bool = False,
        **kwargs: Any,
    ) -> AccessToken:
        self.started += 1
        if self.gate is not None and self.started == 1:
            await self.gate.wait()
        await anyio.sleep(self.delay)  # let every other task pile up meanwhile
        return AccessToken(*self._issue(scopes, claims=claims, enable_cae=enable_cae))

    async def close(self) -> None:
        pass

    async def __aenter__(self) -> FakeAsyncCredential:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc_value: BaseException | None = None,
        traceback: TracebackType | None = None,
    ) -> None:
        pass


CREDENTIAL_KINDS = ["async", "sync", "azure-identity chain"]


def credential_for_async_client(
    kind: str, clock: FakeClock, *, lifetime: float = LIFETIME
) -> tuple[_Issuer, Any]:
    """A fake to count calls with, and the credential to give the async client: the fake
    itself (async or sync), or a real ``azure.identity.aio.ChainedTokenCredential`` over it."""
    from azure.identity.aio import ChainedTokenCredential

    if kind == "sync":
        fake = FakeCredential(clock, delay=0.01, lifetime=lifetime)
        return fake, fake
    fake_async = FakeAsyncCredential(clock, lifetime=lifetime)
    return fake_async, ChainedTokenCredential(fake_async) if kind != "async" else fake_async
