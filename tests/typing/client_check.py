# pyright: reportUnnecessaryTypeIgnoreComment=true
"""Type-checker test of the client constructors' auth and configuration arguments.

Checked by pyright like ``params_check.py``: azure-identity's real credential classes must
match the credential protocols (sync ones for the sync client; both kinds for the async
client), and every wrong call carries a ``pyright: ignore`` that must stay necessary.
"""

from __future__ import annotations

from azure.identity import (
    DefaultAzureCredential,
    ManagedIdentityCredential,
    get_bearer_token_provider,
)
from azure.identity.aio import DefaultAzureCredential as AsyncDefaultAzureCredential
from azure.identity.aio import get_bearer_token_provider as get_async_bearer_token_provider

from azure_oai_preview import APIVersionWarning, AsyncAzureOpenAI, AzureOpenAI, CredentialError

ENDPOINT = "https://myres.openai.azure.com"
SCOPE = "https://cognitiveservices.azure.us/.default"


def sync_clients() -> list[AzureOpenAI]:
    credential = DefaultAzureCredential()
    return [
        AzureOpenAI(ENDPOINT, api_key="k"),
        AzureOpenAI(azure_endpoint=ENDPOINT, azure_deployment="gpt-4o", azure_ad_token="t"),
        AzureOpenAI(ENDPOINT, credential=credential, credential_scopes=SCOPE),
        AzureOpenAI(ENDPOINT, credential=ManagedIdentityCredential(), credential_scopes=[SCOPE]),
        AzureOpenAI(ENDPOINT, azure_ad_token_provider=get_bearer_token_provider(credential, SCOPE)),
        AzureOpenAI(ENDPOINT, credential=AsyncDefaultAzureCredential()),  # pyright: ignore[reportArgumentType]
        AzureOpenAI(ENDPOINT, azure_ad_token=b"t"),  # pyright: ignore[reportArgumentType]
        AzureOpenAI(ENDPOINT, credential_scopes=42),  # pyright: ignore[reportArgumentType]
    ]


def async_clients() -> list[AsyncAzureOpenAI]:
    credential = AsyncDefaultAzureCredential()
    return [
        AsyncAzureOpenAI(ENDPOINT, credential=credential, credential_scopes=(SCOPE,)),
        AsyncAzureOpenAI(ENDPOINT, credential=DefaultAzureCredential()),
        AsyncAzureOpenAI(
            ENDPOINT, azure_ad_token_provider=get_async_bearer_token_provider(credential, SCOPE)
        ),
        AsyncAzureOpenAI(azure_endpoint=ENDPOINT, azure_ad_token="t"),
        AsyncAzureOpenAI(ENDPOINT, azure_deployment=1),  # pyright: ignore[reportArgumentType]
    ]


def errors(error: CredentialError, warning: APIVersionWarning) -> tuple[str, tuple[str, ...]]:
    assert isinstance(warning, UserWarning)
    return error.source, error.scopes
