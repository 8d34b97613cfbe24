"""The emulator over real HTTP: openai-python, our async client, raw HTTP and the CLI."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import anyio
import httpx
import openai
import pytest

from azure_oai_preview import AsyncAzureOpenAI, IncompleteStreamError
from azure_oai_preview.models._manifest import API_VERSION
from azure_oai_preview.testing import Emulator, EmulatorServer

from ._support import WEATHER_TOOL, wav_bytes


@pytest.fixture
def server(azure_openai_emulator: Emulator) -> Iterator[EmulatorServer]:
    with azure_openai_emulator.serve() as running:
        yield running


@pytest.fixture
def oai(server: EmulatorServer) -> openai.AzureOpenAI:
    return openai.AzureOpenAI(
        azure_endpoint=server.endpoint, api_key="test-key", api_version=API_VERSION, max_retries=0
    )


def test_openai_python_chat_and_stream(oai: openai.AzureOpenAI) -> None:
    reply = oai.chat.completions.create(
        model="gpt-4o", messages=[{"role": "user", "content": "hi"}]
    )
    assert reply.choices[0].message.content == 'You said: "hi"'
    assert reply.prompt_filter_results[0]["content_filter_results"]["hate"]["filtered"] is False  # type: ignore[attr-defined]
    chunks = list(
        oai.chat.completions.create(
            model="gpt-4o", messages=[{"role": "user", "content": "yo"}], stream=True
        )
    )
    assert chunks[0].choices == []
    assert chunks[0].prompt_filter_results
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == 'You said: "yo"'
    assert chunks[-1].choices[0].finish_reason == "stop"


def test_openai_python_tool_call_stream_and_embeddings(oai: openai.AzureOpenAI) -> None:
    chunks = list(
        oai.chat.completions.create(
            model="gpt-4o",
            messages=[{"role": "user", "content": "get_weather"}],
            tools=[WEATHER_TOOL],  # type: ignore[list-item]
            stream=True,
        )
    )
    pieces = [t for c in chunks if c.choices for t in c.choices[0].delta.tool_calls or []]
    assert pieces[0].function.name == "get_weather"
    assert json.loads("".join(p.function.arguments or "" for p in pieces))["city"] == "Paris"
    vectors = oai.embeddings.create(
        model="text-embedding-3-small", input=["a", "b"]
    )  # base64 asked, floats sent
    assert [len(v.embedding) for v in vectors.data] == [1536, 1536]


@pytest.mark.filterwarnings("ignore:.*deprecated:DeprecationWarning")
def test_openai_python_assistants(oai: openai.AzureOpenAI, azure_openai_emulator: Emulator) -> None:
    assistant = oai.beta.assistants.create(model="gpt-4o", tools=[WEATHER_TOOL])  # type: ignore[list-item]
    thread = oai.beta.threads.create(messages=[{"role": "user", "content": "use get_weather"}])
    run = oai.beta.threads.runs.create_and_poll(
        thread_id=thread.id, assistant_id=assistant.id, poll_interval_ms=10
    )
    assert run.status == "requires_action"
    call = run.required_action.submit_tool_outputs.tool_calls[0]  # type: ignore[union-attr]
    texts: list[str] = []
    with oai.beta.threads.runs.submit_tool_outputs_stream(
        thread_id=thread.id,
        run_id=run.id,
        tool_outputs=[{"tool_call_id": call.id, "output": "windy"}],
    ) as stream:
        for text in stream.text_deltas:
            texts.append(text)
        final = stream.get_final_run()
    assert "".join(texts) == "get_weather returned windy."
    assert final.status == "completed"
    oai.beta.threads.messages.create(thread_id=thread.id, role="user", content="thanks")
    with oai.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id) as stream:
        events = [event.event for event in stream]
    assert events[0] == "thread.run.created"
    assert events[-1] == "thread.run.completed"
    messages = oai.beta.threads.messages.list(thread_id=thread.id, order="asc")
    assert [m.role for m in messages] == ["user", "assistant", "user", "assistant"]
    assert [m.status for m in azure_openai_emulator.state.message_list(thread.id)] == [
        "completed"
    ] * 4
    assert oai.beta.assistants.delete(assistant.id).deleted


@pytest.mark.filterwarnings("ignore:.*deprecated:DeprecationWarning")
def test_openai_python_streamed_tool_call_arguments_arrive_once(oai: openai.AzureOpenAI) -> None:
    class Handler(openai.AssistantEventHandler):
        def __init__(self) -> None:
            super().__init__()
            self.done: list[Any] = []
            self.pieces: list[str] = []

        def on_tool_call_delta(self, delta: Any, snapshot: Any) -> None:
            self.pieces.append(delta.function.arguments or "")

        def on_tool_call_done(self, tool_call: Any) -> None:
            self.done.append(tool_call)

    assistant = oai.beta.assistants.create(model="gpt-4o", tools=[WEATHER_TOOL])  # type: ignore[list-item]
    thread = oai.beta.threads.create(messages=[{"role": "user", "content": "use get_weather"}])
    handler = Handler()
    with oai.beta.threads.runs.stream(
        thread_id=thread.id, assistant_id=assistant.id, event_handler=handler
    ) as stream:
        stream.until_done()
        steps = stream.get_final_run_steps()
        run = stream.get_final_run()
    expected = run.required_action.submit_tool_outputs.tool_calls[0].function.arguments  # type: ignore[union-attr]
    assert json.loads(expected) == {"city": "Paris", "unit": "celsius", "days": 0}
    assert "".join(handler.pieces) == expected
    assert [c.function.arguments for c in handler.done] == [expected]
    assert steps[0].step_details.tool_calls[0].function.arguments == expected  # type: ignore[union-attr]


@pytest.mark.filterwarnings("ignore:.*deprecated:DeprecationWarning")
def test_openai_python_audio_sends_model_and_typed_form_fields(oai: openai.AzureOpenAI) -> None:
    # openai-python puts the deployment in `model` (a form field here) and numbers as text.
    audio = ("meeting.wav", wav_bytes(1.0), "audio/wav")
    plain = oai.audio.transcriptions.create(model="whisper", file=audio)
    assert plain.text == "Transcription of meeting.wav."
    verbose = oai.audio.transcriptions.create(
        model="whisper",
        file=audio,
        temperature=0.2,
        response_format="verbose_json",
        timestamp_granularities=["word"],
    )
    assert verbose.text == "Transcription of meeting.wav."
    assert [w.word for w in verbose.words or []] == ["Transcription", "of", "meeting.wav."]
    translation = oai.audio.translations.create(model="whisper", file=audio, temperature=0)
    assert translation.text == "Transcription of meeting.wav."


def test_our_async_client_over_http_under_trio(server: EmulatorServer) -> None:
    async def scenario() -> str:
        async with AsyncAzureOpenAI(
            endpoint=server.endpoint, api_key="k", deployment="gpt-4o", allow_insecure_http=True
        ) as client:
            stream = await client.chat.completions.create(
                messages=[{"role": "user", "content": "trio"}], stream=True
            )
            async with stream:
                return "".join([t async for t in stream.text_deltas()])

    assert anyio.run(scenario, backend="trio") == 'You said: "trio"'


def test_broken_stream_drops_the_connection(
    server: EmulatorServer, azure_openai_emulator: Emulator
) -> None:
    azure_openai_emulator.faults.break_stream(after_chunks=3)
    client = azure_openai_emulator.client(
        endpoint=server.endpoint,
        deployment="gpt-4o",
        allow_insecure_http=True,
        max_retries=0,
        http_client=httpx.Client(),
    )
    stream = client.chat.completions.create(
        messages=[{"role": "user", "content": "x"}], stream=True
    )
    with pytest.raises(IncompleteStreamError), stream:
        list(stream.text_deltas())


def test_raw_http_and_image_urls(server: EmulatorServer) -> None:
    with httpx.Client(base_url=server.endpoint, headers={"api-key": "k"}) as http:
        params: dict[str, Any] = {"api-version": API_VERSION}
        assert http.get("/openai/assistants", params=params).json()["object"] == "list"
        assert (
            http.get("/openai/assistants", params=params, headers={"api-key": ""}).status_code
            == 401
        )
        image = http.post(
            "/openai/deployments/dall-e-3/images/generations",
            params=params,
            json={"prompt": "a cat"},
        ).json()
        url = image["data"][0]["url"]
        assert url.startswith(server.endpoint + "/emulator/images/")
        assert http.get(url).content.startswith(b"\x89PNG")


def test_cli_serves_until_interrupted() -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "azure_oai_preview.testing",
            "serve",
            "--port",
            "0",
            "--api-key",
            "cli-key",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith("Azure OpenAI emulator listening on http://127.0.0.1:")
        endpoint = first.rsplit(" ", 1)[1].strip()
        with httpx.Client(
            base_url=endpoint + "/openai", params={"api-version": API_VERSION}
        ) as http:
            assert http.get("/assistants", headers={"api-key": "cli-key"}).status_code == 200
            assert http.get("/assistants", headers={"api-key": "other"}).status_code == 401
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0


@pytest.mark.parametrize("port", ["99999", "-1", "http"])
def test_cli_refuses_a_port_that_is_not_one(port: str, capsys: pytest.CaptureFixture[str]) -> None:
    from azure_oai_preview.testing.__main__ import main

    with pytest.raises(SystemExit) as exited:
        main(["serve", "--port", port])
    assert exited.value.code == 2  # argparse's usage error, not a traceback
    error = capsys.readouterr().err
    assert "argument --port:" in error
    assert "Traceback" not in error


def test_serve_refuses_a_port_that_is_not_one(azure_openai_emulator: Emulator) -> None:
    with pytest.raises(ValueError, match="port must be 0-65535"):
        azure_openai_emulator.serve(port=99_999)
