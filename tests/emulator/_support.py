"""Helpers shared by the emulator tests: raw HTTP access and a tour of every operation."""

from __future__ import annotations

import base64
import io
import json
import wave
from typing import Any

import httpx

from azure_oai_preview.models._manifest import API_VERSION
from azure_oai_preview.testing import DEFAULT_ENDPOINT, Emulator

WEATHER_TOOL: dict[str, Any] = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "The weather in a city.",
        "parameters": {
            "type": "object",
            "properties": {
                "city": {"type": "string", "default": "Paris"},
                "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
                "days": {"type": "integer"},
            },
            "required": ["city", "unit", "days"],
        },
    },
}


def raw(emulator: Emulator, **headers: str) -> httpx.Client:
    """An httpx client on the emulator's /openai base with the api-version and a key set."""
    return httpx.Client(
        transport=emulator.transport(),
        base_url=DEFAULT_ENDPOINT + "/openai",
        params={"api-version": API_VERSION},
        headers={"api-key": "test-key", **headers},
    )


def wav_bytes(seconds: float = 1.0) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(16_000)
        writer.writeframes(bytes(int(32_000 * seconds)))
    return out.getvalue()


def upload(
    http: httpx.Client, name: str, content: bytes, purpose: str = "assistants"
) -> dict[str, Any]:
    response = http.post("/files", data={"purpose": purpose}, files={"file": (name, content)})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


TRAINING = b"".join(
    json.dumps(
        {
            "messages": [
                {"role": "user", "content": f"q{n}"},
                {"role": "assistant", "content": f"a{n}"},
            ]
        }
    ).encode()
    + b"\n"
    for n in range(4)
)
"""A valid fine-tuning file (chat format, four examples)."""

SYSTEM_COMPUTE_JOB: dict[str, Any] = {
    "kind": "SystemCompute",
    "searchServiceConnection": {"kind": "endpointMI", "endpoint": "https://search.example"},
    "datasource": {
        "kind": "urls",
        "urls": ["https://docs.example/a", "https://docs.example/b"],
        "connection": {"kind": "endpointMI", "endpoint": "https://storage.example"},
        "containerName": "docs",
        "embeddings": [{"connection": {"kind": "relativeConnection"}, "deploymentName": "ada"}],
    },
    "completionAction": "keepAllAssets",
}
USER_COMPUTE_JOB: dict[str, Any] = {
    "kind": "UserCompute",
    "workspaceId": "/subscriptions/s/resourceGroups/g/providers/Microsoft.MachineLearningServices/workspaces/w",
    "compute": {"kind": "serverless"},
    "target": {"kind": "acs", "connectionId": "search-connection"},
    "datasource": {
        "kind": "dataset",
        "datasetId": "azureml://data/docs",
        "datasetType": "uri_folder",
    },
}
USER_TOKENS = {"mgmt-user-token": "mgmt-secret-token", "aml-user-token": "aml-secret-token"}


def data_url(content: bytes) -> str:
    return "data:application/jsonl;base64," + base64.b64encode(content).decode()


def authoring_tour(emulator: Emulator) -> None:
    """Call every authoring operation (but the files ones the main tour calls), and errors."""
    http = raw(emulator)
    train = upload(http, "train.jsonl", TRAINING, purpose="fine-tune")
    valid = http.post(
        "/files/import",
        json={"purpose": "fine-tune", "filename": "valid.jsonl", "content_url": data_url(TRAINING)},
    ).json()
    job = http.post(
        "/fine_tuning/jobs",
        json={
            "model": "gpt-35-turbo-0125",
            "training_file": train["id"],
            "validation_file": valid["id"],
            "suffix": "tour",
            "hyperparameters": {"n_epochs": 2},
        },
    ).json()
    http.get("/fine_tuning/jobs", params={"limit": 1}).read()
    job = http.get(f"/fine_tuning/jobs/{job['id']}").json()
    http.get(f"/fine_tuning/jobs/{job['id']}/events", params={"limit": 2}).read()
    http.get(f"/fine_tuning/jobs/{job['id']}/checkpoints").read()
    http.get(f"/files/{job['result_files'][0]}/content").read()
    http.get("/models").read()
    http.get(f"/models/{job['fine_tuned_model']}").read()
    http.get("/models/babbage-002").read()
    emulator.progress = "manual"
    pending = http.post(
        "/fine_tuning/jobs", json={"model": "babbage-002", "training_file": train["id"]}
    ).json()
    http.post(f"/fine_tuning/jobs/{pending['id']}/cancel").read()
    emulator.progress = "immediate"
    http.delete(f"/fine_tuning/jobs/{pending['id']}").read()
    # ingestion
    created = http.put("/ingestion/jobs/docs", json=SYSTEM_COMPUTE_JOB)
    http.put("/ingestion/jobs/workspace-docs", json=USER_COMPUTE_JOB, headers=USER_TOKENS).read()
    http.get("/ingestion/jobs/docs").read()
    http.get("/ingestion/jobs").read()
    http.get("/ingestion/jobs/docs/runs").read()
    http.get(created.headers["operation-location"]).read()
    # errors
    http.get("/fine_tuning/jobs/ftjob-missing").read()
    http.post(
        "/fine_tuning/jobs", json={"model": "gpt-4o-2024-05-13", "training_file": train["id"]}
    )
    http.post(f"/fine_tuning/jobs/{job['id']}/cancel").read()
    http.put("/ingestion/jobs/no-tokens", json=USER_COMPUTE_JOB).read()
    http.put("/ingestion/jobs/bad", json={"kind": "Elsewhere"}).read()
    http.get("/models/missing").read()
    raw(emulator, **{"api-key": ""}).get("/models").read()
    emulator.faults.rate_limit(operation="Models_List")
    http.get("/models").read()
    emulator.faults.server_error(operation="IngestionJobs_List")
    http.get("/ingestion/jobs").read()


def tour(emulator: Emulator) -> None:
    """Call every operation the emulator serves at least once, successfully, and some errors."""
    client = emulator.client(deployment="gpt-4o", max_retries=0)
    http = raw(emulator)
    messages = [{"role": "user", "content": "What is the weather? use get_weather"}]
    # inference
    client.chat.completions.create(
        messages=[{"role": "user", "content": "hi"}], logprobs=True, top_logprobs=2
    )
    tool_reply = client.chat.completions.create(messages=messages, tools=[WEATHER_TOOL])
    call = tool_reply.choices[0].message.tool_calls[0]  # type: ignore[index,union-attr]
    client.chat.completions.create(
        messages=[
            *messages,
            {"role": "assistant", "content": None, "tool_calls": [call.model_dump(mode="json")]},
            {"role": "tool", "tool_call_id": call.id, "content": "sunny"},
        ],
        tools=[WEATHER_TOOL],
    )
    with client.chat.completions.create(
        messages=messages, tools=[WEATHER_TOOL], stream=True
    ) as stream:
        list(stream)
    with client.chat.completions.create(
        messages=[{"role": "user", "content": "stream this"}],
        stream=True,
        n=2,
    ) as stream:
        list(stream)
    client.chat.completions.create(
        messages=[{"role": "user", "content": "what do my documents say?"}],
        data_sources=[
            {
                "type": "azure_search",
                "parameters": {
                    "endpoint": "https://search.example",
                    "index_name": "docs",
                    "authentication": {"type": "api_key", "key": "search-key"},
                },
            }
        ],
    )
    client.completions.create(deployment="gpt-35-turbo-instruct", prompt=["one", "two"])
    http.post(
        "/deployments/gpt-35-turbo-instruct/completions", json={"prompt": "hi", "stream": True}
    ).read()
    client.embeddings.create(deployment="text-embedding-3-small", input=["a", "b"])
    audio = ("talk.wav", wav_bytes(), "audio/wav")
    client.audio.transcriptions.create(deployment="whisper", file=audio)
    client.audio.transcriptions.create(
        deployment="whisper",
        file=audio,
        response_format="verbose_json",
        timestamp_granularities=["word", "segment"],
    )
    client.audio.translations.create(deployment="whisper", file=audio, response_format="srt")
    client.audio.speech.create(deployment="tts", input="Hello there", voice="alloy")
    image = client.images.generate(deployment="dall-e-3", prompt="a lighthouse", size="1024x1024")
    assert image.data[0].url is not None
    httpx.Client(transport=emulator.transport()).get(image.data[0].url).read()
    client.images.generate(deployment="dall-e-3", prompt="a boat", response_format="b64_json")
    # files (authoring; no client resource yet)
    doc = upload(http, "notes.txt", b"The lighthouse keeper's notes.")
    http.get("/files").read()
    http.get(f"/files/{doc['id']}").read()
    http.get(f"/files/{doc['id']}/content").read()
    spare = upload(http, "spare.md", b"# spare")
    http.delete(f"/files/{spare['id']}").read()
    # assistants, threads, messages
    assistant = client.assistants.create(model="gpt-4o", name="a", tools=[WEATHER_TOOL])
    client.assistants.list(limit=1)
    client.assistants.retrieve(assistant.id)
    client.assistants.update(assistant.id, name="b")
    thread = client.threads.create(messages=[{"role": "user", "content": "hello"}])
    client.threads.retrieve(thread.id)
    client.threads.update(thread.id, metadata={"k": "v"})
    message = client.threads.messages.create(thread.id, role="user", content="use get_weather")
    client.threads.messages.list(thread.id)
    client.threads.messages.retrieve(message.id, thread_id=thread.id)
    client.threads.messages.update(message.id, thread_id=thread.id, metadata={"k": "v"})
    # runs
    run = client.threads.runs.create(thread.id, assistant_id=assistant.id)
    run = client.threads.runs.retrieve(run.id, thread_id=thread.id)
    assert run.required_action is not None
    outputs = [
        {"tool_call_id": c.id, "output": "sunny"}
        for c in run.required_action.submit_tool_outputs.tool_calls
    ]
    with client.threads.runs.submit_tool_outputs(
        run.id, thread_id=thread.id, tool_outputs=outputs, stream=True
    ) as events:
        list(events)
    client.threads.runs.list(thread.id)
    client.threads.runs.update(run.id, thread_id=thread.id, metadata={"k": "v"})
    steps = client.threads.runs.steps.list(run.id, thread_id=thread.id)
    client.threads.runs.steps.retrieve(steps.data[0].id, thread_id=thread.id, run_id=run.id)
    with client.threads.runs.stream(thread.id, assistant_id=assistant.id) as events:
        list(events)
    with client.threads.create_and_run(
        assistant_id=assistant.id,
        thread={"messages": [{"role": "user", "content": "hi"}]},
        stream=True,
    ) as events:
        list(events)
    emulator.progress = "manual"
    other = client.threads.create_and_run(assistant_id=assistant.id)
    client.threads.runs.cancel(other.id, thread_id=other.thread_id)
    emulator.progress = "immediate"
    # vector stores
    store = client.vector_stores.create(
        name="docs", file_ids=[doc["id"]], expires_after={"anchor": "last_active_at", "days": 7}
    )
    client.vector_stores.list()
    client.vector_stores.retrieve(store.id)
    client.vector_stores.update(store.id, name="docs2")
    second = upload(http, "more.txt", b"More notes.")
    client.vector_stores.files.create(store.id, file_id=second["id"])
    client.vector_stores.files.list(store.id)
    client.vector_stores.files.retrieve(second["id"], vector_store_id=store.id)
    client.vector_stores.files.delete(second["id"], vector_store_id=store.id)
    batch = client.vector_stores.file_batches.create(store.id, file_ids=[doc["id"]])
    client.vector_stores.file_batches.retrieve(batch.id, vector_store_id=store.id)
    client.vector_stores.file_batches.list_files(batch.id, vector_store_id=store.id)
    emulator.progress = "manual"
    pending = client.vector_stores.file_batches.create(store.id, file_ids=[second["id"]])
    client.vector_stores.file_batches.cancel(pending.id, vector_store_id=store.id)
    emulator.progress = "immediate"
    # deletes, last
    client.vector_stores.delete(store.id)
    client.threads.delete(thread.id)
    client.assistants.delete(assistant.id)
    http.delete(f"/files/{doc['id']}").read()
    # errors of every kind
    http.get("/assistants/asst_missing").read()
    http.post("/deployments/gpt-4o/chat/completions", json={"messages": "hi"}).read()
    http.post("/deployments/nope/chat/completions", json={"messages": []}).read()
    http.post("/deployments/gpt-4o/embeddings", json={"input": "x"}).read()
    http.get("/files/file-missing").read()
    emulator.filters.block_prompt("forbidden")
    http.post(
        "/deployments/gpt-4o/chat/completions",
        json={"messages": [{"role": "user", "content": "forbidden"}]},
    ).read()
    http.post("/deployments/dall-e-3/images/generations", json={"prompt": "forbidden"}).read()
    emulator.faults.rate_limit()
    http.post("/deployments/gpt-4o/chat/completions", json={"messages": []}).read()
    emulator.faults.server_error()
    http.get("/assistants").read()
