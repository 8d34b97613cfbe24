"""The generated request/response models (see :mod:`azure_oai_preview.models._generated`).

Importing this package is free: the models module is imported on first attribute access, so
``import azure_oai_preview`` does not pay for hundreds of classes it may never use.
``from azure_oai_preview.models import RunObject`` works as usual.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from azure_oai_preview.models._generated import *  # noqa: F403

_GENERATED = f"{__name__}._generated"


def __getattr__(name: str) -> Any:
    # import_module, not `from . import _generated`: the latter asks this very function for
    # `_generated` first and recurses.
    module = importlib.import_module(_GENERATED)
    if name == "__all__":  # `from azure_oai_preview.models import *`
        names: list[str] = module.__all__
        return names
    if name in module.__all__:
        value = getattr(module, name)
        globals()[name] = value  # later look-ups skip this function
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(importlib.import_module(_GENERATED).__all__))
