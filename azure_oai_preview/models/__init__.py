"""The generated request/response models and the request parameter TypedDicts.

Both are generated into one module per API area: the models into ``_chat``, ``_assistants``,
``_vector_stores``, ``_files``, ... (``_common`` holds what several areas share), the parameter
TypedDicts into ``_params_chat``, ``_params_assistants``, ...; ``_areas`` says which module holds
each name. Importing this package is free: asking for a name imports its area's module (and
the common one) on first access, so a chat-only application never loads the assistants,
vector-store or authoring models. ``from azure_oai_preview.models import RunObject`` works as
usual, and so does ``from azure_oai_preview.models import ChatCompletionsCreateParams``.
``from azure_oai_preview.models import *`` imports every area.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from azure_oai_preview.models._generated import *  # noqa: F403
    from azure_oai_preview.models._params import *  # noqa: F403


def _module_of(name: str) -> str | None:
    # The layout is data; importing it imports no model.
    from ._areas import MODEL_AREAS, MODULES, PARAM_AREAS, PARAM_MODULES

    area = MODEL_AREAS.get(name)
    if area is not None:
        return f"{__name__}.{MODULES[area]}"
    area = PARAM_AREAS.get(name)
    return None if area is None else f"{__name__}.{PARAM_MODULES[area]}"


def __getattr__(name: str) -> Any:
    if name == "__all__":  # `from azure_oai_preview.models import *`
        return _public_names()
    # Private names are submodules (`from . import _chat`) or dunders, never a model: saying
    # so lets the import system import the submodule instead of recursing in here.
    module_name = None if name.startswith("_") else _module_of(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def _public_names() -> list[str]:
    from ._areas import MODEL_AREAS, PARAM_AREAS

    return [*MODEL_AREAS, *PARAM_AREAS]


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_public_names()))
