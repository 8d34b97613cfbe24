"""The generated request/response models (see :mod:`azure_oai_preview.models._generated`) and
the request parameter TypedDicts (see :mod:`azure_oai_preview.models._params`).

Importing this package is free: the models module is imported on first attribute access, so
``import azure_oai_preview`` does not pay for hundreds of classes it may never use.
``from azure_oai_preview.models import RunObject`` works as usual, and so does
``from azure_oai_preview.models import ChatCompletionsCreateParams`` (the parameter module is
imported only when one of its names is asked for).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from azure_oai_preview.models._generated import *  # noqa: F403
    from azure_oai_preview.models._params import *  # noqa: F403

_GENERATED = f"{__name__}._generated"
_PARAMS = f"{__name__}._params"


def __getattr__(name: str) -> Any:
    # import_module, not `from . import _generated`: the latter asks this very function for
    # `_generated` first and recurses.
    module = importlib.import_module(_GENERATED)
    if name == "__all__":  # `from azure_oai_preview.models import *`
        names: list[str] = [*module.__all__, *importlib.import_module(_PARAMS).__all__]
        return names
    if name not in module.__all__:
        # Request parameter TypedDicts (`...Param`, `...Params`); asked for rarely at runtime.
        module = importlib.import_module(_PARAMS)
        if name not in module.__all__:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(module, name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    names = importlib.import_module(_GENERATED).__all__ + importlib.import_module(_PARAMS).__all__
    return sorted(set(globals()) | set(names))
