"""The ``AZURE_OAI_PREVIEW_LOG`` switch, like openai-python's ``OPENAI_LOG``.

``AZURE_OAI_PREVIEW_LOG=debug`` (or ``info``, ``warning``, ``error``) makes the
``azure_oai_preview`` logger write to stderr at that level, without any logging setup in the
application. It is read whenever a client is built. Apps that configure logging themselves
need none of this: the logger is an ordinary ``logging`` logger.

Nothing this package logs contains an api-key or a token: requests are logged as method,
URL without query, status and request id; credentials only by their type name.
"""

from __future__ import annotations

import logging
import os
import sys
import warnings
from typing import TYPE_CHECKING, TextIO

__all__ = ["LOG_ENV", "setup_logging"]

LOG_ENV = "AZURE_OAI_PREVIEW_LOG"
"""The environment variable read by :func:`setup_logging`."""

_LEVELS = {
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warning": logging.WARNING,
    "error": logging.ERROR,
}
_FORMAT = "[%(asctime)s %(levelname)s %(name)s] %(message)s"

_logger = logging.getLogger("azure_oai_preview")


if TYPE_CHECKING:
    _StreamHandler = logging.StreamHandler[TextIO]
else:  # not subscriptable at run time before Python 3.11
    _StreamHandler = logging.StreamHandler


class _StderrHandler(_StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the time (it may be redirected later)."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr  # under the handler's lock, held by Handler.handle
        super().emit(record)


def setup_logging() -> None:
    """Apply ``AZURE_OAI_PREVIEW_LOG``; does nothing when it is unset or empty.

    An unknown value is ignored with a ``RuntimeWarning`` (a typo in a deployment's
    environment should not stop the app).
    """
    value = os.environ.get(LOG_ENV, "").strip().lower()
    if not value:
        return
    level = _LEVELS.get(value)
    if level is None:
        warnings.warn(
            f"{LOG_ENV} is set to an unknown level and is ignored; use one of {', '.join(_LEVELS)}",
            RuntimeWarning,
            stacklevel=4,
        )
        return
    _logger.setLevel(level)
    if not any(isinstance(handler, _StderrHandler) for handler in _logger.handlers):
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter(_FORMAT))
        _logger.addHandler(handler)
