"""`inspect`: `signature(f).parameters` (names, defaults, kinds) of analyzed functions and
classes, and the `is*` predicates, as libraries use them to filter keyword arguments."""

from __future__ import annotations

from typing import Any

from staticflops.interpreter.calls import BindError, bind_arguments
from staticflops.interpreter.stdlib._support import Args, Kwargs
from staticflops.interpreter.values import (
    REQUIRED,
    BoundMethod,
    ClassObject,
    Function,
    Instance,
    Namespace,
    NativeFunction,
    Param,
    ParamKind,
    Unknown,
)
from staticflops.source import Location

KIND_NAMES = {
    ParamKind.POSITIONAL_ONLY: "POSITIONAL_ONLY",
    ParamKind.POSITIONAL_OR_KEYWORD: "POSITIONAL_OR_KEYWORD",
    ParamKind.VAR_POSITIONAL: "VAR_POSITIONAL",
    ParamKind.KEYWORD_ONLY: "KEYWORD_ONLY",
    ParamKind.VAR_KEYWORD: "VAR_KEYWORD",
}


def _parameter_class(interp: Any) -> ClassObject:
    cls = interp.hooks.get("stdlib.inspect_parameter")
    if cls is None:
        empty = ClassObject("_empty", (), {}, qualname="inspect._empty")
        namespace: dict[str, Any] = {"empty": empty}
        namespace.update({name: name for name in KIND_NAMES.values()})
        cls = ClassObject("Parameter", (interp.builtins["object"],), namespace, qualname="inspect.Parameter")
        interp.hooks["stdlib.inspect_parameter"] = cls
    return cls


def _signature(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    target = args[0]
    skip_self = False
    # as Python's, the signature of a `functools.wraps` wrapper is the wrapped function's
    # (torchvision's `kwonly_to_pos_or_kw` reads the builder's keyword-only parameters through two wrappers)
    for _ in range(100):
        if not kwargs.get("follow_wrapped", True) or not isinstance(target, Function):
            break
        wrapped = target.attrs.get("__wrapped__")
        if wrapped is None:
            break
        target = wrapped
    if isinstance(target, ClassObject):
        target, skip_self = target.lookup("__init__"), True
    elif isinstance(target, BoundMethod):
        target, skip_self = target.function, True
    if isinstance(target, NativeFunction) and target.params is not None:
        params = target.params  # written without `self`: a catalog layer's torch signature
    elif isinstance(target, Function):
        params = target.params[1:] if skip_self and target.params else target.params
    else:
        return Unknown(f"inspect.signature() of {target!r}", site)
    parameter = _parameter_class(interp)
    empty = parameter.namespace["empty"]
    parameters = {
        p.name: Instance(
            parameter,
            {"name": p.name, "kind": KIND_NAMES[p.kind], "default": empty if p.default is REQUIRED else p.default},
        )
        for p in params
    }
    bind = NativeFunction("Signature.bind", lambda i, a, k, s: _bind(i, params, a, k, s, partial=False))
    bind_partial = NativeFunction("Signature.bind_partial", lambda i, a, k, s: _bind(i, params, a, k, s, partial=True))
    return Instance(interp.builtins["object"], {"parameters": parameters, "bind": bind, "bind_partial": bind_partial})


def _bind(interp: Any, params: tuple[Param, ...], args: Args, kwargs: Kwargs, site: Location, partial: bool) -> Any:
    """`signature.bind(*args, **kwargs)`: `.arguments` holds what the call passed (defaults left out, as in
    Python), with a TypeError where the call does not fit (deprecation decorators check calls this way)."""
    if partial:
        params = tuple(Param(p.name, p.kind, None if p.default is REQUIRED else p.default) for p in params)
    try:
        bound = bind_arguments("bind", params, list(args), dict(kwargs))
    except BindError as exc:
        interp.raise_error("TypeError", str(exc), site)
    positional = [p.name for p in params if p.kind in (ParamKind.POSITIONAL_ONLY, ParamKind.POSITIONAL_OR_KEYWORD)]
    passed = set(positional[: len(args)]) | set(kwargs)
    collected = (ParamKind.VAR_POSITIONAL, ParamKind.VAR_KEYWORD)
    arguments = {
        p.name: bound[p.name]
        for p in params
        if p.name in bound and (bound[p.name] if p.kind in collected else p.name in passed)
    }
    return Instance(interp.builtins["object"], {"arguments": arguments, "signature": None})


def _get_annotations(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    from staticflops.interpreter.statements import class_annotations

    return class_annotations(interp, args[0], site) if isinstance(args[0], ClassObject) else {}


def type_hints(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    """`typing.get_type_hints(cls)`: the annotations of the class and its bases, the nearest winning."""
    from staticflops.interpreter.statements import class_annotations

    target = args[0] if args else None
    if not isinstance(target, ClassObject):
        return {}
    hints: dict[str, Any] = {}
    for klass in reversed(target.mro):
        hints.update(class_annotations(interp, klass, site))
    return hints


def inspect_module(interp: Any) -> Namespace:
    return Namespace(
        "inspect",
        {
            "signature": NativeFunction("inspect.signature", _signature),
            "get_annotations": NativeFunction("inspect.get_annotations", _get_annotations),
            "Parameter": _parameter_class(interp),
            "isclass": NativeFunction("inspect.isclass", lambda i, a, k, s: isinstance(a[0], ClassObject)),
            "isfunction": NativeFunction("inspect.isfunction", lambda i, a, k, s: isinstance(a[0], Function)),
            "ismethod": NativeFunction("inspect.ismethod", lambda i, a, k, s: isinstance(a[0], BoundMethod)),
        },
    )
