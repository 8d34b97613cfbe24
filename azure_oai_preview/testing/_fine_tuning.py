"""Fine-tuning jobs (authoring API): create, list, get, cancel, delete, events, checkpoints.

A job is created ``pending`` (event "Job enqueued..."), then moves ``running`` (the training
file is validated now: a file that failed validation or was deleted fails the job), then
``succeeded``: it gets a ``fine_tuned_model`` (``<base>.ft-<hex>[-<suffix>]``, which
``Models_List`` then lists), ``trained_tokens``, a ``fine-tune-results`` file
(``results.csv``), checkpoints for its last three epochs and a ``metrics`` event per epoch.
:meth:`Script.fail_fine_tuning` makes it ``failed`` instead (an ``error`` event says why).
Cancel works while ``pending`` or ``running`` and is immediate (``cancelled``, like the
spec's example); delete only works on a finished job (the states the spec calls terminal),
and takes its fine-tuned model with it. Lists are newest first, paged with ``after`` and
``limit`` (default 20; checkpoints 10).

Creation checks what the service checks: the base model exists and can be fine-tuned, the
files exist, have purpose ``fine-tune`` and did not fail validation, and the suffix has at
most 40 of ``a-z A-Z 0-9 - _``.
"""

from __future__ import annotations

import re
from typing import Any

from . import _files
from ._behaviour import count_tokens
from ._catalogue import ModelInfo
from ._errors import ServiceError, authoring_error, authoring_lookup
from ._jsonish import as_mapping
from ._model_list import fine_tuned_model_object
from ._pages import short_page
from ._state import FineTuningRecord, Json, StoredFile
from ._wire import EmulatedResponse, json_response
from ._world import Call, World

__all__ = ["HANDLERS", "progress"]

TERMINAL = frozenset({"succeeded", "failed", "cancelled"})
_SUFFIX = re.compile(r"[A-Za-z0-9_-]{1,40}")
_AUTO_EPOCHS = 3
_CHECKPOINTS_KEPT = 3


def _invalid(message: str, target: str) -> ServiceError:
    return authoring_error(400, "invalidPayload", message, target)


def _record(world: World, call: Call) -> FineTuningRecord:
    job_id = call.path_params["fine-tuning-job-id"]
    return authoring_lookup(world.state.fine_tuning_jobs, job_id, "fine tuning job")


def _event(world: World, record: FineTuningRecord, message: str, **extra: Any) -> None:
    event: Json = {
        "object": "fine_tuning.job.event",
        "id": world.ids.hex("ftevent-"),
        "created_at": world.clock.now(),
        "level": extra.pop("level", "info"),
        "message": message,
        "type": extra.pop("type", "message"),
    }
    record.events.append({**event, **extra})


def _check_file(world: World, file_id: str, target: str) -> None:
    stored = world.state.files.get(file_id)
    if stored is None:
        raise _invalid(f"The file '{file_id}' does not exist.", target)
    if stored.purpose != "fine-tune":
        raise _invalid(
            f"The file '{file_id}' has purpose '{stored.purpose}'; fine-tuning needs files "
            "with purpose 'fine-tune'.",
            target,
        )
    if stored.status == "error":
        raise authoring_error(
            400,
            "jsonlValidationFailed",
            f"The file '{file_id}' failed validation: {stored.object.get('status_details')}",
            target,
        )


def _check_hyperparameters(given: Any) -> None:
    values = as_mapping(given) or {}
    for name in ("n_epochs", "batch_size"):
        value = values.get(name)
        if isinstance(value, int) and value != -1 and value < 1:
            raise _invalid(f"'{name}' must be at least 1 (or -1 for the default).", name)
    rate = values.get("learning_rate_multiplier")
    if isinstance(rate, int | float) and rate <= 0:
        raise _invalid(
            "'learning_rate_multiplier' must be greater than 0.", "learning_rate_multiplier"
        )


def create_job(world: World, call: Call) -> EmulatedResponse:
    body = call.body
    base = world.models.get(body["model"])
    if base is None or not base.fine_tunable:
        raise _invalid(f"The base model '{body['model']}' does not support fine-tuning.", "model")
    _check_file(world, body["training_file"], "training_file")
    if body.get("validation_file") is not None:
        _check_file(world, body["validation_file"], "validation_file")
    suffix = body.get("suffix")
    if suffix is not None and not _SUFFIX.fullmatch(suffix):
        raise _invalid("The suffix must be 1 to 40 characters of a-z, A-Z, 0-9, - and _.", "suffix")
    _check_hyperparameters(body.get("hyperparameters"))
    job_id = world.ids.hex("ftjob-")
    job: Json = {
        "object": "fine_tuning.job",
        "id": job_id,
        "created_at": world.clock.now(),
        "status": "pending",
        "model": base.id,
        "training_file": body["training_file"],
        "hyperparameters": body.get("hyperparameters") or {"n_epochs": -1},
        "result_files": [],
        "seed": body["seed"] if body.get("seed") is not None else int(job_id[-7:], 16),
    }
    for name in ("validation_file", "suffix"):
        if body.get(name) is not None:
            job[name] = body[name]
    record = FineTuningRecord(job)
    world.state.fine_tuning_jobs[job_id] = record
    _event(world, record, "Job enqueued. Waiting for jobs ahead to complete.")
    location = f"{call.base_url}/openai/fine_tuning/jobs/{job_id}"
    return json_response(201, job, {"location": location})


def list_jobs(world: World, call: Call) -> EmulatedResponse:
    jobs = [record.job for record in world.state.fine_tuning_jobs.values()]
    return json_response(200, short_page(jobs, call.query))


def get_job(world: World, call: Call) -> EmulatedResponse:
    record = _record(world, call)
    if world.progress == "on_read":
        _step(world, record)
    return json_response(200, record.job)


def cancel_job(world: World, call: Call) -> EmulatedResponse:
    record = _record(world, call)
    if record.status in TERMINAL:
        raise authoring_error(
            409,
            "unexpectedEntityState",
            f"The fine tuning job '{record.job['id']}' is {record.status} and cannot be cancelled.",
        )
    record.job.update(status="cancelled", finished_at=world.clock.now())
    _event(world, record, "Job cancelled.")
    return json_response(200, record.job)


def delete_job(world: World, call: Call) -> EmulatedResponse:
    record = _record(world, call)
    if record.status not in TERMINAL:
        raise authoring_error(
            409,
            "unexpectedEntityState",
            f"The fine tuning job '{record.job['id']}' is {record.status}: cancel it before "
            "deleting it.",
        )
    del world.state.fine_tuning_jobs[record.job["id"]]
    return EmulatedResponse(204)


def list_events(world: World, call: Call) -> EmulatedResponse:
    return json_response(200, short_page(_record(world, call).events, call.query))


def list_checkpoints(world: World, call: Call) -> EmulatedResponse:
    record = _record(world, call)
    return json_response(200, short_page(record.checkpoints, call.query, default_limit=10))


# -- the state machine ------------------------------------------------------------------------


def _file_problem(world: World, job: Json) -> str | None:
    for name in ("training_file", "validation_file"):
        file_id = job.get(name)
        if file_id is None:
            continue
        stored = world.state.files.get(file_id)
        if stored is None:
            return f"The {name.replace('_', ' ')} '{file_id}' was deleted."
        _files.process(stored)  # validated when the job starts, if not yet
        if stored.status == "error":
            details = stored.object.get("status_details")
            return f"The {name.replace('_', ' ')} '{file_id}' failed validation: {details}"
    return None


def _fail(world: World, record: FineTuningRecord, message: str) -> None:
    record.job["status"] = "failed"
    _event(world, record, message, level="error")


def _step(world: World, record: FineTuningRecord) -> bool:
    if record.status == "pending":
        problem = _file_problem(world, record.job)
        if problem is not None:
            _fail(world, record, problem)
        else:
            record.job["status"] = "running"
            _event(world, record, "Job started.")
        return True
    if record.status == "running":
        failure = world.script.job_failure("fine_tuning")
        if failure is not None:
            _fail(world, record, failure)
        else:
            _succeed(world, record)
        return True
    return False


def _examples(stored: StoredFile | None) -> tuple[int, int]:
    """How many training examples (lines) and tokens the file holds (0s once deleted)."""
    if stored is None:
        return 0, 0
    text = stored.content.decode("utf-8", "replace")
    return sum(1 for line in text.splitlines() if line.strip()), count_tokens(text)


def _setting(job: Json, name: str, default: int) -> int:
    value = job["hyperparameters"].get(name)
    return value if isinstance(value, int) and value > 0 else default


def _succeed(world: World, record: FineTuningRecord) -> None:
    job = record.job
    now = world.clock.now()
    examples, tokens = _examples(world.state.files.get(job["training_file"]))
    epochs = _setting(job, "n_epochs", _AUTO_EPOCHS)
    per_epoch = max(1, examples // _setting(job, "batch_size", 1))
    base = world.models.get(job["model"]) or ModelInfo(job["model"])
    model_id = f"{base.id}.ft-{job['id'].removeprefix('ftjob-')}"
    if job.get("suffix"):
        model_id += f"-{job['suffix']}"
    rows = ["step,train_loss,train_mean_token_accuracy"]
    for epoch in range(1, epochs + 1):
        step = epoch * per_epoch
        metrics = {"step": float(step), "train_loss": round(1.2 / (epoch + 1), 4)}
        metrics["train_mean_token_accuracy"] = round(1 - metrics["train_loss"] / 2, 4)
        rows.append(f"{step},{metrics['train_loss']},{metrics['train_mean_token_accuracy']}")
        message = f"Step {step}/{epochs * per_epoch}: training loss={metrics['train_loss']}"
        _event(world, record, message, type="metrics", data=metrics)
        if epoch > epochs - _CHECKPOINTS_KEPT:
            record.checkpoints.append(
                {
                    "object": "fine_tuning.job.checkpoint",
                    "id": world.ids.new("ftckpt_"),
                    "created_at": now,
                    "fine_tuned_model_checkpoint": f"{model_id}:ckpt-step-{step}",
                    "step_number": step,
                    "metrics": metrics,
                    "fine_tuning_job_id": job["id"],
                }
            )
    results = _results_file(world, "\n".join(rows) + "\n")
    _event(world, record, f"Completed results file: {results}")
    _event(world, record, f"Training tokens billed: {tokens * epochs}")
    job.update(
        status="succeeded",
        fine_tuned_model=model_id,
        finished_at=now,
        trained_tokens=tokens * epochs,
        result_files=[results],
    )
    record.model = fine_tuned_model_object(base, model_id, job["id"], now)
    _event(world, record, "Job succeeded.")


def _results_file(world: World, csv: str) -> str:
    file_id = world.ids.hex("file-")
    content = csv.encode()
    world.state.files[file_id] = StoredFile(
        {
            "object": "file",
            "id": file_id,
            "created_at": world.clock.now(),
            "bytes": len(content),
            "purpose": "fine-tune-results",
            "filename": "results.csv",
            "status": "processed",
        },
        content,
    )
    return file_id


def progress(world: World) -> int:
    """The fine-tuning progressor: every unfinished job moves one step."""
    return sum(_step(world, record) for record in list(world.state.fine_tuning_jobs.values()))


HANDLERS = {
    "FineTuning_Create": create_job,
    "FineTuning_List": list_jobs,
    "FineTuning_Get": get_job,
    "FineTuning_Cancel": cancel_job,
    "FineTuning_Delete": delete_job,
    "FineTuning_GetEvents": list_events,
    "FineTuning_GetCheckpoints": list_checkpoints,
}
