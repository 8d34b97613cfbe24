"""Streams of assistant runs: typed events, accumulated snapshots and event handlers.

``runs.create(..., stream=True)``, ``runs.stream(...)``, ``threads.create_and_run(...,
stream=True)`` and ``runs.submit_tool_outputs(..., stream=True)`` answer with server-sent
events, one per change of a thread, run, run step or message::

    event: thread.message.delta
    data: {"id": "msg_1", "object": "thread.message.delta", "delta": {"content": [...]}}

One concern per module, top to bottom:

* ``_events`` - decoding: each SSE event into its member of the generated
  ``models.AssistantStreamEvent`` union (the one source of the event types);
* ``.._delta`` (shared with chat streams) - the one rule that merges deltas;
* ``_accumulator`` - snapshots of messages and run steps, and the run accumulator;
* ``_handlers`` - the hook table both handler flavours share, and the plan of which hooks
  an event calls;
* ``_machine`` - the sans-IO core that ties the three together;
* ``_streams`` - the sync and async streams (thin loops over the machine), the two handler
  classes, the reader that opens a stream for a call, and the async stream manager.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._accumulator import RunStreamSnapshot
from ._streams import (
    AssistantEventHandler,
    AssistantStream,
    AsyncAssistantEventHandler,
    AsyncAssistantStream,
)

if TYPE_CHECKING:
    from ..models import AssistantStreamEvent as AssistantStreamEvent
    from ..models import UnknownAssistantStreamEvent as UnknownStreamEvent

# The public names. The reader, the async stream manager and the machinery are imported from
# their modules by the resources (runs, threads) and the tests; they are not part of the API.
__all__ = [
    "AssistantEventHandler",
    "AssistantStream",
    "AssistantStreamEvent",
    "AsyncAssistantEventHandler",
    "AsyncAssistantStream",
    "RunStreamSnapshot",
    "UnknownStreamEvent",
]

# The event types are the generated ones, reached lazily (importing the models is the
# expensive part of the package): ``AssistantStreamEvent`` is ``models.AssistantStreamEvent``
# itself, and ``UnknownStreamEvent`` its fallback member for events this spec does not know.
_FROM_MODELS = {
    "AssistantStreamEvent": "AssistantStreamEvent",
    "UnknownStreamEvent": "UnknownAssistantStreamEvent",
}


def __getattr__(name: str) -> Any:
    model_name = _FROM_MODELS.get(name)
    if model_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from .. import models

    value = getattr(models, model_name)
    globals()[name] = value
    return value
