"""Binding call arguments to parameters, as Python does."""

from __future__ import annotations

from typing import Any

from staticflops.interpreter.values import REQUIRED, Param, ParamKind


class BindError(Exception):
    """The arguments do not fit the signature; the message is Python's wording."""


def bind_arguments(name: str, params: tuple[Param, ...], args: list[Any], kwargs: dict[str, Any]) -> dict[str, Any]:
    bound: dict[str, Any] = {}
    remaining = list(args)
    extra_kwargs = dict(kwargs)
    var_positional: Param | None = None
    var_keyword: Param | None = None
    for param in params:
        if param.kind is ParamKind.VAR_POSITIONAL:
            var_positional = param
            bound[param.name] = tuple(remaining)
            remaining = []
        elif param.kind is ParamKind.VAR_KEYWORD:
            var_keyword = param
        elif param.kind in (ParamKind.POSITIONAL_ONLY, ParamKind.POSITIONAL_OR_KEYWORD) and remaining:
            if param.name in extra_kwargs and param.kind is ParamKind.POSITIONAL_OR_KEYWORD:
                raise BindError(f"{name}() got multiple values for argument '{param.name}'")
            bound[param.name] = remaining.pop(0)
        elif param.kind is not ParamKind.POSITIONAL_ONLY and param.name in extra_kwargs:
            bound[param.name] = extra_kwargs.pop(param.name)
        elif param.default is not REQUIRED:
            bound[param.name] = param.default
        else:
            raise BindError(f"{name}() missing required argument '{param.name}'")
    if remaining and var_positional is None:
        raise BindError(f"{name}() takes {len(params)} positional arguments but {len(args)} were given")
    if var_keyword is not None:
        bound[var_keyword.name] = extra_kwargs
    elif extra_kwargs:
        raise BindError(f"{name}() got an unexpected keyword argument '{next(iter(extra_kwargs))}'")
    return bound


def signature(spec: str, **defaults: Any) -> tuple[Param, ...]:
    """Parameters from `"a, b, /, c, *args, d, **kw"`; defaults are given as keywords.

    Used for natives and catalog entries, whose signatures we write ourselves.
    """
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
