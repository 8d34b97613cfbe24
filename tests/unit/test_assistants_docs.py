"""The end-to-end example of docs/assistants.md runs, as written, against a mocked service."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import respx
from _assistants_support import (
    answer_events,
    example_response,
    function_call_events,
    message_body,
    sse_body,
    sse_response,
    thread_body,
)

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "assistants.md"
THREAD = "thread_abc123"


def end_to_end_example() -> str:
    section = GUIDE.read_text(encoding="utf-8").split("## End to end", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match is not None
    return match.group(1)


def test_end_to_end_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    with respx.mock(base_url="https://myres.openai.azure.com/openai") as service:
        create_assistant = service.post("/assistants").respond(
            200, json=example_response("create_assistant")
        )
        service.post("/threads").respond(200, json=thread_body(id=THREAD))
        create_message = service.post(f"/threads/{THREAD}/messages").respond(
            200, json=message_body(thread_id=THREAD)
        )
        start = service.post(f"/threads/{THREAD}/runs").mock(
            return_value=sse_response(sse_body(function_call_events()))
        )
        submit = service.post(f"/threads/{THREAD}/runs/run_abc123/submit_tool_outputs").mock(
            return_value=sse_response(sse_body(answer_events()))
        )
        exec(compile(end_to_end_example(), str(GUIDE), "exec"), {"__name__": "guide"})

    sent_tools = json.loads(create_assistant.calls.last.request.content)["tools"]
    assert sent_tools[0]["function"]["name"] == "get_weather"
    assert json.loads(create_message.calls.last.request.content)["role"] == "user"
    assert json.loads(start.calls.last.request.content) == {
        "assistant_id": "asst_4nsG2qgNzimRPE7MazXTXbU7",
        "stream": True,
    }
    assert json.loads(submit.calls.last.request.content) == {
        "tool_outputs": [{"tool_call_id": "call_001", "output": "18C and sunny in Paris"}],
        "stream": True,
    }
    printed = capsys.readouterr().out
    assert printed.startswith("It is 18C and sunny in Paris.")
    assert "run run_abc123: completed" in printed
    assert printed.rstrip().endswith("It is 18C and sunny in Paris.")
