"""The whole call table again, against Prism's dynamic mode (``--dynamic --seed``).

Dynamic bodies are generated from the response schemas: optional fields present or not,
any enum member, any ``oneOf`` branch, random extra properties. Every operation's answer
must still parse into the documented type, sync and async. Whatever the SDK records as a
spec deviation while parsing (``azure_oai_preview.deviations(result)``) is not a failure:
it is listed in the terminal summary ("SDK deviations recorded while parsing mock
responses") so that a schema the SDK cannot fully type is visible. Response-side
violations that Prism reports about its own generated bodies are listed by the harness.
Each call goes to the dynamic server of its document (inference or authoring).
"""

from __future__ import annotations

import httpx
import pytest

from ._calls import (
    CALLS,
    OperationCall,
    async_client,
    contract_report,  # noqa: F401 - autouse: prints deviations in the terminal summary
    run_async,
    run_sync,
    sync_client,
)
from .harness import PrismServer, ViolationRecorder, server_name

pytestmark = pytest.mark.contract

PARAMS = [pytest.param(call, server_name("dynamic", call.document), id=call.id) for call in CALLS]
"""Each call with the dynamic server of its document (``prism`` is parametrized indirectly)."""


@pytest.mark.parametrize(("call", "prism"), PARAMS, indirect=["prism"])
def test_dynamic_response_parses(
    call: OperationCall,
    prism: PrismServer,
    contract_http_client: httpx.Client,
    violations: ViolationRecorder,
) -> None:
    client = sync_client(prism, contract_http_client)
    run_sync(call, client, prism, violations, plain=False)


@pytest.mark.parametrize(("call", "prism"), PARAMS, indirect=["prism"])
async def test_dynamic_response_parses_async(
    call: OperationCall,
    prism: PrismServer,
    contract_async_http_client: httpx.AsyncClient,
    violations: ViolationRecorder,
) -> None:
    client = async_client(prism, contract_async_http_client)
    await run_async(call, client, prism, violations, plain=False)
