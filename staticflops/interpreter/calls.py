"""Binding call arguments to parameters, as Python does."""

from __future__ import annotations

from functools import cache
from typing import Any

from staticflops.interpreter.values import REQUIRED, Param, ParamKind


class BindError(Exception):
    """The arguments do not fit the signature; the message is Python's wording."""


def bind_arguments(name: str, params: tuple[Param, ...], args: list[Any], kwargs: dict[str, Any]) -> dict[str, Any]:
    # run for every call the interpreter makes: the positional arguments are taken by index, not popped
    bound: dict[str, Any] = {}
    if not isinstance(args, (list, tuple)):
        args = list(args)
    given = len(args)
    taken = 0
    extra_kwargs = dict(kwargs) if kwargs else {}
    var_positional: Param | None = None
    var_keyword: Param | None = None
    for param in params:
        kind = param.kind
        if kind is _VAR_POSITIONAL:
            var_positional = param
            bound[param.name] = tuple(args[taken:])
            taken = given
        elif kind is _VAR_KEYWORD:
            var_keyword = param
        elif (kind is _POSITIONAL_OR_KEYWORD or kind is _POSITIONAL_ONLY) and taken < given:
            if kind is _POSITIONAL_OR_KEYWORD and param.name in extra_kwargs:
                raise BindError(f"{name}() got multiple values for argument '{param.name}'")
            bound[param.name] = args[taken]
            taken += 1
        elif kind is not _POSITIONAL_ONLY and param.name in extra_kwargs:
            bound[param.name] = extra_kwargs.pop(param.name)
        elif param.default is not REQUIRED:
            bound[param.name] = param.default
        else:
            raise BindError(f"{name}() missing required argument '{param.name}'")
    if taken < given and var_positional is None:
        raise BindError(f"{name}() takes {len(params)} positional arguments but {len(args)} were given")
    if var_keyword is not None:
        bound[var_keyword.name] = extra_kwargs
    elif extra_kwargs:
        raise BindError(f"{name}() got an unexpected keyword argument '{next(iter(extra_kwargs))}'")
    return bound


_VAR_POSITIONAL, _VAR_KEYWORD = ParamKind.VAR_POSITIONAL, ParamKind.VAR_KEYWORD
_POSITIONAL_ONLY, _POSITIONAL_OR_KEYWORD = ParamKind.POSITIONAL_ONLY, ParamKind.POSITIONAL_OR_KEYWORD


def signature(spec: str, **defaults: Any) -> tuple[Param, ...]:
    """Parameters from `"a, b, /, c, *args, d, **kw"`; defaults are given as keywords.

    Used for natives and catalog entries, whose signatures we write ourselves: some 1,200 of them,
    built at import, most with no defaults and many alike ("input", "input, other"), so those are read
    once (the parameters are immutable, and shared).
    """
    try:
        key = tuple((name, type(value), value) for name, value in defaults.items())  # `1` is not `True`
        return _cached_signature(spec, key)
    except TypeError:  # an unhashable default
        return _read_signature(spec, defaults)


@cache
def _cached_signature(spec: str, key: tuple[tuple[str, type, Any], ...]) -> tuple[Param, ...]:
    return _read_signature(spec, {name: value for name, _, value in key})


def _read_signature(spec: str, defaults: dict[str, Any]) -> tuple[Param, ...]:
    params: list[Param] = []
    kind = ParamKind.POSITIONAL_OR_KEYWORD
    for raw in (part.strip() for part in spec.split(",")):
        if not raw:
            continue
        if raw == "/":
            params = [Param(p.name, ParamKind.POSITIONAL_ONLY, p.default) for p in params]
        elif raw == "*":
            kind = ParamKind.KEYWORD_ONLY
        elif raw.startswith("**"):
            params.append(Param(raw[2:], ParamKind.VAR_KEYWORD))
        elif raw.startswith("*"):
            params.append(Param(raw[1:], ParamKind.VAR_POSITIONAL))
            kind = ParamKind.KEYWORD_ONLY
        else:
            params.append(Param(raw, kind, defaults.get(raw, REQUIRED)))
    return tuple(params)
