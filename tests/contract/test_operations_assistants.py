"""assistants operations against the static mock, sync and async (see test_operations_inference)."""

from __future__ import annotations

import httpx
import pytest

from ._calls import (
    ASSISTANTS,
    OperationCall,
    async_client,
    calls_in,
    contract_report,  # noqa: F401 - autouse: prints deviations in the terminal summary
    run_async,
    run_sync,
    sync_client,
)
from .harness import PrismServer, ViolationRecorder

pytestmark = pytest.mark.contract


@pytest.mark.parametrize("call", calls_in(ASSISTANTS))
def test_sync(
    call: OperationCall,
    prism_server: PrismServer,
    contract_http_client: httpx.Client,
    violations: ViolationRecorder,
) -> None:
    run_sync(call, sync_client(prism_server, contract_http_client), prism_server, violations)


@pytest.mark.parametrize("call", calls_in(ASSISTANTS))
async def test_async(
    call: OperationCall,
    prism_server: PrismServer,
    contract_async_http_client: httpx.AsyncClient,
    violations: ViolationRecorder,
) -> None:
    client = async_client(prism_server, contract_async_http_client)
    await run_async(call, client, prism_server, violations)
