"""`types`: the kinds `isinstance` checks name (`FunctionType`, `ModuleType`, ...) and
`SimpleNamespace`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from staticflops.interpreter.stdlib._support import plain_object
from staticflops.interpreter.values import BoundMethod, ClassObject, Function, Namespace, NativeFunction


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
