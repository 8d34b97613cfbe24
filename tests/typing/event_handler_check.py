# pyright: reportUnnecessaryTypeIgnoreComment=true
"""Type-checker test of run-stream event handlers: each client takes only its own flavour.

Not run and not collected by pytest: pyright checks it (strict). Correct handlers need no
cast on any run-streaming method (plain and raw views); a handler of the other client's
flavour carries a ``# pyright: ignore[rule]`` that must stay necessary.
"""

from __future__ import annotations

from typing_extensions import assert_type

from azure_oai_preview import (
    AssistantEventHandler,
    AssistantStream,
    AsyncAssistantEventHandler,
    AsyncAssistantStream,
    AsyncAzureOpenAI,
    AzureOpenAI,
)
from azure_oai_preview.models import MessageContentTextObjectText, MessageDeltaContentTextObjectText


class Printer(AssistantEventHandler):
    def on_text_delta(
        self, delta: MessageDeltaContentTextObjectText, snapshot: MessageContentTextObjectText
    ) -> None:
        print(delta.value or "", end="")


class AsyncPrinter(AsyncAssistantEventHandler):
    async def on_text_delta(
        self, delta: MessageDeltaContentTextObjectText, snapshot: MessageContentTextObjectText
    ) -> None:
        print(delta.value or "", end="")


def sync_handlers(client: AzureOpenAI) -> None:
    with client.threads.runs.stream("t", assistant_id="a", event_handler=Printer()) as stream:
        assert_type(stream, AssistantStream)
        stream.until_done()
    client.threads.runs.create("t", assistant_id="a", stream=True, event_handler=Printer())
    client.threads.runs.submit_tool_outputs(
        "r", thread_id="t", tool_outputs=[], stream=True, event_handler=Printer()
    )
    client.threads.create_and_run(assistant_id="a", stream=True, event_handler=Printer())
    raw = client.with_raw_response.threads.runs.stream(
        "t", assistant_id="a", event_handler=Printer()
    )
    assert_type(raw.parse(), AssistantStream)

    client.threads.runs.stream("t", assistant_id="a", event_handler=AsyncPrinter())  # pyright: ignore[reportArgumentType]
    client.threads.runs.create("t", assistant_id="a", stream=True, event_handler=AsyncPrinter())  # pyright: ignore[reportArgumentType]
    client.threads.runs.submit_tool_outputs(
        "r",
        thread_id="t",
        tool_outputs=[],
        stream=True,
        event_handler=AsyncPrinter(),  # pyright: ignore[reportArgumentType]
    )
    client.threads.create_and_run(assistant_id="a", stream=True, event_handler=AsyncPrinter())  # pyright: ignore[reportArgumentType]
    client.with_raw_response.threads.runs.stream(
        "t",
        assistant_id="a",
        event_handler=AsyncPrinter(),  # pyright: ignore[reportArgumentType]
    )


async def async_handlers(client: AsyncAzureOpenAI) -> None:
    async with client.threads.runs.stream(
        "t", assistant_id="a", event_handler=AsyncPrinter()
    ) as stream:
        assert_type(stream, AsyncAssistantStream)
        await stream.until_done()
    await client.threads.runs.create(
        "t", assistant_id="a", stream=True, event_handler=AsyncPrinter()
    )
    await client.threads.runs.submit_tool_outputs(
        "r", thread_id="t", tool_outputs=[], stream=True, event_handler=AsyncPrinter()
    )
    await client.threads.create_and_run(assistant_id="a", stream=True, event_handler=AsyncPrinter())
    raw = await client.with_raw_response.threads.runs.stream(
        "t", assistant_id="a", event_handler=AsyncPrinter()
    )
    assert_type(raw.parse(), AsyncAssistantStream)

    await client.threads.runs.stream("t", assistant_id="a", event_handler=Printer())  # pyright: ignore[reportArgumentType]
    await client.threads.runs.create("t", assistant_id="a", stream=True, event_handler=Printer())  # pyright: ignore[reportArgumentType]
    await client.threads.runs.submit_tool_outputs(
        "r",
        thread_id="t",
        tool_outputs=[],
        stream=True,
        event_handler=Printer(),  # pyright: ignore[reportArgumentType]
    )
    await client.threads.create_and_run(assistant_id="a", stream=True, event_handler=Printer())  # pyright: ignore[reportArgumentType]
    await client.with_raw_response.threads.runs.stream(
        "t",
        assistant_id="a",
        event_handler=Printer(),  # pyright: ignore[reportArgumentType]
    )
