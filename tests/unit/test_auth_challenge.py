"""401 challenges: reading ``WWW-Authenticate``, and what each kind of auth does about it."""

from __future__ import annotations

import base64
import json
import threading
from typing import Any

import anyio
import pytest
from _auth_support import (
    CREDENTIAL_KINDS,
    FakeAsyncCredential,
    FakeClock,
    FakeCredential,
    FakeTokenInfoCredential,
    credential_for_async_client,
)
from azure.core.exceptions import ClientAuthenticationError
from azure.identity import ChainedTokenCredential

from azure_oai_preview import CredentialError
from azure_oai_preview._auth import ApiKeyAuth, StaticTokenAuth
from azure_oai_preview._bearer import AsyncBearerTokenAuth, BearerTokenAuth
from azure_oai_preview._challenge import BearerChallenge, bearer_challenge, parse_challenges
from azure_oai_preview._token_cache import _CHALLENGE_WINDOW

CLAIMS = '{"access_token":{"nbf":{"essential":true,"value":"1726077595"}}}'
CLAIMS_B64 = base64.b64encode(CLAIMS.encode()).decode()
CAE = (
    'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", '
    f'error="insufficient_claims", claims="{CLAIMS_B64}"'
)
EXPIRED = 'Bearer error="invalid_token", error_description="The access token has expired"'
BEARER_1 = {"Authorization": "Bearer token-1-secret"}
BEARER_2 = {"Authorization": "Bearer token-2-secret"}


# -- parsing -------------------------------------------------------------------------------------


def test_parse_several_challenges_with_quoted_and_bare_values() -> None:
    header = (
        'Basic realm="a \\"quoted\\" realm", charset=UTF-8, '
        'BEARER Realm="", error=invalid_token, error_description="expired, sorry"'
    )
    first, second = parse_challenges(header)
    assert (first.scheme, first.params) == (
        "basic",
        {"realm": 'a "quoted" realm', "charset": "UTF-8"},
    )
    assert second.scheme == "bearer"
    assert second.params == {
        "realm": "",
        "error": "invalid_token",
        "error_description": "expired, sorry",
    }


def test_parse_token68_and_bare_schemes() -> None:
    challenges = parse_challenges("Negotiate dG9rZW42OA==, Bearer, PoP nonce=abc")
    assert [(c.scheme, c.params) for c in challenges] == [
        ("negotiate", {}),
        ("bearer", {}),
        ("pop", {"nonce": "abc"}),
    ]


@pytest.mark.parametrize("header", ["", "   ", ",,", '="x"', "@@@"])
def test_parse_nothing_useful(header: str) -> None:
    assert parse_challenges(header) == []


@pytest.mark.parametrize(
    "encoded",
    [
        CLAIMS_B64,
        CLAIMS_B64.rstrip("="),  # padding left out
        base64.urlsafe_b64encode(CLAIMS.encode()).decode(),
        CLAIMS.replace('"', '\\"'),  # plain JSON in a quoted-string
    ],
)
def test_cae_claims_are_decoded(encoded: str) -> None:
    header = f'Bearer error="insufficient_claims", claims="{encoded}"'
    assert bearer_challenge(header) == BearerChallenge(claims=CLAIMS, error="insufficient_claims")


def test_the_documented_cae_challenge() -> None:
    challenge = bearer_challenge(CAE)
    assert challenge is not None
    assert challenge.claims is not None
    assert json.loads(challenge.claims) == json.loads(CLAIMS)


@pytest.mark.parametrize(
    "header",
    [
        'Bearer error="insufficient_claims"',  # claims demanded, none given
        'Bearer error="insufficient_claims", claims="!!!not base64!!!"',
        f'Bearer error="insufficient_claims", claims="{base64.b64encode(b"[1, 2]").decode()}"',
        f'Bearer claims="{base64.b64encode(bytes([0xFF, 0xFE])).decode()}"',  # not UTF-8
        'Basic realm="api"',
        "",
    ],
)
def test_challenges_a_token_cannot_answer(header: str) -> None:
    assert bearer_challenge(header) is None


def test_a_bearer_challenge_without_claims() -> None:
    assert bearer_challenge(EXPIRED) == BearerChallenge(claims=None, error="invalid_token")
    assert bearer_challenge('Basic realm="x", Bearer') == BearerChallenge()


# -- credentials ---------------------------------------------------------------------------------


def primed(credential: Any, clock: FakeClock) -> BearerTokenAuth:
    """Auth over ``credential`` that has handed out its first token already."""
    auth = BearerTokenAuth(credential=credential, clock=clock)
    assert auth.headers() == BEARER_1
    return auth


def test_cae_challenge_refreshes_with_the_claims_and_enable_cae() -> None:
    clock = FakeClock()
    credential = FakeCredential(clock)
    auth = primed(credential, clock)

    assert auth.on_challenge(CAE) is True
    assert credential.requests[-1] == {"claims": CLAIMS, "enable_cae": True}
    assert auth.headers() == BEARER_2
    assert credential.calls == 2
    # The claims were for that one refresh; a later refresh asks plainly again.
    clock.now += 3600
    auth.headers()
    assert credential.requests[-1] == {"claims": None, "enable_cae": False}


def test_cae_challenge_through_get_token_info_passes_options() -> None:
    clock = FakeClock()
    credential = FakeTokenInfoCredential(clock)
    auth = primed(credential, clock)
    assert auth.on_challenge(CAE) is True
    assert credential.options == [None, {"claims": CLAIMS, "enable_cae": True}]


def test_cae_challenge_through_a_real_azure_identity_chain() -> None:
    clock = FakeClock()
    inner = FakeCredential(clock)  # get_token only: the chain turns options into keywords
    auth = primed(ChainedTokenCredential(inner), clock)
    assert auth.on_challenge(CAE) is True
    assert inner.requests[-1] == {"claims": CLAIMS, "enable_cae": True}
    assert auth.headers() == BEARER_2


def test_an_expired_token_challenge_refreshes_without_claims() -> None:
    clock = FakeClock()
    credential = FakeCredential(clock)
    auth = primed(credential, clock)
    assert auth.on_challenge(EXPIRED) is True
    assert credential.requests[-1] == {"claims": None, "enable_cae": False}
    assert auth.headers() == BEARER_2


def test_the_same_token_again_is_not_worth_a_resend() -> None:
    clock = FakeClock()
    credential = FakeCredential(clock)
    credential.reuse_first_token = True  # as a credential's own cache would
    auth = primed(credential, clock)
    assert auth.on_challenge(EXPIRED) is False
    assert credential.calls == 2


def test_a_credential_that_takes_no_claims_cannot_answer_a_cae_challenge() -> None:
    clock = FakeClock()
    inner = FakeCredential(clock)

    class Plain:
        def get_token(self, *scopes: str) -> Any:
            return inner.get_token(*scopes)

    auth = primed(Plain(), clock)
    assert auth.on_challenge(CAE) is False
    assert inner.calls == 1  # nothing dropped, nothing fetched
    assert auth.on_challenge(EXPIRED) is True  # no claims needed: a plain refresh
    assert inner.calls == 2


@pytest.mark.parametrize("header", ['Basic realm="x"', "", 'Bearer error="insufficient_claims"'])
def test_unanswerable_challenges_leave_the_token_alone(header: str) -> None:
    clock = FakeClock()
    credential = FakeCredential(clock)
    auth = primed(credential, clock)
    assert auth.on_challenge(header) is False
    assert auth.headers() == BEARER_1
    assert credential.calls == 1


def test_repeated_challenges_share_one_refresh_within_the_window() -> None:
    clock = FakeClock()
    credential = FakeCredential(clock)
    auth = primed(credential, clock)
    assert auth.on_challenge(CAE) is True
    clock.now += 1  # a request that was in flight with the refused token
    assert auth.on_challenge(CAE) is True
    assert credential.calls == 2
    assert auth.on_challenge(EXPIRED) is True  # other claims: another refresh
    assert credential.calls == 3
    clock.now += _CHALLENGE_WINDOW
    assert auth.on_challenge(CAE) is True  # a new refusal, later on
    assert credential.calls == 4


def test_threads_challenged_at_once_share_one_refresh() -> None:
    clock = FakeClock()
    credential = FakeCredential(clock, delay=0.05)
    auth = primed(credential, clock)
    barrier = threading.Barrier(12)
    answers: list[bool] = []

    def challenged() -> None:
        barrier.wait()
        answers.append(auth.on_challenge(CAE))

    threads = [threading.Thread(target=challenged) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [True] * 12
    assert credential.calls == 2
    assert auth.headers() == BEARER_2


def test_a_failing_refresh_after_a_challenge_raises_credential_error() -> None:
    clock = FakeClock()
    credential = FakeCredential(clock)
    auth = primed(credential, clock)
    credential.error = ClientAuthenticationError("AADSTS50173: the grant was revoked")
    with pytest.raises(CredentialError) as info:
        auth.on_challenge(CAE)
    assert info.value.__cause__ is credential.error
    # The refused token is gone: requests do not go on sending it.
    with pytest.raises(CredentialError):
        auth.headers()
    assert credential.calls == 2


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
@pytest.mark.parametrize("credential_kind", CREDENTIAL_KINDS)
def test_async_challenges_at_once_share_one_refresh_with_claims(
    backend: str, credential_kind: str
) -> None:
    clock = FakeClock()
    fake, credential = credential_for_async_client(credential_kind, clock)
    auth = AsyncBearerTokenAuth(credential=credential, clock=clock)
    answers: list[bool] = []

    async def challenged() -> None:
        answers.append(await auth.async_on_challenge(CAE))

    async def scenario() -> None:
        assert await auth.async_headers() == BEARER_1
        async with anyio.create_task_group() as tasks:
            for _ in range(100):
                tasks.start_soon(challenged)
        assert await auth.async_headers() == BEARER_2

    anyio.run(scenario, backend=backend)
    assert answers == [True] * 100
    assert fake.calls == 2
    assert fake.requests[-1] == {"claims": CLAIMS, "enable_cae": True}


async def test_async_unanswerable_challenge() -> None:
    clock = FakeClock()
    credential = FakeAsyncCredential(clock, delay=0)
    auth = AsyncBearerTokenAuth(credential=credential, clock=clock)
    await auth.async_headers()
    assert await auth.async_on_challenge('Basic realm="x"') is False
    assert credential.calls == 1


# -- keys, static tokens, providers --------------------------------------------------------------


@pytest.mark.parametrize("auth", [ApiKeyAuth("k-secret"), StaticTokenAuth("static-secret")])
async def test_fixed_credentials_cannot_answer_a_challenge(auth: ApiKeyAuth) -> None:
    before = auth.headers()
    assert auth.on_challenge(CAE) is False
    assert auth.on_challenge(EXPIRED) is False
    assert await auth.async_on_challenge(CAE) is False
    assert auth.headers() == before == await auth.async_headers()


def test_a_provider_is_called_once_more_and_a_new_token_is_worth_a_resend() -> None:
    issued = iter(["provided-1-secret", "provided-2-secret", "provided-2-secret"])
    auth = BearerTokenAuth(token_provider=lambda: next(issued))
    assert auth.headers() == {"Authorization": "Bearer provided-1-secret"}
    assert auth.on_challenge(CAE) is True  # a different token came back
    assert auth.on_challenge(CAE) is False  # the same one: its own cache still holds it


def test_a_provider_is_not_called_for_an_unanswerable_challenge() -> None:
    calls: list[int] = []

    def provider() -> str:
        calls.append(1)
        return "provided-secret"

    auth = BearerTokenAuth(token_provider=provider)
    auth.headers()
    assert auth.on_challenge('Basic realm="x"') is False
    assert len(calls) == 1


async def test_an_async_provider_is_called_once_more() -> None:
    issued = iter(["provided-1-secret", "provided-2-secret"])

    async def provider() -> str:
        return next(issued)

    auth = AsyncBearerTokenAuth(token_provider=provider)
    await auth.async_headers()
    assert await auth.async_on_challenge(EXPIRED) is True
