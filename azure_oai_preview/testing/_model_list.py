"""The models the emulated resource offers (authoring ``Models_List`` / ``Models_Get``).

Base models come from a configurable catalogue of :class:`ModelInfo` entries (capabilities,
life-cycle status, deprecation dates); each successful fine-tuning job adds its fine-tuned
model, which disappears again when the job is deleted. Models are not deployments: a test
that wants to call a model adds a :class:`~azure_oai_preview.testing.Deployment` for it.
"""

from __future__ import annotations

from collections.abc import Iterable

from ._catalogue import CAPABILITIES, ModelInfo
from ._errors import authoring_error
from ._state import Json
from ._wire import EmulatedResponse, json_response
from ._world import Call, World

__all__ = ["HANDLERS", "fine_tuned_model_object", "model_object"]

_YEAR = 365 * 86_400


def _capabilities(names: Iterable[str]) -> dict[str, bool]:
    present = set(names)
    return {name: name in present for name in CAPABILITIES}


def model_object(info: ModelInfo) -> Json:
    """A base model as the service sends it (``Model``)."""
    deprecation: Json = {"inference": info.inference_until or info.created_at + 2 * _YEAR}
    if info.fine_tunable:
        deprecation["fine_tune"] = info.fine_tune_until or info.created_at + _YEAR
    return {
        "object": "model",
        "id": info.id,
        "created_at": info.created_at,
        "status": "succeeded",
        "capabilities": _capabilities(info.capabilities),
        "lifecycle_status": info.lifecycle_status,
        "deprecation": deprecation,
    }


def fine_tuned_model_object(base: ModelInfo, model_id: str, job_id: str, created_at: int) -> Json:
    """The model a successful fine-tuning job of ``base`` produces: it can be deployed for
    what its base does, and not fine-tuned again."""
    return {
        "object": "model",
        "id": model_id,
        "created_at": created_at,
        "status": "succeeded",
        "model": base.id,
        "fine_tune": job_id,
        "capabilities": _capabilities(base.capabilities - {"fine_tune"}),
        "lifecycle_status": base.lifecycle_status,
        "deprecation": {"inference": created_at + 2 * _YEAR},
    }


def _all_models(world: World) -> list[Json]:
    models = [model_object(info) for info in world.models.values()]
    models += [r.model for r in world.state.fine_tuning_jobs.values() if r.model is not None]
    return models


def list_models(world: World, call: Call) -> EmulatedResponse:
    return json_response(200, {"object": "list", "data": _all_models(world)})


def get_model(world: World, call: Call) -> EmulatedResponse:
    model_id = call.path_params["model-id"]
    for model in _all_models(world):
        if model["id"] == model_id:
            return json_response(200, model)
    raise authoring_error(404, "notFound", f"The model '{model_id}' does not exist.")


HANDLERS = {"Models_List": list_models, "Models_Get": get_model}
