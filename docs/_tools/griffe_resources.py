"""A griffe extension: resource methods documented the way users call them.

A resource method is written as a *builder* (see ``azure_oai_preview/_resource.py``): a ``def``
decorated with ``@method`` / ``@polling`` / ... that returns ``Call[T, AT]`` (or a polling
``Flow[T]``), whose keyword arguments are often ``**params: Unpack[SomeArgs]``; an overloaded
method is an assignment ``create = overloaded(sync_view(_create), ...)``. Read as written, the
reference would show ``Call[...]`` and ``**params``. This extension rewrites, for every class
of the package:

- ``**params: Unpack[TD]`` into the TypedDict's keys as keyword-only parameters (bases
  included, ``Required[...]`` unwrapped), each documented with the key's docstring; the keys of
  the per-call option TypedDicts (the module of ``RequestOptions``) go into a separate
  "Per-call options" section;
- the return annotation into what the sync client returns, with a Returns section for the
  sync and the async client. Nothing here knows the decorators: each decorator's own
  annotations say it (``method(builder: Callable[..., Call[T, AT]]) -> Method[Callable[P, T],
  Callable[P, Coroutine[Any, Any, AT]], ...]``), so binding its type variables against the
  builder's return annotation and substituting them into the ``Method[...]`` slots gives
  each client's return type. A new decorator, or a new view function, is picked up as is;
- ``name = overloaded(view(builder), ...)`` into a method ``name`` with the builder's overloads;
- Sphinx roles in docstrings (``:class:`~.x.Y```) into optional cross-references, and the
  spec's links to OpenAI's site (``/docs/...``) into absolute ones.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterator
from typing import Any

import griffe

PACKAGE = "azure_oai_preview"
METHOD = f"{PACKAGE}._resource.Method"
"""The descriptor class: a decorator returning ``Method[S, A, RS, RA]`` makes a resource method."""
OPTIONS_CLASS = f"{PACKAGE}._options.RequestOptions"
"""The keys declared by TypedDicts of this class's module are per-call options."""
CLIENTS = ("AzureOpenAI", "AsyncAzureOpenAI")
"""The clients of the first two ``Method`` slots (sync, async)."""

_TYPEVAR_FACTORIES = ("TypeVar(", "ParamSpec(", "TypeVarTuple(")
_ROLE = re.compile(r":(?:py:)?(?:class|meth|func|data|attr|mod|exc|obj|const):`(~?)([^`<>]+)`")
_SITE_RELATIVE_LINK = re.compile(r"\]\((/docs/[^)\s]*)\)")
"""Spec descriptions copied from OpenAI's documentation link to paths of its own site."""
OPENAI_SITE = "https://platform.openai.com"
_COROUTINES = {"typing.Coroutine", "collections.abc.Coroutine"}


@dataclasses.dataclass
class Key:
    """One key of a keyword-argument TypedDict."""

    name: str
    annotation: str | griffe.Expr | None
    required: bool
    doc: str
    option: bool


class ResourceMethods(griffe.Extension):
    """See the module docstring."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        if pkg.name != PACKAGE:
            return
        objects = list(_walk(pkg))
        for obj in objects:
            if obj.docstring is not None:
                text = _roles_to_refs(obj.docstring.value, obj)
                obj.docstring.value = _SITE_RELATIVE_LINK.sub(rf"]({OPENAI_SITE}\1)", text)
        options_module = _target(pkg, OPTIONS_CLASS).module.path
        for obj in objects:
            if isinstance(obj, griffe.Class):
                _rewrite_class(obj, options_module)


# -- walking and resolving ------------------------------------------------------------------------


def _walk(obj: griffe.Object) -> Iterator[griffe.Object]:
    yield obj
    for member in list(obj.members.values()):
        if not member.is_alias:
            yield from _walk(member)  # type: ignore[arg-type]


def _target(scope: griffe.Object, path: str) -> griffe.Object:
    found = scope.modules_collection[path]
    return found.final_target if found.is_alias else found


def _resolved(expr: str | griffe.Expr | None) -> griffe.Object | None:
    """The object a name expression refers to, if it is in the loaded package."""
    if not isinstance(expr, griffe.ExprName) or not isinstance(expr.parent, griffe.Object):
        return None
    try:
        return _target(expr.parent, expr.canonical_path)
    except (KeyError, AttributeError, griffe.AliasResolutionError, griffe.CyclicAliasError):
        return None


def _typevars(function: griffe.Object) -> set[str]:
    module = function.module
    return {
        name
        for name, member in module.members.items()
        if not member.is_alias
        and isinstance(member, griffe.Attribute)
        and str(member.value).startswith(_TYPEVAR_FACTORIES)
    }


# -- type arithmetic on griffe expressions ---------------------------------------------------------


def _unify(pattern: Any, actual: Any, typevars: set[str], bound: dict[str, Any]) -> None:
    """Bind the type variables of ``pattern`` to the matching parts of ``actual``."""
    if isinstance(pattern, griffe.ExprName):
        if pattern.name in typevars:
            bound.setdefault(pattern.name, actual)
    elif isinstance(pattern, griffe.ExprSubscript) and isinstance(actual, griffe.ExprSubscript):
        _unify(pattern.slice, actual.slice, typevars, bound)
    elif (
        isinstance(pattern, griffe.ExprTuple)
        and isinstance(actual, griffe.ExprTuple)
        and len(pattern.elements) == len(actual.elements)
    ):
        for p, a in zip(pattern.elements, actual.elements, strict=True):
            _unify(p, a, typevars, bound)


def _substitute(expr: Any, bound: dict[str, Any]) -> Any:
    if isinstance(expr, griffe.ExprName):
        return bound.get(expr.name, expr)
    if not isinstance(expr, griffe.Expr) or not dataclasses.is_dataclass(expr):
        return expr
    changes: dict[str, Any] = {}
    for field in dataclasses.fields(expr):
        value = getattr(expr, field.name)
        if isinstance(value, griffe.Expr):
            changes[field.name] = _substitute(value, bound)
        elif isinstance(value, list | tuple):
            changes[field.name] = type(value)(_substitute(item, bound) for item in value)
    return dataclasses.replace(expr, **changes)


def _elements(expr: Any) -> list[Any]:
    """The arguments of a subscript: ``X[a, b]`` -> ``[a, b]``."""
    if not isinstance(expr, griffe.ExprSubscript):
        return []
    inner = expr.slice
    return list(inner.elements) if isinstance(inner, griffe.ExprTuple) else [inner]


def _callable_result(annotation: Any) -> Any:
    """``Callable[P, R]`` -> ``R``."""
    parts = _elements(annotation)
    return parts[-1] if parts else None


def _apply(function: griffe.Function, argument: Any, returns: Any) -> Any:
    """The return type of ``function(builder)``, for a builder returning ``returns``.

    ``function``'s first parameter is ``Callable[Concatenate[Any, P], PATTERN]``: binding
    PATTERN's type variables against ``returns`` and substituting them into ``function``'s
    own return annotation gives the result.
    """
    parameter = next(iter(function.parameters), None)
    pattern = _callable_result(parameter.annotation) if parameter is not None else None
    bound: dict[str, Any] = {}
    _unify(pattern, returns, _typevars(function), bound)
    return _substitute(argument, bound)


def _client_returns(flavours: list[Any]) -> list[tuple[str, Any]]:
    """``[(client, what a call returns there)]`` from the ``Callable`` of each client."""
    results = []
    for client, flavour in zip(CLIENTS, flavours, strict=False):
        result = _callable_result(flavour)
        if (
            isinstance(result, griffe.ExprSubscript)
            and result.canonical_path in _COROUTINES
            and _elements(result)
        ):
            result = _elements(result)[-1]
            client = f"await on {client}"
        results.append((client, result))
    return results


# -- classes and their methods ---------------------------------------------------------------------


def _is_method_factory(obj: griffe.Object | None) -> bool:
    return (
        isinstance(obj, griffe.Function)
        and isinstance(obj.returns, griffe.ExprSubscript)
        and obj.returns.canonical_path == METHOD
    )


def _rewrite_class(cls: griffe.Class, options_module: str) -> None:
    for name, member in list(cls.members.items()):
        if member.is_alias:
            continue
        if isinstance(member, griffe.Function):
            for decorator in member.decorators:
                factory = _decorator_function(cls, decorator)
                if _is_method_factory(factory):
                    flavours = _elements(_apply(factory, factory.returns, member.returns))  # type: ignore[union-attr]
                    _document(member, member, [_client_returns(flavours)], options_module)
                    break
        elif isinstance(member, griffe.Attribute) and isinstance(member.value, griffe.ExprCall):
            method = _overloaded_method(cls, name, member, options_module)
            if method is not None:
                cls.set_member(name, method)


def _decorator_function(cls: griffe.Class, decorator: griffe.Decorator) -> griffe.Object | None:
    try:
        return _target(cls, decorator.callable_path)
    except (KeyError, griffe.AliasResolutionError, griffe.CyclicAliasError):
        return None


def _overloaded_method(
    cls: griffe.Class, name: str, attribute: griffe.Attribute, options_module: str
) -> griffe.Function | None:
    """``name = overloaded(sync_view(_f), async_view(_f), ...)`` as the method ``name``."""
    call: griffe.ExprCall = attribute.value  # type: ignore[assignment]
    factory = _resolved(call.function)
    if not _is_method_factory(factory):
        return None
    views: list[griffe.Function] = []
    builder: griffe.Function | None = None
    for argument in call.arguments:
        if not isinstance(argument, griffe.ExprCall) or len(argument.arguments) != 1:
            return None
        view = _resolved(argument.function)
        inner = argument.arguments[0]
        candidate = cls.members.get(inner.name) if isinstance(inner, griffe.ExprName) else None
        if not isinstance(view, griffe.Function) or not isinstance(candidate, griffe.Function):
            return None
        views.append(view)
        builder = candidate
    assert builder is not None
    # `overloaded(sync: S, async_: A, ...) -> Method[S, A, ...]`: which argument fills which slot.
    slots = [str(parameter.annotation) for parameter in factory.parameters]  # type: ignore[union-attr]
    order = [slots.index(str(slot)) for slot in _elements(factory.returns)]  # type: ignore[union-attr]
    signatures = builder.overloads or [builder]
    returns = []
    for signature in signatures:
        flavours = [_apply(views[i], views[i].returns, signature.returns) for i in order]
        returns.append(_client_returns(flavours))
    method = griffe.Function(
        name,
        parameters=griffe.Parameters(*builder.parameters),
        returns=builder.returns,
        docstring=builder.docstring,
        parent=cls,
        lineno=attribute.lineno,
        endlineno=attribute.endlineno,
    )
    method.labels = set(builder.labels)
    overloads = []
    for signature, signature_returns in zip(signatures, returns, strict=True):
        overload = griffe.Function(
            name,
            parameters=griffe.Parameters(*signature.parameters),
            returns=signature.returns,
            parent=cls,
            lineno=signature.lineno,
            endlineno=signature.endlineno,
        )
        overload.labels = {"overload"}
        _document(overload, builder, [signature_returns], options_module, with_docs=False)
        overloads.append(overload)
    method.overloads = overloads
    conditions = [_condition(signature, builder) for signature in signatures]
    _document(method, builder, returns, options_module, conditions=conditions)
    return method


def _condition(overload: griffe.Function, implementation: griffe.Function) -> str:
    """What selects an overload: its parameters typed differently from the implementation's."""
    base = {p.name: str(p.annotation) for p in implementation.parameters}
    differ = [
        f"`{p.name}: {p.annotation}`"
        for p in overload.parameters
        if p.name in base and str(p.annotation) != base[p.name]
    ]
    return "with " + ", ".join(differ) if differ else ""


# -- signatures and docstrings ---------------------------------------------------------------------


def _document(
    function: griffe.Function,
    source: griffe.Function,
    returns: list[list[tuple[str, Any]]],
    options_module: str,
    *,
    with_docs: bool = True,
    conditions: list[str] | None = None,
) -> None:
    """Expand ``function``'s keyword TypedDict, set its sync return type and its docs."""
    keys: list[Key] = []
    parameters: list[griffe.Parameter] = []
    for parameter in function.parameters:
        unpacked = _unpacked(parameter)
        if unpacked is None:
            parameters.append(parameter)
            continue
        keys = _keys(unpacked, options_module)
        ordered = sorted(keys, key=lambda k: (k.option, not k.required))
        parameters += [
            griffe.Parameter(
                key.name,
                annotation=key.annotation,
                kind=griffe.ParameterKind.keyword_only,
                default=None if key.required else "...",
            )
            for key in ordered
        ]
    function.parameters = griffe.Parameters(*parameters)
    sync_returns = [overload_returns[0][1] for overload_returns in returns if overload_returns]
    if sync_returns:
        function.returns = functools.reduce(
            lambda left, right: griffe.ExprBinOp(left, "|", right), sync_returns
        )
    if not with_docs:
        return
    sections = _sections(function, source)
    explicit = [
        griffe.DocstringParameter(p.name, annotation=p.annotation, description="", value=p.default)
        for p in function.parameters
        if p.name not in ("self", "cls")
        and p.kind is not griffe.ParameterKind.var_keyword
        and p.name not in {k.name for k in keys}
    ]
    _merge(sections, griffe.DocstringSectionParameters, explicit, None)
    _merge(
        sections,
        griffe.DocstringSectionParameters,
        [_key_doc(k) for k in sorted(keys, key=lambda k: not k.required) if not k.option],
        None,
    )
    _merge(
        sections,
        griffe.DocstringSectionOtherParameters,
        [_key_doc(k) for k in keys if k.option],
        "Per-call options:",
    )
    rows = []
    for index, overload_returns in enumerate(returns):
        condition = conditions[index] if conditions else ""
        for client, annotation in overload_returns:
            text = f"`{client}`" if client.startswith("await") else f"On `{client}`"
            rows.append(
                griffe.DocstringReturn(
                    "", annotation=annotation, description=f"{text} {condition}".strip()
                )
            )
    if rows:
        sections[:] = [s for s in sections if not isinstance(s, griffe.DocstringSectionReturns)]
        sections.append(griffe.DocstringSectionReturns(rows))


def _sections(function: griffe.Function, source: griffe.Function) -> list[griffe.DocstringSection]:
    docstring = source.docstring
    if docstring is None:
        docstring = griffe.Docstring("", parent=function)
    if function is not source:
        docstring = griffe.Docstring(
            docstring.value,
            lineno=docstring.lineno,
            endlineno=docstring.endlineno,
            parent=function,
            parser=docstring.parser,
            parser_options=docstring.parser_options,
        )
    function.docstring = docstring
    return docstring.parsed


def _merge(
    sections: list[griffe.DocstringSection],
    kind: type[griffe.DocstringSectionParameters] | type[griffe.DocstringSectionOtherParameters],
    entries: list[griffe.DocstringParameter],
    title: str | None,
) -> None:
    if not entries:
        return
    for section in sections:
        if type(section) is kind:
            known = {entry.name for entry in section.value}
            for existing in section.value:
                match = next((e for e in entries if e.name == existing.name), None)
                if match is not None and existing.annotation is None:
                    existing.annotation = match.annotation
            section.value.extend(e for e in entries if e.name not in known)
            return
    position = next(
        (i for i, s in enumerate(sections) if isinstance(s, griffe.DocstringSectionReturns)),
        len(sections),
    )
    sections.insert(position, kind(entries, title=title))


def _key_doc(key: Key) -> griffe.DocstringParameter:
    return griffe.DocstringParameter(
        key.name,
        annotation=key.annotation,
        description=("**Required.** " if key.required else "") + key.doc,
    )


def _unpacked(parameter: griffe.Parameter) -> griffe.Class | None:
    annotation = parameter.annotation
    if parameter.kind is not griffe.ParameterKind.var_keyword:
        return None
    if not isinstance(annotation, griffe.ExprSubscript) or not annotation.canonical_path.endswith(
        ".Unpack"
    ):
        return None
    typed_dict = _resolved(annotation.slice)
    return typed_dict if isinstance(typed_dict, griffe.Class) else None


def _keys(typed_dict: griffe.Class, options_module: str) -> list[Key]:
    """The keys of a TypedDict in the order Python gives them: bases first."""
    found: dict[str, Key] = {}
    for base in typed_dict.resolved_bases:
        if isinstance(base, griffe.Class):
            for key in _keys(base, options_module):
                found.setdefault(key.name, key)
    total = str(typed_dict.keywords.get("total", "True")) != "False"
    option = typed_dict.module.path == options_module
    for name, member in typed_dict.members.items():
        if member.is_alias or not isinstance(member, griffe.Attribute) or name.startswith("_"):
            continue
        annotation, required = member.annotation, total
        if isinstance(annotation, griffe.ExprSubscript):
            wrapper = annotation.canonical_path.rsplit(".", 1)[-1]
            if wrapper in ("Required", "NotRequired"):
                annotation, required = annotation.slice, wrapper == "Required"
        doc = member.docstring.value if member.docstring is not None else ""
        found.setdefault(name, Key(name, annotation, required, doc, option))
    return list(found.values())


# -- Sphinx roles ----------------------------------------------------------------------------------


def _roles_to_refs(text: str, obj: griffe.Object) -> str:
    """``:class:`~.x.Y``` -> an optional cross-reference (plain code when it cannot resolve)."""

    def replace(match: re.Match[str]) -> str:
        short, target = match.group(1) == "~", match.group(2).strip()
        path = _role_target(target, obj)
        shown = target.lstrip(".").rsplit(".", 1)[-1] if short else target.lstrip(".")
        return f'<autoref identifier="{path}" optional><code>{shown}</code></autoref>'

    return _ROLE.sub(replace, text)


def _role_target(target: str, obj: griffe.Object) -> str:
    if target.startswith("."):
        module = obj.module
        base = module.path if module.is_init_module else module.parent.path  # type: ignore[union-attr]
        dots = len(target) - len(target.lstrip("."))
        for _ in range(dots - 1):
            base = base.rsplit(".", 1)[0]
        return f"{base}.{target.lstrip('.')}"
    if target.split(".", 1)[0] == PACKAGE:
        return target
    head, _, rest = target.partition(".")
    scope = obj if isinstance(obj, griffe.Class | griffe.Module) else obj.parent
    try:
        resolved = scope.resolve(head)  # type: ignore[union-attr]
    except (griffe.NameResolutionError, AttributeError):
        return target
    return f"{resolved}.{rest}" if rest else resolved
