"""The run statuses after which a run waits for nothing more from the service."""

from __future__ import annotations

__all__ = ["RUN_SETTLED_STATUSES"]

RUN_SETTLED_STATUSES = frozenset(
    {"requires_action", "cancelled", "failed", "completed", "expired", "incomplete"}
)
"""Run statuses after which a run has settled: it is over, or waits for tool outputs.

Polling stops at them, and a run stream that reached one is complete even if its ``done``
event was lost (the service ends the stream there)."""
