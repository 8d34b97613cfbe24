"""The token cache's rules through both drivers: short-lived tokens, single flight, failures.

Regression tests for two faults: a token living less than the refresh margin was fetched
again for every request, and a failing credential was called once per waiting caller,
serially, with its raw exception.
"""

from __future__ import annotations

import threading
from typing import Any

import anyio
import pytest
from _auth_support import (
    CREDENTIAL_KINDS,
    START,
    FakeAsyncCredential,
    FakeClock,
    FakeCredential,
    credential_for_async_client,
)
from azure.core.exceptions import ClientAuthenticationError
from azure.identity import ChainedTokenCredential

from azure_oai_preview import AzureOpenAIError, CredentialError
from azure_oai_preview._bearer import AsyncBearerTokenAuth, BearerTokenAuth
from azure_oai_preview._token_cache import _FAILURE_COOLDOWN

TWO_MINUTES = 120
BEARER_1 = {"Authorization": "Bearer token-1-secret"}


def run_threads(count: int, work: Any) -> list[Any]:
    """``work()`` in ``count`` threads released at once; their results or exceptions."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = work()
        except BaseException as exc:
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


async def gather(count: int, work: Any) -> list[Any]:
    """``await work()`` in ``count`` concurrent tasks; their results or exceptions."""
    results: list[Any] = [None] * count

    async def run(index: int) -> None:
        try:
            results[index] = await work()
        except Exception as exc:
            results[index] = exc

    async with anyio.create_task_group() as tasks:
        for index in range(count):
            tasks.start_soon(run, index)
    return results


# -- tokens that live shorter than the refresh margin -------------------------------------------


def test_a_token_shorter_than_the_margin_is_cached_for_half_its_life() -> None:
    clock = FakeClock()
    credential = FakeCredential(clock, lifetime=TWO_MINUTES)
    auth = BearerTokenAuth(credential=credential, clock=clock)  # margin: 300 s
    for second in range(60):
        clock.now = START + second
        assert auth.headers() == BEARER_1
    assert credential.calls == 1
    clock.now = START + 60
    assert auth.headers() == {"Authorization": "Bearer token-2-secret"}
    assert credential.calls == 2


def test_a_thousand_sequential_requests_with_a_two_minute_token_make_one_call() -> None:
    clock = FakeClock()
    credential = FakeCredential(clock, lifetime=TWO_MINUTES)
    auth = BearerTokenAuth(credential=credential, clock=clock)
    assert all(auth.headers() == BEARER_1 for _ in range(1000))
    assert credential.calls == 1


def test_threads_with_a_two_minute_token_make_one_call() -> None:
    clock = FakeClock()
    credential = FakeCredential(clock, delay=0.05, lifetime=TWO_MINUTES)
    auth = BearerTokenAuth(credential=credential, clock=clock)
    assert run_threads(32, auth.headers) == [BEARER_1] * 32
    assert credential.calls == 1


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
@pytest.mark.parametrize("credential_kind", CREDENTIAL_KINDS)
def test_a_thousand_concurrent_async_requests_with_a_two_minute_token_make_one_call(
    backend: str, credential_kind: str
) -> None:
    clock = FakeClock()
    fake, credential = credential_for_async_client(credential_kind, clock, lifetime=TWO_MINUTES)
    auth = AsyncBearerTokenAuth(credential=credential, clock=clock)

    async def scenario() -> None:
        assert await gather(1000, auth.async_headers) == [BEARER_1] * 1000
        clock.now += 59  # still inside the first half of the token's life
        assert await gather(1000, auth.async_headers) == [BEARER_1] * 1000

    anyio.run(scenario, backend=backend)
    assert fake.calls == 1


# -- a failing credential ------------------------------------------------------------------------


def assert_wrapped(outcome: object, cause: Exception) -> None:
    assert isinstance(outcome, CredentialError)
    assert isinstance(outcome, AzureOpenAIError)
    assert outcome.__cause__ is cause
    assert "ClientAuthenticationError" in str(outcome)
    assert "secret" not in str(outcome)


def test_threads_behind_a_failing_credential_share_one_call_and_get_the_wrapped_error() -> None:
    clock = FakeClock()
    credential = FakeCredential(clock, delay=0.05)
    credential.error = ClientAuthenticationError("managed identity endpoint unavailable")
    auth = BearerTokenAuth(credential=credential, clock=clock)

    outcomes = run_threads(16, auth.headers)

    assert credential.calls == 1
    for outcome in outcomes:
        assert_wrapped(outcome, credential.error)


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
@pytest.mark.parametrize("credential_kind", ["async", "sync"])
def test_tasks_behind_a_failing_credential_share_one_call_per_attempt_window(
    backend: str, credential_kind: str
) -> None:
    clock = FakeClock()
    credential: Any = (
        FakeAsyncCredential(clock) if credential_kind == "async" else FakeCredential(clock)
    )
    credential.error = ClientAuthenticationError("no identity")
    auth = AsyncBearerTokenAuth(credential=credential, clock=clock)

    async def scenario() -> None:
        for window in (1, 2):
            outcomes = await gather(200, auth.async_headers)
            assert credential.calls == window
            for outcome in outcomes:
                assert_wrapped(outcome, credential.error)
            clock.now += 1  # later callers inside the window get the error without a call
            assert_wrapped((await gather(1, auth.async_headers))[0], credential.error)
            assert credential.calls == window
            clock.now += _FAILURE_COOLDOWN
        credential.error = None
        token_3 = {"Authorization": "Bearer token-3-secret"}
        assert await gather(200, auth.async_headers) == [token_3] * 200
        assert credential.calls == 3

    anyio.run(scenario, backend=backend)


def test_within_the_cooldown_the_failure_is_reported_with_its_age() -> None:
    clock = FakeClock()
    credential = FakeCredential(clock)
    credential.error = ClientAuthenticationError("down")
    auth = BearerTokenAuth(credential=credential, clock=clock)
    with pytest.raises(CredentialError) as first:
        auth.headers()
    clock.now += 1.5
    with pytest.raises(CredentialError, match=r"1\.5 s old") as again:
        auth.headers()
    assert again.value.__cause__ is first.value.__cause__ is credential.error
    assert again.value is not first.value
    assert credential.calls == 1
    assert first.value.source == "FakeCredential"
    assert first.value.scopes == ("https://cognitiveservices.azure.com/.default",)


def test_a_real_azure_identity_chain_failure_arrives_wrapped() -> None:
    clock = FakeClock()
    inner = FakeCredential(clock)
    inner.error = ClientAuthenticationError("AADSTS700016: application not found")
    auth = BearerTokenAuth(credential=ChainedTokenCredential(inner), clock=clock)
    with pytest.raises(CredentialError, match="ChainedTokenCredential") as info:
        auth.headers()
    assert isinstance(info.value.__cause__, ClientAuthenticationError)
    assert "AADSTS700016" in str(info.value.__cause__)


def test_a_refresh_in_progress_does_not_hold_up_callers_with_a_valid_token() -> None:
    clock = FakeClock()
    release = threading.Event()
    entered = threading.Event()

    class SlowSecondCall(FakeCredential):
        def get_token(self, *scopes: str, **kwargs: Any) -> Any:
            if self.calls == 1:
                entered.set()
                assert release.wait(5)
            return super().get_token(*scopes, **kwargs)

    credential = SlowSecondCall(clock)
    auth = BearerTokenAuth(credential=credential, clock=clock)
    auth.headers()
    clock.now = START + 3600 - 200  # due for a refresh, still valid
    refresher = threading.Thread(target=auth.headers)
    refresher.start()
    assert entered.wait(5)
    try:
        # The credential is busy: this caller keeps the current token instead of waiting.
        assert auth.headers() == BEARER_1
    finally:
        release.set()
        refresher.join()
    assert auth.headers() == {"Authorization": "Bearer token-2-secret"}
    assert credential.calls == 2


# -- interruptions -------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_a_cancelled_credential_call_hands_over_to_a_waiting_task(backend: str) -> None:
    clock = FakeClock()
    credential = FakeAsyncCredential(clock, delay=0)
    auth = AsyncBearerTokenAuth(credential=credential, clock=clock)
    results: list[dict[str, str]] = []

    async def scenario() -> None:
        credential.gate = anyio.Event()  # the first call hangs until cancelled
        with anyio.fail_after(5):  # a waiter left hanging fails the test instead
            await hand_over()

    async def hand_over() -> None:
        async with anyio.create_task_group() as tasks:
            first = anyio.CancelScope()

            async def stuck() -> None:
                with first:
                    await auth.async_headers()

            async def waiting() -> None:
                results.append(await auth.async_headers())

            tasks.start_soon(stuck)
            await anyio.wait_all_tasks_blocked()
            tasks.start_soon(waiting)
            await anyio.wait_all_tasks_blocked()
            assert credential.started == 1  # the second task waits for the first's call
            first.cancel()

    anyio.run(scenario, backend=backend)
    assert credential.started == 2
    assert results == [BEARER_1]


class Interrupt(BaseException):
    """Stands in for KeyboardInterrupt: not an Exception, so not a credential failure."""


def test_an_interrupted_credential_call_is_not_cached_as_a_failure() -> None:
    clock = FakeClock()

    class Interrupted(FakeCredential):
        def get_token(self, *scopes: str, **kwargs: Any) -> Any:
            if self.calls == 0:
                self.calls += 1
                raise Interrupt
            return super().get_token(*scopes, **kwargs)

    credential = Interrupted(clock)
    auth = BearerTokenAuth(credential=credential, clock=clock)
    with pytest.raises(Interrupt):
        auth.headers()
    # No cool-down, no stuck flight: the next request asks again at once.
    assert auth.headers() == {"Authorization": "Bearer token-2-secret"}


# -- token providers -----------------------------------------------------------------------------


def test_a_failing_token_provider_arrives_wrapped() -> None:
    cause = ClientAuthenticationError("az login needed")

    def provider() -> str:
        raise cause

    with pytest.raises(CredentialError, match="provider") as info:
        BearerTokenAuth(token_provider=provider).headers()
    assert info.value.__cause__ is cause


async def test_a_failing_async_token_provider_arrives_wrapped() -> None:
    cause = ClientAuthenticationError("az login needed")

    async def provider() -> str:
        raise cause

    with pytest.raises(CredentialError) as info:
        await AsyncBearerTokenAuth(token_provider=provider).async_headers()
    assert info.value.__cause__ is cause
