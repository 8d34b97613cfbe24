"""One resource class serves the sync client, the async client and their raw-response views.

A resource method is a real ``def`` in its resource class, decorated with how it runs. Its
keyword arguments are the method's parameters, its docstring the method's, and its body
*builds* what to send - a :class:`~._call.Call` (or, for a polling helper, a
:data:`~._polling.Flow` of calls)::

    class Embeddings(Resource[M]):
        @method
        def create(
            self, *, deployment: str | None = None, **params: Unpack[EmbeddingsCreateArgs]
        ) -> Call[EmbeddingsCreateResponse, EmbeddingsCreateResponse]:
            ...  # docstring, then: return json_call("embeddings_create", ...)

:class:`Method` is the one descriptor behind every such method. It holds the builder and an
:class:`Execution` - how a built value is run: one call (:data:`CALL`), a polling flow
(:data:`POLL`), or another strategy a resource module declares (``runs.stream``). On first
access through a resource it binds them to that resource's core (sync or async, plain or raw
view) and caches the bound callable on the instance, so later accesses are plain attribute
look-ups.

Typing: ``Method[S, A, RS, RA]`` carries the four callable types a method has on
``Resource[SyncMode]``, ``[AsyncMode]``, ``[SyncRawMode]`` and ``[AsyncRawMode]``; the
decorators compute them from the builder's own signature (``T`` -> coroutine of ``AT`` ->
``RawResponse[T]`` ...). Editors therefore show the builder's parameters, the caller's return
type and the builder's docstring. A method overloaded on its arguments (``stream=True``,
``response_format=``) is an overloaded builder passed through the four ``*_view`` functions
to :func:`overloaded`: type checkers map each overload separately, so each view keeps every
overload.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, Concatenate, Generic, TypeVar, cast, overload

from typing_extensions import ParamSpec, Self

if TYPE_CHECKING:
    from ._call import Call
    from ._polling import Flow
    from ._raw import RawResponse
    from ._transport import AsyncCore, SyncCore

__all__ = [
    "CALL",
    "POLL",
    "AsyncMode",
    "AsyncRawMode",
    "Execution",
    "Method",
    "Mode",
    "Resource",
    "SyncMode",
    "SyncRawMode",
    "async_raw_view",
    "async_view",
    "method",
    "overloaded",
    "polling",
    "raw_view",
    "sync_view",
]

P = ParamSpec("P")
T = TypeVar("T")
AT = TypeVar("AT")
S = TypeVar("S")
A = TypeVar("A")
RS = TypeVar("RS")
RA = TypeVar("RA")


class Mode:
    """Marker types that say which client a resource belongs to (never instantiated)."""


class SyncMode(Mode): ...


class AsyncMode(Mode): ...


class SyncRawMode(Mode): ...


class AsyncRawMode(Mode): ...


M = TypeVar("M", bound=Mode)


class Resource(Generic[M]):
    """Base of every resource: holds the core that executes its calls.

    Subclasses keep a ``__dict__``: it caches their bound methods (see :class:`Method`).
    """

    __slots__ = ("_core",)

    def __init__(self, core: SyncCore | AsyncCore) -> None:
        self._core = core

    def __repr__(self) -> str:
        return f"<{type(self).__name__} ({type(self._core).__name__})>"


class Execution:
    """How a bound method runs what its builder returns; this base runs one call.

    ``bind`` gets the core and the builder bound to the resource, and returns the callable
    the method is on that resource: a function for the sync client, a coroutine function for
    the async one (the builder runs inside the coroutine, so that argument errors surface on
    ``await`` like every other error of an async call).
    """

    __slots__ = ()

    def bind(self, core: SyncCore | AsyncCore, build: Callable[..., Any]) -> Callable[..., Any]:
        if core.is_async:
            run_async = cast("Callable[[Any], Coroutine[Any, Any, Any]]", self.runner(core))

            async def call_async(*args: Any, **kwargs: Any) -> Any:
                return await run_async(build(*args, **kwargs))

            return call_async
        run = self.runner(core)

        def call_sync(*args: Any, **kwargs: Any) -> Any:
            return run(build(*args, **kwargs))

        return call_sync

    def runner(self, core: SyncCore | AsyncCore) -> Callable[[Any], Any]:
        """What runs a built value on ``core``."""
        return core.execute_raw if core.raw else core.execute


class _Poll(Execution):
    """Runs a polling flow. A poll is many responses, so raw views return the plain result."""

    __slots__ = ()

    def runner(self, core: SyncCore | AsyncCore) -> Callable[[Any], Any]:
        # Imported here: `_client` imports this module, and must not pull in anyio.
        from ._polling import drive_async, drive_sync
        from ._transport import AsyncCore

        if isinstance(core, AsyncCore):
            return functools.partial(drive_async, core)
        return functools.partial(drive_sync, core)


CALL = Execution()
"""Execute the one :class:`~._call.Call` the builder returns."""
POLL = _Poll()
"""Drive the :data:`~._polling.Flow` the builder returns (polling helpers)."""


class Method(Generic[S, A, RS, RA]):
    """The descriptor of every resource method (see the module docstring).

    On the class it is itself (``Runs.create.builder`` is the builder); on a resource it is
    the bound callable of that resource's client flavour, built once and cached.
    """

    def __init__(self, builder: Callable[..., Any], execution: Execution = CALL) -> None:
        self.builder = builder
        self.execution = execution
        self.name = builder.__name__
        self.__doc__ = builder.__doc__
        self.__wrapped__ = builder
        self._signature: inspect.Signature | None = None

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: Any) -> Self: ...
    @overload
    def __get__(self, instance: Resource[SyncMode], owner: Any) -> S: ...
    @overload
    def __get__(self, instance: Resource[AsyncMode], owner: Any) -> A: ...
    @overload
    def __get__(self, instance: Resource[SyncRawMode], owner: Any) -> RS: ...
    @overload
    def __get__(self, instance: Resource[AsyncRawMode], owner: Any) -> RA: ...
    def __get__(self, instance: Resource[Any] | None, owner: Any) -> Any:
        if instance is None:
            return self
        bound = self.execution.bind(instance._core, self.builder.__get__(instance, owner))
        bound.__name__ = self.name
        bound.__qualname__ = f"{type(instance).__qualname__}.{self.name}"
        bound.__doc__ = self.__doc__
        bound.__signature__ = self.signature()  # type: ignore[attr-defined]
        # Later look-ups find the instance attribute and never reach this descriptor again.
        instance.__dict__[self.name] = bound
        return bound

    def signature(self) -> inspect.Signature:
        """The method's signature as callers see it (the builder's, without ``self``)."""
        if self._signature is None:
            full = inspect.signature(self.builder)
            self._signature = full.replace(parameters=list(full.parameters.values())[1:])
        return self._signature

    def __repr__(self) -> str:
        return f"<method {self.name} ({type(self.execution).__name__.strip('_').lower()})>"


def method(
    builder: Callable[Concatenate[Any, P], Call[T, AT]],
) -> Method[
    Callable[P, T],
    Callable[P, Coroutine[Any, Any, AT]],
    Callable[P, RawResponse[T]],
    Callable[P, Coroutine[Any, Any, RawResponse[AT]]],
]:
    """Decorates a builder that returns a :class:`~._call.Call[T, AT] <._call.Call>`.

    The method returns ``T`` on the sync client, a coroutine of ``AT`` on the async one, and
    :class:`~._raw.RawResponse` of those on the raw-response views.
    """
    return Method(builder, CALL)


def polling(
    builder: Callable[Concatenate[Any, P], Flow[T]],
) -> Method[
    Callable[P, T],
    Callable[P, Coroutine[Any, Any, T]],
    Callable[P, T],
    Callable[P, Coroutine[Any, Any, T]],
]:
    """Decorates a builder that returns a polling :data:`~._polling.Flow` of ``T``.

    The method returns ``T`` (a coroutine of it on the async client), on the raw-response
    views too: a poll is many responses, so there is no single one to show.
    """
    return Method(builder, POLL)


# -- overloaded methods --------------------------------------------------------------------------
# A decorator cannot map each overload of a function (type checkers apply it to the
# implementation only), but passing an overloaded function to a ParamSpec-generic function
# maps every overload. So an overloaded builder goes through these four functions, one per
# client flavour, and `overloaded` keeps the four results. At run time each returns the
# builder unchanged; the types are the point.


def sync_view(builder: Callable[Concatenate[Any, P], Call[T, AT]]) -> Callable[P, T]:
    """The type of an overloaded method on the sync client (see :func:`overloaded`)."""
    return cast("Callable[P, T]", builder)


def async_view(
    builder: Callable[Concatenate[Any, P], Call[T, AT]],
) -> Callable[P, Coroutine[Any, Any, AT]]:
    """The type of an overloaded method on the async client (see :func:`overloaded`)."""
    return cast("Callable[P, Coroutine[Any, Any, AT]]", builder)


def raw_view(
    builder: Callable[Concatenate[Any, P], Call[T, AT]],
) -> Callable[P, RawResponse[T]]:
    """The type of an overloaded method on the sync raw-response view."""
    return cast("Callable[P, RawResponse[T]]", builder)


def async_raw_view(
    builder: Callable[Concatenate[Any, P], Call[T, AT]],
) -> Callable[P, Coroutine[Any, Any, RawResponse[AT]]]:
    """The type of an overloaded method on the async raw-response view."""
    return cast("Callable[P, Coroutine[Any, Any, RawResponse[AT]]]", builder)


def overloaded(sync: S, async_: A, raw: RS, async_raw: RA) -> Method[S, A, RS, RA]:
    """The method of an overloaded builder ``f``, given as
    ``overloaded(sync_view(f), async_view(f), raw_view(f), async_raw_view(f))``."""
    builder = cast("Callable[..., Any]", sync)
    if not (builder is async_ is raw is async_raw):
        raise TypeError("overloaded() takes the four views of one builder")
    return Method(builder, CALL)
