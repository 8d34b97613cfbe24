"""The 60-second quickstart: chat, a streamed chat, embeddings, and an error.

Runs against your Azure OpenAI resource when AZURE_OPENAI_ENDPOINT is set (api-key from
AZURE_OPENAI_API_KEY, otherwise Entra ID via azure-identity's DefaultAzureCredential), with
the deployments named by AZURE_OPENAI_DEPLOYMENT (chat) and AZURE_OPENAI_EMBEDDINGS_DEPLOYMENT.
`nox -s quickstart` without an endpoint runs it against a local Prism mock of the spec.
"""

from __future__ import annotations

import os

from azure_oai_preview import (
    APIResponseValidationError,
    APIStatusError,
    AzureOpenAI,
    IncompleteStreamError,
)


def make_client() -> AzureOpenAI:
    options = {
        "deployment": os.environ.get("AZURE_OPENAI_DEPLOYMENT", "gpt-4o"),
        "allow_insecure_http": os.environ.get("QUICKSTART_ALLOW_HTTP")
        == "1",  # the local mock only
    }
    if os.environ.get("AZURE_OPENAI_API_KEY"):
        return AzureOpenAI(**options)  # endpoint and key from the environment
    from azure.identity import DefaultAzureCredential

    return AzureOpenAI(credential=DefaultAzureCredential(), **options)


def main() -> None:
    with make_client() as client:
        print(f"client: {client!r}")  # the key never appears in a repr

        reply = client.chat.completions.create(
            messages=[
                {"role": "system", "content": "You are terse."},
                {"role": "user", "content": "Name one prime number."},
            ],
            max_tokens=20,
        )
        choice = reply.choices[0]
        print("chat:", choice.message.content if choice.message else None)
        for result in reply.prompt_filter_results or []:
            filters = result.content_filter_results
            if filters is not None:  # Azure's per-category verdicts on the prompt, typed
                flagged = {
                    name: value.filtered for name, value in filters if hasattr(value, "filtered")
                }
                print("prompt filter (filtered?):", flagged)

        try:
            with client.chat.completions.create(
                messages=[{"role": "user", "content": "Count to five."}], stream=True
            ) as stream:
                print("stream:", "".join(stream.text_deltas()))
        except APIResponseValidationError as exc:
            # A mock server answers streaming requests with plain JSON; Azure streams.
            print("stream: the server did not stream:", exc)
        except IncompleteStreamError as exc:
            print("stream broke off:", exc)

        embeddings_deployment = os.environ.get(
            "AZURE_OPENAI_EMBEDDINGS_DEPLOYMENT", "text-embedding-3-small"
        )
        vectors = client.embeddings.create(
            deployment=embeddings_deployment, input=["hello", "world"]
        )
        print("embeddings:", [len(item.embedding) for item in vectors.data])

        try:
            client.chat.completions.create(
                deployment="no-such-deployment", messages=[{"role": "user", "content": "hi"}]
            )
        except APIStatusError as exc:
            print(
                f"error: HTTP {exc.status_code}, code={exc.code!r}, request id={exc.request_id!r}"
            )
        else:
            print("error: none (a mock server accepts any deployment)")


if __name__ == "__main__":
    main()
