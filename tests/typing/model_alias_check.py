# pyright: reportUnnecessaryTypeIgnoreComment=true
"""Type-checker test of ``model=``, openai-python's spelling of the deployment.

Not run and not collected by pytest: pyright checks it (strict). Wrong calls carry a
``# pyright: ignore[rule]`` that must stay necessary.
"""

from __future__ import annotations

from typing_extensions import assert_type

from azure_oai_preview import AsyncAzureOpenAI, AzureOpenAI, DeploymentOptions
from azure_oai_preview.models import AudioResponse, CreateChatCompletionResponse


def sync_model(client: AzureOpenAI) -> None:
    reply = client.chat.completions.create(
        model="gpt-4o", messages=[{"role": "user", "content": "hi"}]
    )
    assert_type(reply, CreateChatCompletionResponse)
    transcript = client.audio.transcriptions.create(model="whisper", file=b"...")
    assert_type(transcript, AudioResponse)
    client.embeddings.create(model=4, input="hi")  # pyright: ignore[reportArgumentType]
    options: DeploymentOptions = {"model": "gpt-4o", "timeout": 5}
    client.images.generate(prompt="a cat", **options)


async def async_model(client: AsyncAzureOpenAI) -> None:
    reply = await client.chat.completions.create(
        model="gpt-4o", messages=[{"role": "user", "content": "hi"}]
    )
    assert_type(reply, CreateChatCompletionResponse)
    # Retrievals are not on a deployment: no `model` there.
    await client.threads.retrieve("thread_1", model="x")  # pyright: ignore[reportCallIssue]
