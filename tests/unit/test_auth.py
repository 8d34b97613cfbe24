from __future__ import annotations

import threading
import time
import warnings
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
import pytest
from _auth_support import (
    LIFETIME,
    START,
    FakeAsyncCredential,
    FakeClock,
    FakeCredential,
    FakeTokenInfoCredential,
)
from azure.core.credentials import AccessToken
from azure.core.exceptions import ClientAuthenticationError
from azure.identity import ChainedTokenCredential, get_bearer_token_provider
from azure.identity.aio import ChainedTokenCredential as AsyncChainedTokenCredential
from azure.identity.aio import get_bearer_token_provider as get_async_bearer_token_provider

from azure_oai_preview import CredentialError
from azure_oai_preview._auth import ApiKeyAuth, resolve_auth
from azure_oai_preview._bearer import AsyncBearerTokenAuth, BearerTokenAuth
from azure_oai_preview._credentials import COGNITIVE_SERVICES_SCOPE

SECRET_KEY = "sk-very-secret-api-key-0123456789"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def sync_auth(credential: Any, clock: FakeClock, **kwargs: Any) -> BearerTokenAuth:
    return BearerTokenAuth(credential=credential, clock=clock, **kwargs)


# -- api key -------------------------------------------------------------------------------------


def test_api_key_header() -> None:
    assert ApiKeyAuth(SECRET_KEY).headers() == {"api-key": SECRET_KEY}


async def test_api_key_async_header() -> None:
    assert await ApiKeyAuth(SECRET_KEY).async_headers() == {"api-key": SECRET_KEY}


def test_api_key_is_never_shown() -> None:
    auth = ApiKeyAuth(SECRET_KEY)
    assert repr(auth) == "ApiKeyAuth(api_key=<redacted>)"
    assert str(auth) == repr(auth)
    assert SECRET_KEY not in f"{auth!r} {auth!s} {auth} {[auth]} {dir(auth)}"
    assert not hasattr(auth, "__dict__")
    with pytest.raises(TypeError):
        vars(auth)


def test_api_key_is_validated_without_echoing_it() -> None:
    with pytest.raises(ValueError, match="empty"):
        ApiKeyAuth("  ")
    with pytest.raises(TypeError, match="must be a str"):
        ApiKeyAuth(b"bytes-key")  # type: ignore[arg-type]


# -- bearer token: caching and refresh -----------------------------------------------------------


def test_bearer_header_and_default_scope(clock: FakeClock) -> None:
    credential = FakeCredential(clock)
    auth = sync_auth(credential, clock)
    assert auth.headers() == {"Authorization": "Bearer token-1-secret"}
    assert credential.scopes == [(COGNITIVE_SERVICES_SCOPE,)]


def test_custom_scope(clock: FakeClock) -> None:
    credential = FakeCredential(clock)
    sync_auth(credential, clock, scopes="api://custom/.default").headers()
    assert credential.scopes == [("api://custom/.default",)]


def test_token_is_cached(clock: FakeClock) -> None:
    credential = FakeCredential(clock)
    auth = sync_auth(credential, clock)
    first, second = auth.headers(), auth.headers()
    assert first == second
    assert credential.calls == 1


def test_refreshed_within_the_margin_before_expiry(clock: FakeClock) -> None:
    credential = FakeCredential(clock)
    auth = sync_auth(credential, clock)  # default margin: 300 s
    auth.headers()
    clock.now = START + LIFETIME - 301
    assert auth.headers()["Authorization"] == "Bearer token-1-secret"
    clock.now = START + LIFETIME - 299
    assert auth.headers()["Authorization"] == "Bearer token-2-secret"
    assert credential.calls == 2


def test_refresh_margin_is_configurable(clock: FakeClock) -> None:
    credential = FakeCredential(clock)
    auth = sync_auth(credential, clock, refresh_margin=60)
    auth.headers()
    clock.now = START + LIFETIME - 61
    auth.headers()
    assert credential.calls == 1
    clock.now = START + LIFETIME - 59
    auth.headers()
    assert credential.calls == 2


def test_expired_token_is_replaced(clock: FakeClock) -> None:
    credential = FakeCredential(clock)
    auth = sync_auth(credential, clock)
    auth.headers()
    clock.now = START + 10 * LIFETIME
    assert auth.headers()["Authorization"] == "Bearer token-2-secret"


def test_get_token_info_is_preferred_and_refresh_on_honoured(clock: FakeClock) -> None:
    credential = FakeTokenInfoCredential(clock, refresh_after=600)
    auth = sync_auth(credential, clock)
    auth.headers()
    assert credential.info_calls == 1
    # Long before the margin would trigger, but refresh_on says so.
    clock.now = START + 599
    auth.headers()
    assert credential.calls == 1
    clock.now = START + 600
    assert auth.headers()["Authorization"] == "Bearer token-2-secret"
    assert credential.info_calls == credential.calls == 2


def test_token_info_without_refresh_on_uses_the_margin(clock: FakeClock) -> None:
    credential = FakeTokenInfoCredential(clock, refresh_after=None)
    auth = sync_auth(credential, clock)
    auth.headers()
    clock.now = START + LIFETIME - 301
    auth.headers()
    assert credential.calls == 1
    clock.now = START + LIFETIME - 299
    auth.headers()
    assert credential.calls == 2


def test_failed_proactive_refresh_keeps_the_current_token(
    clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    credential = FakeCredential(clock)
    auth = sync_auth(credential, clock)
    auth.headers()
    credential.error = ClientAuthenticationError("IMDS unavailable")
    clock.now = START + LIFETIME - 200  # inside the margin, not expired
    with caplog.at_level("DEBUG", logger="azure_oai_preview"):
        assert auth.headers()["Authorization"] == "Bearer token-1-secret"
    assert credential.calls == 2
    assert "ClientAuthenticationError" in caplog.text
    assert "secret" not in caplog.text
    # The credential is not hammered on every request while it is failing ...
    clock.now += 10
    auth.headers()
    assert credential.calls == 2
    # ... but is asked again a little later, and its recovery is picked up.
    credential.error = None
    clock.now += 30
    assert auth.headers()["Authorization"] == "Bearer token-3-secret"


def test_failed_refresh_of_an_expired_token_raises(clock: FakeClock) -> None:
    credential = FakeCredential(clock)
    auth = sync_auth(credential, clock)
    auth.headers()
    credential.error = ClientAuthenticationError("IMDS unavailable")
    clock.now = START + LIFETIME
    with pytest.raises(CredentialError, match="ClientAuthenticationError") as info:
        auth.headers()
    assert isinstance(info.value.__cause__, ClientAuthenticationError)
    assert "IMDS unavailable" in str(info.value.__cause__)


def test_retries_during_a_failing_refresh_stop_at_expiry(clock: FakeClock) -> None:
    credential = FakeCredential(clock)
    auth = sync_auth(credential, clock)
    auth.headers()
    credential.error = ClientAuthenticationError("down")
    clock.now = START + LIFETIME - 10  # the 30 s back-off would reach past expiry
    auth.headers()
    clock.now = START + LIFETIME
    with pytest.raises(CredentialError) as info:
        auth.headers()
    assert isinstance(info.value.__cause__, ClientAuthenticationError)


def test_failure_without_any_token_raises(clock: FakeClock) -> None:
    credential = FakeCredential(clock)
    credential.error = ClientAuthenticationError("no identity")
    with pytest.raises(CredentialError) as info:
        sync_auth(credential, clock).headers()
    assert info.value.__cause__ is credential.error


def test_bad_token_from_credential_is_rejected_without_echo(clock: FakeClock) -> None:
    class Empty:
        def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
            return AccessToken("", int(START + LIFETIME))

    class Nothing:
        def get_token(self, *scopes: str, **kwargs: Any) -> Any:
            return None

    for credential in (Empty(), Nothing()):
        # In the SDK's hierarchy, like every other credential failure.
        with pytest.raises(CredentialError, match="returned no token"):
            sync_auth(credential, clock).headers()


def test_eight_threads_share_one_refresh(clock: FakeClock) -> None:
    credential = FakeCredential(clock, delay=0.05)
    auth = sync_auth(credential, clock)
    barrier = threading.Barrier(8)
    results: list[dict[str, str]] = []

    def request() -> None:
        barrier.wait()
        results.append(auth.headers())

    threads = [threading.Thread(target=request) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert credential.calls == 1
    assert results == [{"Authorization": "Bearer token-1-secret"}] * 8


def test_real_azure_identity_credential_type(clock: FakeClock) -> None:
    # ChainedTokenCredential is a real azure-identity credential that needs no network; it
    # forwards get_token_info to ours.
    inner = FakeTokenInfoCredential(clock, refresh_after=1800)
    auth = sync_auth(ChainedTokenCredential(inner), clock)
    assert auth.headers() == {"Authorization": "Bearer token-1-secret"}
    auth.headers()
    clock.now = START + 1800
    auth.headers()
    assert inner.info_calls == 2


# -- token providers -----------------------------------------------------------------------------


def test_token_provider_is_called_per_request() -> None:
    calls: list[int] = []

    def provider() -> str:
        calls.append(1)
        return "provided-secret"

    auth = BearerTokenAuth(token_provider=provider)
    assert auth.headers() == {"Authorization": "Bearer provided-secret"}
    auth.headers()
    assert len(calls) == 2


def real_time_clock() -> FakeClock:
    # For azure-core's own caching inside get_bearer_token_provider, which reads time.time().
    clock = FakeClock()
    clock.now = time.time()
    return clock


def test_azure_identity_bearer_token_provider() -> None:
    credential = FakeCredential(real_time_clock())
    provider = get_bearer_token_provider(credential, COGNITIVE_SERVICES_SCOPE)
    auth = resolve_auth(
        api_key=None, credential=None, azure_ad_token_provider=provider, is_async=False
    )
    assert auth.headers() == {"Authorization": "Bearer token-1-secret"}
    auth.headers()
    assert credential.calls == 1  # azure-core's policy inside the provider caches
    assert credential.scopes == [(COGNITIVE_SERVICES_SCOPE,)]


def test_provider_returning_a_non_string_is_rejected() -> None:
    auth = BearerTokenAuth(token_provider=lambda: 42)  # type: ignore[arg-type, return-value]
    with pytest.raises(TypeError, match="must return a non-empty str, got int"):
        auth.headers()


def test_sync_client_rejects_an_async_provider() -> None:
    async def provider() -> str:
        return "x"

    with pytest.raises(TypeError, match="async"):
        BearerTokenAuth(token_provider=provider)  # type: ignore[arg-type]


def test_sync_client_rejects_a_provider_that_returns_a_coroutine() -> None:
    async def fetch() -> str:
        return "x"

    auth = BearerTokenAuth(token_provider=lambda: fetch())  # type: ignore[arg-type, return-value]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # and no "coroutine was never awaited" warning
        with pytest.raises(TypeError, match="awaitable"):
            auth.headers()


# -- async ---------------------------------------------------------------------------------------


async def test_async_credential(clock: FakeClock) -> None:
    credential = FakeAsyncCredential(clock, delay=0)
    auth = AsyncBearerTokenAuth(credential=credential, clock=clock)
    assert await auth.async_headers() == {"Authorization": "Bearer token-1-secret"}
    await auth.async_headers()
    assert credential.calls == 1
    clock.now = START + LIFETIME - 299
    assert await auth.async_headers() == {"Authorization": "Bearer token-2-secret"}


async def test_async_failed_proactive_refresh_keeps_token_and_expired_raises(
    clock: FakeClock,
) -> None:
    credential = FakeCredential(clock)  # sync credential in the async client
    auth = AsyncBearerTokenAuth(credential=credential, clock=clock)
    await auth.async_headers()
    credential.error = ClientAuthenticationError("down")
    clock.now = START + LIFETIME - 100
    assert await auth.async_headers() == {"Authorization": "Bearer token-1-secret"}
    clock.now = START + LIFETIME + 1
    with pytest.raises(CredentialError) as info:
        await auth.async_headers()
    assert info.value.__cause__ is credential.error


async def test_async_client_runs_sync_credentials_in_a_worker_thread(clock: FakeClock) -> None:
    credential = FakeTokenInfoCredential(clock)
    auth = AsyncBearerTokenAuth(credential=credential, clock=clock)
    assert await auth.async_headers() == {"Authorization": "Bearer token-1-secret"}
    assert credential.info_calls == 1
    assert credential.thread_ids != [threading.get_ident()]


async def test_real_async_azure_identity_credential_type(clock: FakeClock) -> None:
    inner = FakeAsyncCredential(clock, delay=0)
    auth = AsyncBearerTokenAuth(credential=AsyncChainedTokenCredential(inner), clock=clock)
    assert await auth.async_headers() == {"Authorization": "Bearer token-1-secret"}


async def test_async_azure_identity_bearer_token_provider() -> None:
    credential = FakeAsyncCredential(real_time_clock(), delay=0)
    provider = get_async_bearer_token_provider(credential, COGNITIVE_SERVICES_SCOPE)
    auth = resolve_auth(
        api_key=None, credential=None, azure_ad_token_provider=provider, is_async=True
    )
    assert await auth.async_headers() == {"Authorization": "Bearer token-1-secret"}
    await auth.async_headers()
    assert credential.calls == 1


@pytest.mark.parametrize("provider_kind", ["sync", "async"])
async def test_async_client_accepts_sync_and_async_providers(provider_kind: str) -> None:
    async def async_provider() -> str:
        return "async-secret"

    provider: Callable[[], str | Awaitable[str]] = (
        async_provider if provider_kind == "async" else lambda: "sync-secret"
    )
    auth = AsyncBearerTokenAuth(token_provider=provider)
    assert await auth.async_headers() == {"Authorization": f"Bearer {provider_kind}-secret"}


async def _hundred_concurrent_requests(auth: AsyncBearerTokenAuth) -> list[dict[str, str]]:
    results: list[dict[str, str]] = []

    async def request() -> None:
        results.append(await auth.async_headers())

    async with anyio.create_task_group() as tasks:
        for _ in range(100):
            tasks.start_soon(request)
    return results


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
@pytest.mark.parametrize("credential_kind", ["async", "sync"])
def test_hundred_concurrent_tasks_share_one_refresh(backend: str, credential_kind: str) -> None:
    clock = FakeClock()
    credential = (
        FakeAsyncCredential(clock)
        if credential_kind == "async"
        else FakeCredential(clock, delay=0.01)
    )
    auth = AsyncBearerTokenAuth(credential=credential, clock=clock)

    async def scenario() -> None:
        # First on an empty cache, then again once the token has expired.
        for expected_calls in (1, 2):
            results = await _hundred_concurrent_requests(auth)
            assert credential.calls == expected_calls
            assert results == [{"Authorization": f"Bearer token-{expected_calls}-secret"}] * 100
            clock.now += 2 * LIFETIME

    anyio.run(scenario, backend=backend)


# -- reprs ---------------------------------------------------------------------------------------


async def test_no_repr_shows_a_token(clock: FakeClock) -> None:
    def provider() -> str:
        return "provided-secret"

    sync_with_credential = sync_auth(FakeCredential(clock), clock)
    async_with_credential = AsyncBearerTokenAuth(credential=FakeAsyncCredential(clock), clock=clock)
    sync_with_provider = BearerTokenAuth(token_provider=provider)
    async_with_provider = AsyncBearerTokenAuth(token_provider=provider)
    sync_with_credential.headers()
    sync_with_provider.headers()
    await async_with_credential.async_headers()
    await async_with_provider.async_headers()
    for auth in (
        sync_with_credential,
        async_with_credential,
        sync_with_provider,
        async_with_provider,
    ):
        text = f"{auth!r} {auth!s} {[auth]} {auth._tokens!r}"
        assert "secret" not in text
        assert not hasattr(auth, "__dict__")
    assert repr(sync_with_credential) == (
        f"BearerTokenAuth(credential=FakeCredential, scope='{COGNITIVE_SERVICES_SCOPE}')"
    )
    assert "token_provider=" in repr(async_with_provider)


# -- resolve_auth --------------------------------------------------------------------------------


def test_resolve_api_key() -> None:
    sync = resolve_auth(api_key="k", credential=None, azure_ad_token_provider=None, is_async=False)
    assert isinstance(sync, ApiKeyAuth)
    asynchronous = resolve_auth(
        api_key="k", credential=None, azure_ad_token_provider=None, is_async=True
    )
    assert isinstance(asynchronous, ApiKeyAuth)


def test_resolve_credential(clock: FakeClock) -> None:
    credential = FakeCredential(clock)
    sync = resolve_auth(
        api_key=None, credential=credential, azure_ad_token_provider=None, is_async=False
    )
    assert isinstance(sync, BearerTokenAuth)
    # A sync credential is fine for the async client too (run in a worker thread).
    asynchronous = resolve_auth(
        api_key=None, credential=credential, azure_ad_token_provider=None, is_async=True
    )
    assert isinstance(asynchronous, AsyncBearerTokenAuth)


@pytest.mark.parametrize("is_async", [False, True])
def test_resolve_requires_one_option(is_async: bool) -> None:
    with pytest.raises(ValueError, match="No authentication") as info:
        resolve_auth(api_key=None, credential=None, azure_ad_token_provider=None, is_async=is_async)
    message = str(info.value)
    for hint in ("api_key=", "credential=", "azure_ad_token_provider=", "AZURE_OPENAI_API_KEY"):
        assert hint in message


@pytest.mark.parametrize(
    ("given", "named"),
    [
        (
            {"api_key": SECRET_KEY, "azure_ad_token_provider": lambda: "t"},
            "api_key and azure_ad_token_provider",
        ),
        ({"api_key": SECRET_KEY, "credential": "cred"}, "api_key and credential"),
        (
            {"api_key": SECRET_KEY, "credential": "cred", "azure_ad_token_provider": lambda: "t"},
            "api_key and credential and azure_ad_token_provider",
        ),
    ],
)
def test_resolve_rejects_more_than_one_option(given: dict[str, Any], named: str) -> None:
    arguments: dict[str, Any] = {
        "api_key": None,
        "credential": None,
        "azure_ad_token_provider": None,
    }
    arguments.update(given)
    with pytest.raises(ValueError, match="exactly one") as info:
        resolve_auth(**arguments, is_async=False)
    assert named in str(info.value)
    assert SECRET_KEY not in str(info.value)


def test_resolve_rejects_async_credential_for_sync_client(clock: FakeClock) -> None:
    with pytest.raises(
        TypeError, match=r"FakeAsyncCredential is an async credential.*azure\.identity\.aio"
    ):
        resolve_auth(
            api_key=None,
            credential=FakeAsyncCredential(clock),
            azure_ad_token_provider=None,
            is_async=False,
        )


def test_resolve_rejects_async_provider_for_sync_client(clock: FakeClock) -> None:
    provider = get_async_bearer_token_provider(FakeAsyncCredential(clock), COGNITIVE_SERVICES_SCOPE)
    with pytest.raises(TypeError, match="async"):
        resolve_auth(
            api_key=None, credential=None, azure_ad_token_provider=provider, is_async=False
        )


def test_object_without_token_methods_is_rejected() -> None:
    not_a_credential: Any = "not a credential"
    with pytest.raises(TypeError, match="get_token"):
        resolve_auth(
            api_key=None, credential=not_a_credential, azure_ad_token_provider=None, is_async=False
        )


def test_auth_classes_need_exactly_one_source(clock: FakeClock) -> None:
    with pytest.raises(ValueError, match="exactly one"):
        BearerTokenAuth()
    with pytest.raises(ValueError, match="exactly one"):
        AsyncBearerTokenAuth(credential=FakeCredential(clock), token_provider=lambda: "t")
