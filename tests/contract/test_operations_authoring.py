"""The authoring document's operations (files, fine-tuning, models, ingestion jobs) against
Prism serving that document, sync and async (see test_operations_inference)."""

from __future__ import annotations

import httpx
import pytest

from ._calls import (
    AUTHORING,
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


@pytest.mark.parametrize("call", calls_in(AUTHORING))
def test_sync(
    call: OperationCall,
    authoring_prism_server: PrismServer,
    contract_http_client: httpx.Client,
    violations: ViolationRecorder,
) -> None:
    client = sync_client(authoring_prism_server, contract_http_client)
    run_sync(call, client, authoring_prism_server, violations)


@pytest.mark.parametrize("call", calls_in(AUTHORING))
async def test_async(
    call: OperationCall,
    authoring_prism_server: PrismServer,
    contract_async_http_client: httpx.AsyncClient,
    violations: ViolationRecorder,
) -> None:
    client = async_client(authoring_prism_server, contract_async_http_client)
    await run_async(call, client, authoring_prism_server, violations)
