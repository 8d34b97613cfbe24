"""Contract-test harness: Prism mock servers built from the spec, and a violation recorder.

Public names (import from here, not from the submodules):

* ``PrismFleet`` / ``PrismServer`` — session-wide Prism processes (``base_url``,
  ``api_root``, ``url(path)``, ``spec``, ``operations``, ``log_path``, ``compile_problems``);
* ``ViolationRecorder`` / ``Violation`` / ``ContractViolationError`` — what Prism said about
  each call, failing on request-side violations; ``contract_client`` /
  ``contract_async_client`` build httpx clients that feed a recorder;
* ``explain_violations`` / ``declared_transforms`` — map untransformed-spec violations to
  the declared spec transforms.
"""

from .node import NodeToolchainError, ensure_prism
from .prism import (
    AUTHORING_DYNAMIC,
    AUTHORING_STATIC,
    AUTHORING_UNTRANSFORMED,
    DYNAMIC,
    SERVER_CONFIGS,
    STATIC,
    UNTRANSFORMED,
    PrismFleet,
    PrismServer,
    PrismStartupError,
    ServerConfig,
    server_name,
)
from .specs import AdapterChange, MockSpec, SchemaCompileProblem
from .transform_map import (
    Explanation,
    TransformTouch,
    UnexplainedViolationsError,
    declared_transforms,
    explain_violations,
    locate,
    touch_of,
)
from .violations import (
    ContractViolationError,
    ExpectedViolations,
    RecordedCall,
    Violation,
    ViolationRecorder,
    contract_async_client,
    contract_client,
)

__all__ = [
    "AUTHORING_DYNAMIC",
    "AUTHORING_STATIC",
    "AUTHORING_UNTRANSFORMED",
    "DYNAMIC",
    "SERVER_CONFIGS",
    "STATIC",
    "UNTRANSFORMED",
    "AdapterChange",
    "ContractViolationError",
    "ExpectedViolations",
    "Explanation",
    "MockSpec",
    "NodeToolchainError",
    "PrismFleet",
    "PrismServer",
    "PrismStartupError",
    "RecordedCall",
    "SchemaCompileProblem",
    "ServerConfig",
    "TransformTouch",
    "UnexplainedViolationsError",
    "Violation",
    "ViolationRecorder",
    "contract_async_client",
    "contract_client",
    "declared_transforms",
    "ensure_prism",
    "explain_violations",
    "locate",
    "server_name",
    "touch_of",
]
