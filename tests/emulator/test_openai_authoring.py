"""openai-python's files, fine-tuning and models calls against the emulator's real server,
sync and async (asyncio and trio)."""

from __future__ import annotations

from collections.abc import Iterator

import anyio
import openai
import pytest

from azure_oai_preview.models._manifest import API_VERSION
from azure_oai_preview.testing import Emulator, EmulatorServer

from ._support import TRAINING


@pytest.fixture
def server(azure_openai_emulator: Emulator) -> Iterator[EmulatorServer]:
    with azure_openai_emulator.serve() as running:
        yield running


def test_sync_files_and_fine_tuning(
    server: EmulatorServer, azure_openai_emulator: Emulator
) -> None:
    oai = openai.AzureOpenAI(
        azure_endpoint=server.endpoint, api_key="k", api_version=API_VERSION, max_retries=0
    )
    file = oai.files.create(file=("train.jsonl", TRAINING), purpose="fine-tune")
    assert (file.id.startswith("file-"), file.filename, file.bytes) == (
        True,
        "train.jsonl",
        len(TRAINING),
    )
    assert oai.files.retrieve(file.id).status == "processed"
    assert oai.files.content(file.id).read() == TRAINING
    jobs = [
        oai.fine_tuning.jobs.create(
            model="gpt-35-turbo-0125", training_file=file.id, suffix=f"n{n}"
        )
        for n in range(3)
    ]
    assert [job.status for job in jobs] == ["pending"] * 3
    done = oai.fine_tuning.jobs.retrieve(jobs[0].id)
    assert done.status == "succeeded"
    assert done.fine_tuned_model == f"gpt-35-turbo-0125.ft-{jobs[0].id.removeprefix('ftjob-')}-n0"
    listed = [job.id for job in oai.fine_tuning.jobs.list(limit=2)]  # pages through all
    assert listed == [job.id for job in reversed(jobs)]
    events = [event.message for event in oai.fine_tuning.jobs.list_events(jobs[0].id, limit=3)]
    assert events[0] == "Job succeeded."
    assert len(events) == len(azure_openai_emulator.state.fine_tuning_event_list(jobs[0].id))
    checkpoints = list(oai.fine_tuning.jobs.checkpoints.list(jobs[0].id))
    assert [c.step_number for c in checkpoints] == [12, 8, 4]
    models = [model.id for model in oai.models.list()]
    assert done.fine_tuned_model in models
    with pytest.raises(openai.NotFoundError):
        oai.fine_tuning.jobs.retrieve("ftjob-missing")
    with pytest.raises(openai.BadRequestError) as caught:
        oai.fine_tuning.jobs.create(model="gpt-4o-2024-05-13", training_file=file.id)
    assert caught.value.code == "invalidPayload"


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
@pytest.mark.azure_openai_emulator(progress="on_read")
def test_async_files_and_fine_tuning(server: EmulatorServer, backend: str) -> None:
    async def scenario() -> tuple[str, str, str, list[str]]:
        async with openai.AsyncAzureOpenAI(
            azure_endpoint=server.endpoint, api_key="k", api_version=API_VERSION, max_retries=0
        ) as oai:
            file = await oai.files.create(file=("train.jsonl", TRAINING), purpose="fine-tune")
            created = await oai.fine_tuning.jobs.create(model="babbage-002", training_file=file.id)
            retrieved = await oai.fine_tuning.jobs.retrieve(created.id)
            cancelled = await oai.fine_tuning.jobs.cancel(
                (await oai.fine_tuning.jobs.create(model="babbage-002", training_file=file.id)).id
            )
            ids = [job.id async for job in oai.fine_tuning.jobs.list(limit=1)]
            return created.status, retrieved.status, cancelled.status, ids

    created, retrieved, cancelled, ids = anyio.run(scenario, backend=backend)
    assert (created, retrieved, cancelled) == ("pending", "running", "cancelled")
    assert len(ids) == 2
