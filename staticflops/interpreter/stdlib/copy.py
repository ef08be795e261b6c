"""`copy`: shallow and deep copies of abstract values (tensors, modules and data alike)."""

from __future__ import annotations

import copy as python_copy
from typing import Any

from staticflops.interpreter.values import Instance, Namespace, NativeFunction


def copy_value(value: Any, deep: bool, memo: dict[int, Any] | None = None) -> Any:
    memo = {} if memo is None else memo
    if id(value) in memo:
        return memo[id(value)]
    if isinstance(value, Instance):
        clone = Instance(value.cls, origin=value.origin)
        memo[id(value)] = clone
        clone.attrs = {k: copy_value(v, deep, memo) for k, v in value.attrs.items()} if deep else dict(value.attrs)
        return clone
    if isinstance(value, (list, dict, set)):
        # the container's own type survives (a defaultdict keeps its factory, a deque its maxlen)
        result = python_copy.copy(value)
        memo[id(value)] = result
        if deep:
            if isinstance(value, dict):
                result.clear()
                result.update({k: copy_value(v, deep, memo) for k, v in value.items()})
            elif isinstance(value, list):
                result[:] = [copy_value(v, deep, memo) for v in value]
        return result
    if not deep:
        return value
    if isinstance(value, tuple):
        return type(value)(copy_value(v, deep, memo) for v in value) if type(value) is tuple else value
    copier = getattr(value, "sf_copy", None)
    return copier() if copier is not None else value


def copy_module(interp: Any) -> Namespace:
    return Namespace(
        "copy",
        {
            "copy": NativeFunction("copy.copy", lambda i, a, k, s: copy_value(a[0], deep=False)),
            "deepcopy": NativeFunction("copy.deepcopy", lambda i, a, k, s: copy_value(a[0], deep=True)),
        },
    )
