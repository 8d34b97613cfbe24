"""Files (authoring API, raw HTTP) and vector stores with ingestion that progresses."""

from __future__ import annotations

import pytest

from azure_oai_preview import NotFoundError
from azure_oai_preview.testing import Emulator

from ._support import raw, upload


def test_files_round_trip(azure_openai_emulator: Emulator) -> None:
    with raw(azure_openai_emulator) as http:
        created = http.post(
            "/files", data={"purpose": "assistants"}, files={"file": ("a.txt", b"line\r\n\x00\xff")}
        )
        assert created.status_code == 201
        file = created.json()
        assert file["id"].startswith("assistant-")
        assert (file["status"], file["bytes"], file["filename"], file["object"]) == (
            "pending",
            8,
            "a.txt",
            "file",
        )
        assert created.headers["location"].endswith(f"/openai/files/{file['id']}")
        assert http.get(f"/files/{file['id']}").json()["status"] == "processed"
        assert http.get(f"/files/{file['id']}/content").content == b"line\r\n\x00\xff"
        tune = upload(http, "train.jsonl", b'{"messages": []}\n', purpose="fine-tune")
        assert tune["id"].startswith("file-")
        assert len(tune["id"]) == 37
        listed = http.get("/files", params={"purpose": "fine-tune"}).json()
        assert [f["id"] for f in listed["data"]] == [tune["id"]]
        assert http.delete(f"/files/{file['id']}").status_code == 204
        missing = http.get(f"/files/{file['id']}")
        assert (missing.status_code, missing.json()["error"]["code"]) == (404, "notFound")
    assert [f.id for f in azure_openai_emulator.state.file_list()] == [tune["id"]]
    assert azure_openai_emulator.state.file(tune["id"]).content == b'{"messages": []}\n'


def test_upload_checks(azure_openai_emulator: Emulator) -> None:
    with raw(azure_openai_emulator) as http:
        no_purpose = http.post("/files", files={"file": ("a.txt", b"x")})
        bad_purpose = http.post("/files", data={"purpose": "fun"}, files={"file": ("a.txt", b"x")})
        no_file = http.post(
            "/files", data={"purpose": "assistants"}, files={"other": ("a.txt", b"x")}
        )
        bad_jsonl = upload(http, "train.jsonl", b"not json\n", purpose="fine-tune")
        details = http.get(f"/files/{bad_jsonl['id']}").json()
    assert [r.json()["error"]["target"] for r in (no_purpose, bad_purpose, no_file)] == [
        "purpose",
        "purpose",
        "file",
    ]
    assert {r.status_code for r in (no_purpose, bad_purpose, no_file)} == {400}
    assert (details["status"], details["status_details"]) == ("error", "Line 1 is not valid JSON.")


def test_vector_store_ingestion(azure_openai_emulator: Emulator) -> None:
    client = azure_openai_emulator.client()
    with raw(azure_openai_emulator) as http:
        notes = upload(http, "notes.md", b"# Notes\n" * 10)
        image = upload(http, "photo.png", b"\x89PNG")
    store = client.vector_stores.create(name="docs", file_ids=[notes["id"]])
    assert store.status == "in_progress"
    assert store.file_counts.in_progress == 1
    store = client.vector_stores.retrieve(store.id)
    assert store.status == "completed"
    assert store.file_counts.completed == 1
    assert store.usage_bytes == 80
    failed = client.vector_stores.files.create(store.id, file_id=image["id"])
    assert failed.status == "in_progress"
    failed = client.vector_stores.files.retrieve(image["id"], vector_store_id=store.id)
    assert failed.status == "failed"
    assert failed.last_error.code == "unhandled_mime_type"
    assert client.vector_stores.retrieve(store.id).file_counts.failed == 1
    only_failed = client.vector_stores.files.list(store.id, filter="failed").data
    assert [f.id for f in only_failed] == [image["id"]]
    with pytest.raises(NotFoundError):
        client.vector_stores.files.create(store.id, file_id="assistant-missing")
    assert client.vector_stores.files.delete(image["id"], vector_store_id=store.id).deleted
    assert client.vector_stores.retrieve(store.id).file_counts.total == 1
    assert client.vector_stores.delete(store.id).deleted
    assert client.vector_stores.list().data == []


@pytest.mark.azure_openai_emulator(progress="manual")
def test_batches_progress_and_cancel(azure_openai_emulator: Emulator) -> None:
    client = azure_openai_emulator.client()
    with raw(azure_openai_emulator) as http:
        ids = [upload(http, f"{n}.txt", b"text")["id"] for n in range(3)]
    store = client.vector_stores.create(name="docs")
    batch = client.vector_stores.file_batches.create(store.id, file_ids=ids[:2])
    assert (batch.status, batch.file_counts.in_progress) == ("in_progress", 2)
    azure_openai_emulator.advance()
    done = client.vector_stores.file_batches.retrieve(batch.id, vector_store_id=store.id)
    assert (done.status, done.file_counts.completed) == ("completed", 2)
    pending = client.vector_stores.file_batches.create(store.id, file_ids=[ids[2]])
    assert (
        client.vector_stores.file_batches.cancel(pending.id, vector_store_id=store.id).status
        == "cancelling"
    )
    azure_openai_emulator.advance()
    cancelled = client.vector_stores.file_batches.retrieve(pending.id, vector_store_id=store.id)
    assert (cancelled.status, cancelled.file_counts.cancelled) == ("cancelled", 1)
    files = client.vector_stores.file_batches.list_files(pending.id, vector_store_id=store.id).data
    assert [(f.id, f.status) for f in files] == [(ids[2], "cancelled")]


def test_vector_store_expiry(azure_openai_emulator: Emulator) -> None:
    client = azure_openai_emulator.client()
    store = client.vector_stores.create(
        name="tmp", expires_after={"anchor": "last_active_at", "days": 1}
    )
    assert store.expires_at == store.last_active_at + 86_400
    azure_openai_emulator.clock.advance(86_400)
    assert client.vector_stores.retrieve(store.id).status == "expired"


def test_poll_helpers_finish(azure_openai_emulator: Emulator) -> None:
    client = azure_openai_emulator.client()
    with raw(azure_openai_emulator) as http:
        file_id = upload(http, "a.txt", b"text")["id"]
    store = client.vector_stores.create(name="docs")
    item = client.vector_stores.files.create_and_poll(store.id, file_id=file_id, poll_interval=0)
    assert item.status == "completed"
