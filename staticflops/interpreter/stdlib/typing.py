"""`typing` and `typing_extensions`: annotations are never evaluated, so most names only need to
exist; `NamedTuple`, `TYPE_CHECKING`, `cast`, `TypeVar` and the decorators mean something."""

from __future__ import annotations

from typing import Any

from staticflops.interpreter.stdlib._support import identity_decorator
from staticflops.interpreter.stdlib.collections import abstract_type, namedtuple_base
from staticflops.interpreter.stdlib.inspect import type_hints
from staticflops.interpreter.values import ClassObject, Namespace, NativeFunction


def typing_module(interp: Any) -> Namespace:
    base = namedtuple_base(interp)

    def resolve(name: str) -> Any:
        if name == "NamedTuple":
            return base
        return abstract_type("typing", name)

    def type_var(i: Any, a: list[Any], k: dict[str, Any], s: Any) -> Any:
        return ClassObject(str(a[0]) if a else "T", (), {})

    attrs: dict[str, Any] = {
        "TYPE_CHECKING": False,
        "cast": NativeFunction("typing.cast", lambda i, a, k, s: a[1]),
        "overload": identity_decorator("typing.overload"),
        "final": identity_decorator("typing.final"),
        "override": identity_decorator("typing.override"),
        "runtime_checkable": identity_decorator("typing.runtime_checkable"),
        "no_type_check": identity_decorator("typing.no_type_check"),
        "TypeVar": NativeFunction("typing.TypeVar", type_var),
        "ParamSpec": NativeFunction("typing.ParamSpec", type_var),
        "NewType": NativeFunction("typing.NewType", lambda i, a, k, s: a[1] if len(a) > 1 else None),
        "get_type_hints": NativeFunction("typing.get_type_hints", type_hints),
    }
    return Namespace("typing", attrs, resolve=resolve)
