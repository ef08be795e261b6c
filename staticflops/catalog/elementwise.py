"""Elementwise arithmetic between tensors (and scalars), with broadcasting:
`x + y`, `x += y`, `torch.add`, `x * y`, ... One operation per output element.
"""

from __future__ import annotations

from itertools import zip_longest
from typing import Any

from staticflops.catalog.spec import OpSpec, Shape, Work, WorkKind, numel, require
from staticflops.diagnostics import SF204
from staticflops.interpreter.calls import signature


def broadcast(a: Shape, b: Shape) -> Shape:
    """NumPy/torch broadcasting of two shapes."""
    result: list[int] = []
    for x, y in zip_longest(reversed(a), reversed(b), fillvalue=1):
        require(
            x == y or x == 1 or y == 1,
            f"shapes {list(a)} and {list(b)} cannot be broadcast together (size {x} against {y})",
            SF204,
        )
        result.append(max(x, y) if min(x, y) != 0 else 0)
    return tuple(reversed(result))


def _shape_of(value: Any) -> Shape:
    """The broadcasting shape of an operand: a tensor's shape, or () for a Python number."""
    return value if isinstance(value, tuple) else ()


def _output(bound: dict[str, Any]) -> Shape:
    return broadcast(_shape_of(bound["input"]), _shape_of(bound["other"]))


def _work(bound: dict[str, Any], out: Shape) -> Work:
    return Work(WorkKind.ELEMENTWISE, outputs=numel(out), inputs=numel(_shape_of(bound["input"])))


def _binary(qualname: str, params: str = "input, other", **defaults: Any) -> OpSpec:
    return OpSpec(qualname, signature(params, **defaults), ("input", "other"), _output, _work)


DUNDERS = (
    "__add__", "__radd__", "__iadd__", "__sub__", "__rsub__", "__isub__",
    "__mul__", "__rmul__", "__imul__", "__truediv__", "__rtruediv__", "__itruediv__",
)  # fmt: skip

OPS = (
    *(_binary(f"torch.Tensor.{name}") for name in DUNDERS),
    _binary("torch.add", "input, other, *, alpha, out", alpha=1, out=None),
    _binary("torch.sub", "input, other, *, alpha, out", alpha=1, out=None),
    _binary("torch.mul", "input, other, *, out", out=None),
    _binary("torch.div", "input, other, *, rounding_mode, out", rounding_mode=None, out=None),
    _binary("torch.Tensor.add", "input, other, *, alpha", alpha=1),
    _binary("torch.Tensor.add_", "input, other, *, alpha", alpha=1),
    _binary("torch.Tensor.sub", "input, other, *, alpha", alpha=1),
    _binary("torch.Tensor.mul", "input, other"),
    _binary("torch.Tensor.mul_", "input, other"),
    _binary("torch.Tensor.div", "input, other, *, rounding_mode", rounding_mode=None),
)

SPECS = OPS
