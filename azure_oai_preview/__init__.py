"""Typed client for the Azure OpenAI preview data-plane API.

>>> from azure_oai_preview import AzureOpenAI
>>> client = AzureOpenAI(endpoint="https://myres.openai.azure.com", api_key="...")

Importing this package is cheap: names are loaded on first use, and the generated models
(``azure_oai_preview.models``) build their validators only when first needed.

The public names are those in the ``__all__`` of the modules in :data:`_SOURCES` (plus
``models`` and ``__version__``): a name a module adds to its ``__all__`` is public here
without an edit. Type checkers read the same recipe from the ``TYPE_CHECKING`` block below;
``tests/unit/test_public_api.py`` keeps the two in step.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from . import (
        _assistant_stream,
        _binary,
        _chat_stream,
        _client,
        _deviations,
        _embeddings,
        _exceptions,
        _files,
        _next_link,
        _options,
        _pagination,
        _pool,
        _raw,
        _streaming,
    )
    from . import models as models
    from ._assistant_stream import *  # noqa: F403
    from ._binary import *  # noqa: F403
    from ._chat_stream import *  # noqa: F403
    from ._client import *  # noqa: F403
    from ._deviations import *  # noqa: F403
    from ._embeddings import *  # noqa: F403
    from ._exceptions import *  # noqa: F403
    from ._files import *  # noqa: F403
    from ._next_link import *  # noqa: F403
    from ._options import *  # noqa: F403
    from ._pagination import *  # noqa: F403
    from ._pool import *  # noqa: F403
    from ._raw import *  # noqa: F403
    from ._streaming import *  # noqa: F403

    __all__ = ["__version__", "models"]
    __all__ += _client.__all__
    __all__ += _exceptions.__all__
    __all__ += _raw.__all__
    __all__ += _options.__all__
    __all__ += _pagination.__all__
    __all__ += _next_link.__all__
    __all__ += _streaming.__all__
    __all__ += _chat_stream.__all__
    __all__ += _assistant_stream.__all__
    __all__ += _binary.__all__
    __all__ += _files.__all__
    __all__ += _deviations.__all__
    __all__ += _embeddings.__all__
    __all__ += _pool.__all__

# Cheapest first: `from azure_oai_preview import AzureOpenAI` imports `_client` and stops.
_SOURCES = (
    "._client",
    "._exceptions",
    "._raw",
    "._options",
    "._pagination",
    "._next_link",
    "._streaming",
    "._chat_stream",
    "._assistant_stream",
    "._binary",
    "._files",
    "._deviations",
    "._embeddings",
    "._pool",
)


def _source(module_name: str) -> ModuleType:
    return importlib.import_module(module_name, __name__)


def _export_map() -> dict[str, str]:
    """Every public name and the module it comes from (imports them all)."""
    exports = {"models": ".models"}
    for module_name in _SOURCES:
        for name in _source(module_name).__all__:
            exports.setdefault(name, module_name)
    return exports


def __getattr__(name: str) -> Any:
    if name == "__all__":
        value: Any = ["__version__", *_export_map()]
    elif name == "models":
        value = _source(".models")
    elif name.startswith("_"):
        raise AttributeError(f"module 'azure_oai_preview' has no attribute {name!r}")
    else:
        for module_name in _SOURCES:
            module = _source(module_name)
            if name in module.__all__:
                value = getattr(module, name)
                break
        else:
            raise AttributeError(f"module 'azure_oai_preview' has no attribute {name!r}")
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__getattr__("__all__")})
