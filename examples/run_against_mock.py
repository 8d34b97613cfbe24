"""Run an example script against a local Prism mock server serving the pinned spec.

Used by `nox -s quickstart` when no Azure endpoint is configured: it starts the same
spec-driven mock the contract tests use, points the example at it through the standard
environment variables, and stops the server afterwards whatever happens.
"""

from __future__ import annotations

import os
import runpy
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.contract.harness import PrismFleet  # noqa: E402  (after the path set-up)
from tests.contract.harness.config import default_api_version  # noqa: E402


def main(script: str) -> None:
    fleet = PrismFleet(default_api_version())
    try:
        server = fleet.get("static")
        print(
            f"[quickstart] Prism mock of api-version {default_api_version()} at {server.base_url}"
        )
        os.environ.update(
            {
                "AZURE_OPENAI_ENDPOINT": server.base_url,
                "AZURE_OPENAI_API_KEY": "mock-key",
                "QUICKSTART_ALLOW_HTTP": "1",
            }
        )
        runpy.run_path(script, run_name="__main__")
    finally:
        fleet.close()


if __name__ == "__main__":
    main(sys.argv[1])
