"""`types`: the kinds `isinstance` checks name (`FunctionType`, `ModuleType`, ...) and
`SimpleNamespace`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from staticflops.interpreter.stdlib._support import plain_object
from staticflops.interpreter.values import BoundMethod, BuiltinType, ClassObject, Function, Namespace, NativeFunction


def union_type(left: Any, right: Any) -> ClassObject | None:
    """`int | None` as Python 3.10 evaluates it: a `types.UnionType` whose members `isinstance`
    checks (dataclass fields' annotations are evaluated, so configuration classes build these).
    None when an operand is not a type."""
    members: list[Any] = []
    for side in (left, right):
        if isinstance(side, ClassObject) and "union" in side.metadata:
            members.extend(side.metadata["union"])
        elif side is None or isinstance(side, (ClassObject, BuiltinType)):
            members.append(BuiltinType("NoneType", type(None), _no_none) if side is None else side)
        else:
            return None
    return ClassObject(
        "UnionType", (), {"__args__": tuple(members)}, qualname="types.UnionType", metadata={"union": tuple(members)}
    )


def _no_none(interp: Any, args: list[Any], kwargs: dict[str, Any], site: Any) -> None:
    return None


def types_module(interp: Any) -> Namespace:
    def kind(name: str, check: Callable[[Any], bool]) -> ClassObject:
        return ClassObject(name, (), {}, qualname=f"types.{name}", metadata={"instancecheck": check})

    def is_function(value: Any) -> bool:
        return isinstance(value, (Function, NativeFunction))

    return Namespace(
        "types",
        {
            "FunctionType": kind("FunctionType", is_function),
            "LambdaType": kind("LambdaType", is_function),
            "BuiltinFunctionType": kind("BuiltinFunctionType", lambda v: isinstance(v, NativeFunction)),
            "MethodType": kind("MethodType", lambda v: isinstance(v, BoundMethod)),
            "ModuleType": kind("ModuleType", lambda v: isinstance(v, Namespace)),
            "SimpleNamespace": NativeFunction("types.SimpleNamespace", lambda i, a, k, s: plain_object(i, k)),
            "MappingProxyType": NativeFunction("types.MappingProxyType", lambda i, a, k, s: dict(a[0])),
        },
    )
