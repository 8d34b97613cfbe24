"""The generated request/response models and the request parameter TypedDicts.

The models are generated into one module per API area (``_chat``, ``_assistants``,
``_vector_stores``, ``_files``, ...; ``_common`` holds what several areas share), and
``_areas.MODEL_AREAS`` says which module holds each name. Importing this package is free:
asking for a name imports its area's module (and ``_common``) on first access, so a chat-only
application never loads the assistants, vector-store or authoring models.
``from azure_oai_preview.models import RunObject`` works as usual, and so does
``from azure_oai_preview.models import ChatCompletionsCreateParams`` (the parameter module is
imported only when one of its names is asked for). ``from azure_oai_preview.models import *``
imports every area.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from azure_oai_preview.models._generated import *  # noqa: F403
    from azure_oai_preview.models._params import *  # noqa: F403

_PARAMS = f"{__name__}._params"


def _module_of(name: str) -> str | None:
    # The layout is data; importing it imports no model.
    from ._areas import MODEL_AREAS, MODULES

    area = MODEL_AREAS.get(name)
    return None if area is None else f"{__name__}.{MODULES[area]}"


def __getattr__(name: str) -> Any:
    if name == "__all__":  # `from azure_oai_preview.models import *`
        return _public_names()
    if name.startswith("_"):
        # Private names are submodules (`from . import _chat`) or dunders: never a model. Saying
        # so lets the import system import the submodule instead of recursing in here.
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module_name = _module_of(name)
    if module_name is None:
        # Request parameter TypedDicts (`...Param`, `...Params`); asked for rarely at runtime.
        module = importlib.import_module(_PARAMS)
        if name not in module.__all__:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    else:
        module = importlib.import_module(module_name)
    value = getattr(module, name)
    globals()[name] = value  # later look-ups skip this function
    return value


def _public_names() -> list[str]:
    from ._areas import MODEL_AREAS

    return [*MODEL_AREAS, *importlib.import_module(_PARAMS).__all__]


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_public_names()))
