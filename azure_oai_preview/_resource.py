"""One resource class serves the sync client, the async client and their raw-response views.

A resource method is declared once, as a request builder (a plain function whose typed
keyword arguments are the method's parameters and which returns a :class:`~._call.Call`):

    class Embeddings(Resource[M]):
        create = operation(build_create_embedding)

The descriptor then gives each client flavour the right return type: ``T`` on
``Embeddings[SyncMode]``, a coroutine of ``T`` on ``Embeddings[AsyncMode]``, and
``RawResponse[T]`` (or a coroutine of it) on the raw views. Editors and type checkers see
the builder's own signature and docstring, so nothing is written twice.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar, overload

from typing_extensions import ParamSpec, Self

if TYPE_CHECKING:
    from ._call import Call
    from ._transport import AsyncCore, RawResponse, SyncCore

__all__ = [
    "AsyncMode",
    "AsyncRawMode",
    "Mode",
    "Resource",
    "SyncMode",
    "SyncRawMode",
    "operation",
    "streaming_operation",
    "three_way_operation",
]

P = ParamSpec("P")
SP = ParamSpec("SP")
T = TypeVar("T")
AT = TypeVar("AT")
S = TypeVar("S")
AS = TypeVar("AS")
T_co = TypeVar("T_co", covariant=True)
S_co = TypeVar("S_co", covariant=True)
P3 = ParamSpec("P3")
U = TypeVar("U")
U_co = TypeVar("U_co", covariant=True)


class Mode:
    """Marker types that say which client a resource belongs to (never instantiated)."""


class SyncMode(Mode): ...


class AsyncMode(Mode): ...


class SyncRawMode(Mode): ...


class AsyncRawMode(Mode): ...


M = TypeVar("M", bound=Mode)


class Resource(Generic[M]):
    """Base of every resource: holds the core that executes its calls."""

    __slots__ = ("_core",)

    def __init__(self, core: SyncCore | AsyncCore) -> None:
        self._core = core

    def __repr__(self) -> str:
        return f"<{type(self).__name__} ({type(self._core).__name__})>"


def _bind(core: SyncCore | AsyncCore, builder: Callable[..., Call[Any, Any]]) -> Callable[..., Any]:
    from ._transport import AsyncCore

    if isinstance(core, AsyncCore):

        async def call_async(*args: Any, **kwargs: Any) -> Any:
            # The builder runs inside the coroutine so that argument errors surface on
            # await, like every other error of an async call.
            return await core.execute(builder(*args, **kwargs))

        return functools.update_wrapper(call_async, builder)

    def call_sync(*args: Any, **kwargs: Any) -> Any:
        return core.execute(builder(*args, **kwargs))

    return functools.update_wrapper(call_sync, builder)


class operation(Generic[P, T, AT]):
    """Declares a resource method from its request builder."""

    __slots__ = ("builder",)

    def __init__(self, builder: Callable[P, Call[T, AT]]) -> None:
        self.builder = builder

    @overload
    def __get__(self, instance: None, owner: Any) -> Self: ...
    @overload
    def __get__(self, instance: Resource[SyncMode], owner: Any) -> Callable[P, T]: ...
    @overload
    def __get__(
        self, instance: Resource[AsyncMode], owner: Any
    ) -> Callable[P, Coroutine[Any, Any, AT]]: ...
    @overload
    def __get__(
        self, instance: Resource[SyncRawMode], owner: Any
    ) -> Callable[P, RawResponse[T]]: ...
    @overload
    def __get__(
        self, instance: Resource[AsyncRawMode], owner: Any
    ) -> Callable[P, Coroutine[Any, Any, RawResponse[AT]]]: ...
    def __get__(self, instance: Resource[Any] | None, owner: Any) -> Any:
        if instance is None:
            return self
        return _bind(instance._core, self.builder)


class _SyncStreamable(Protocol[P, T_co, SP, S_co]):
    @overload
    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> T_co: ...
    @overload
    def __call__(self, *args: SP.args, **kwargs: SP.kwargs) -> S_co: ...


class _AsyncStreamable(Protocol[P, T_co, SP, S_co]):
    @overload
    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> Coroutine[Any, Any, T_co]: ...
    @overload
    def __call__(self, *args: SP.args, **kwargs: SP.kwargs) -> Coroutine[Any, Any, S_co]: ...


class streaming_operation(Generic[P, T, SP, S, AS]):
    """Declares a method that returns ``T`` normally and a stream when called with ``stream=True``.

    ``builder`` takes ``stream: Literal[False] | None = None``; ``stream_builder`` takes
    ``stream: Literal[True]`` and returns a call whose sync result is the stream ``S`` and
    async result the async stream ``AS``. Type checkers pick the overload from ``stream``.
    """

    __slots__ = ("builder", "stream_builder")

    def __init__(
        self, builder: Callable[P, Call[T, T]], stream_builder: Callable[SP, Call[S, AS]]
    ) -> None:
        self.builder = builder
        self.stream_builder = stream_builder

    def _choose(self, *args: Any, **kwargs: Any) -> Call[Any, Any]:
        if kwargs.get("stream"):
            return self.stream_builder(*args, **kwargs)
        return self.builder(*args, **kwargs)

    @overload
    def __get__(self, instance: None, owner: Any) -> Self: ...
    @overload
    def __get__(self, instance: Resource[SyncMode], owner: Any) -> _SyncStreamable[P, T, SP, S]: ...
    @overload
    def __get__(
        self, instance: Resource[AsyncMode], owner: Any
    ) -> _AsyncStreamable[P, T, SP, AS]: ...
    @overload
    def __get__(
        self, instance: Resource[SyncRawMode], owner: Any
    ) -> _SyncStreamable[P, RawResponse[T], SP, RawResponse[S]]: ...
    @overload
    def __get__(
        self, instance: Resource[AsyncRawMode], owner: Any
    ) -> _AsyncStreamable[P, RawResponse[T], SP, RawResponse[AS]]: ...
    def __get__(self, instance: Resource[Any] | None, owner: Any) -> Any:
        if instance is None:
            return self
        bound = _bind(instance._core, self._choose)
        bound.__doc__ = self.builder.__doc__
        return bound


class _SyncThreeWay(Protocol[P, T_co, SP, S_co, P3, U_co]):
    @overload
    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> T_co: ...
    @overload
    def __call__(self, *args: SP.args, **kwargs: SP.kwargs) -> S_co: ...
    @overload
    def __call__(self, *args: P3.args, **kwargs: P3.kwargs) -> U_co: ...


class _AsyncThreeWay(Protocol[P, T_co, SP, S_co, P3, U_co]):
    @overload
    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> Coroutine[Any, Any, T_co]: ...
    @overload
    def __call__(self, *args: SP.args, **kwargs: SP.kwargs) -> Coroutine[Any, Any, S_co]: ...
    @overload
    def __call__(self, *args: P3.args, **kwargs: P3.kwargs) -> Coroutine[Any, Any, U_co]: ...


class three_way_operation(Generic[P, T, SP, S, P3, U]):
    """A method whose return type depends on one argument, with three variants.

    ``select`` maps the call's keyword arguments to 0, 1 or 2 (which builder to use);
    type checkers pick the overload from the builders' signatures (e.g. ``Literal``
    values of ``response_format``).
    """

    __slots__ = ("builders", "select")

    def __init__(
        self,
        select: Callable[[dict[str, Any]], int],
        first: Callable[P, Call[T, T]],
        second: Callable[SP, Call[S, S]],
        third: Callable[P3, Call[U, U]],
    ) -> None:
        self.select = select
        self.builders: tuple[Callable[..., Call[Any, Any]], ...] = (first, second, third)

    def _choose(self, *args: Any, **kwargs: Any) -> Call[Any, Any]:
        return self.builders[self.select(kwargs)](*args, **kwargs)

    @overload
    def __get__(self, instance: None, owner: Any) -> Self: ...
    @overload
    def __get__(
        self, instance: Resource[SyncMode], owner: Any
    ) -> _SyncThreeWay[P, T, SP, S, P3, U]: ...
    @overload
    def __get__(
        self, instance: Resource[AsyncMode], owner: Any
    ) -> _AsyncThreeWay[P, T, SP, S, P3, U]: ...
    @overload
    def __get__(
        self, instance: Resource[SyncRawMode], owner: Any
    ) -> _SyncThreeWay[P, RawResponse[T], SP, RawResponse[S], P3, RawResponse[U]]: ...
    @overload
    def __get__(
        self, instance: Resource[AsyncRawMode], owner: Any
    ) -> _AsyncThreeWay[P, RawResponse[T], SP, RawResponse[S], P3, RawResponse[U]]: ...
    def __get__(self, instance: Resource[Any] | None, owner: Any) -> Any:
        if instance is None:
            return self
        bound = _bind(instance._core, self._choose)
        bound.__doc__ = self.builders[0].__doc__
        return bound
