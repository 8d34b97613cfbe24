"""From an :class:`EmulatedRequest` to an :class:`EmulatedResponse`, the way the service
answers: route, credentials, api-version, injected faults, deployment, body and query
checks, the operation itself, then the request id and the journal entry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from ._errors import ServiceError, resource_not_found
from ._requests import path_values, read_body, read_query
from ._routes import Route, emulator_route, match
from ._run_engine import expire_due
from ._wire import EmulatedRequest, EmulatedResponse, json_response
from ._world import Call, Exchange, World

__all__ = ["Handler", "dispatch"]

Handler = Callable[[World, Call], EmulatedResponse]

_PREFIX = "/openai"
_UNAUTHORIZED = (
    "Access denied due to invalid subscription key or wrong API endpoint. Make sure to "
    "provide a valid key for an active subscription and use a correct regional API endpoint "
    "for your resource."
)


def dispatch(
    world: World, handlers: Mapping[str, Handler], request: EmulatedRequest, base_url: str
) -> EmulatedResponse:
    # One request at a time: in-process clients may share an emulator across threads.
    with world.lock:
        request_id = world.ids.request_id()
        operation_id: str | None = None
        document = "inference"
        try:
            route, params = _route(request)
            operation_id, document = route.operation_id, route.document
            response = _serve(world, handlers, route, params, request, base_url)
        except ServiceError as error:
            response = json_response(error.status, error.body(document), error.headers)
        response.headers.setdefault("apim-request-id", request_id)
        response.headers.setdefault("x-request-id", request_id)
        response.headers.setdefault("x-ms-region", "Emulator")
        response.delay = world.faults.latency
        response.chunk_delay = world.faults.chunk_delay
        recorded = request if world.record_credentials else request.redacted()
        world.history.append(Exchange(operation_id, recorded, response))
        return response


def _route(request: EmulatedRequest) -> tuple[Route, dict[str, str]]:
    found = emulator_route(request.method, request.path)
    if found is None and request.path.startswith(_PREFIX + "/"):
        try:
            found = match(request.method, request.path[len(_PREFIX) :])
        except LookupError:
            raise ServiceError(405, "405", "Method not allowed") from None
    if found is None:
        raise resource_not_found()
    route, params = found
    return route, path_values(params)


def _check_access(world: World, request: EmulatedRequest) -> None:
    api_key = request.headers.get("api-key")
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    bearer = scheme.lower() == "bearer" and token.strip() != ""  # any token: nothing to verify
    key_ok = bool(api_key) if world.api_key is None else api_key == world.api_key
    if not (key_ok or bearer):
        raise ServiceError(401, "401", _UNAUTHORIZED)
    if request.query.get("api-version") not in world.api_versions:
        raise resource_not_found()


def _serve(
    world: World,
    handlers: Mapping[str, Handler],
    route: Route,
    params: dict[str, str],
    request: EmulatedRequest,
    base_url: str,
) -> EmulatedResponse:
    if not route.public:
        _check_access(world, request)
    handler = handlers.get(route.operation_id)
    if handler is None:
        raise ServiceError(
            501, "NotImplemented", f"The emulator does not serve {route.operation_id} yet."
        )
    with world.lock:
        expire_due(world)
        name = params.get("deployment-id")
        world.faults.raise_if_due(route.operation_id, name, request.query.get("api-version", ""))
        deployment = world.catalogue.for_operation(route.operation_id, name) if name else None
        body, files = read_body(route, request)
        call = Call(
            operation_id=route.operation_id,
            path_params=params,
            query=read_query(route, request),
            body=body,
            files=files,
            deployment=deployment,
            base_url=base_url,
            headers={h: request.headers[h] for h in route.headers if request.headers.get(h)},
            api_version=request.query.get("api-version", ""),
        )
        response = handler(world, call)
        if request.method != "GET":
            world.after_write()
    cut = world.faults.stream_cut(route.operation_id, name) if response.chunks else None
    if cut is not None and response.chunks is not None:
        response.chunks = response.chunks[:cut]
        response.broken = True
    return response
