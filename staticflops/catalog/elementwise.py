"""Elementwise arithmetic between tensors (and scalars), with broadcasting:
`x + y`, `x += y`, `torch.add`, `x * y`, ... One operation per output element.
"""

from __future__ import annotations

from itertools import zip_longest
from typing import Any

from staticflops.catalog.spec import OpSpec, Shape, Work, WorkKind, normalize_dim, numel, require
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


COMPARISONS = ("__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__")
"""Elementwise comparisons: one operation per output element, a boolean tensor."""

DUNDERS = (
    "__add__", "__radd__", "__iadd__", "__sub__", "__rsub__", "__isub__",
    "__mul__", "__rmul__", "__imul__", "__truediv__", "__rtruediv__", "__itruediv__",
)  # fmt: skip

OPS = (
    *(_binary(f"torch.Tensor.{name}") for name in DUNDERS + COMPARISONS),
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


# ---------------------------------------------------------------- unary math and operands that may be numbers
UNARY = (
    "exp", "log", "log2", "log10", "log1p", "sqrt", "rsqrt", "abs", "sign", "neg", "floor", "ceil", "round",
    "sin", "cos", "tan", "erf", "square", "reciprocal", "clamp", "clip", "clamp_min", "clamp_max",
)  # fmt: skip


def _unary(qualname: str) -> OpSpec:
    params = "input, min, max" if qualname.rsplit(".", 1)[1] in ("clamp", "clip") else "input, *args"
    return OpSpec(
        qualname,
        signature(params + (", **kwargs" if "*args" in params else ""), min=None, max=None),
        ("input",),
        output=lambda b: b["input"],
        work=lambda b, out: Work(WorkKind.ELEMENTWISE, outputs=numel(out), inputs=numel(out)),
    )


def _either(qualname: str, params: str) -> OpSpec:
    """A binary op whose first operand may be a number (`torch.pow(2.0, x)`)."""
    first, second = (name.strip() for name in params.split(","))

    def output(bound: dict[str, Any]) -> Shape:
        return broadcast(_shape_of(bound[first]), _shape_of(bound[second]))

    def work(bound: dict[str, Any], out: Shape) -> Work:
        return Work(WorkKind.ELEMENTWISE, outputs=numel(out), inputs=numel(out))

    return OpSpec(qualname, signature(params), (first, second), output, work)


UNARY_OPS = tuple(_unary(f"{prefix}.{name}") for prefix in ("torch", "torch.Tensor") for name in UNARY)
EITHER_OPS = (
    _either("torch.pow", "input, exponent"),
    _either("torch.Tensor.pow", "input, exponent"),
    _either("torch.Tensor.__pow__", "input, exponent"),
    _either("torch.Tensor.__rpow__", "input, exponent"),
    _either("torch.divide", "input, other"),
    _either("torch.true_divide", "input, other"),
    _either("torch.maximum", "input, other"),
    _either("torch.minimum", "input, other"),
)


def _diff_output(bound: dict[str, Any]) -> Shape:
    x = bound["input"]
    dim = normalize_dim(bound["dim"], len(x))
    return (*x[:dim], max(0, x[dim] - bound["n"]), *x[dim + 1 :])


DIFF = OpSpec(
    "torch.diff",
    signature("input, n, dim, prepend, append", n=1, dim=-1, prepend=None, append=None),
    ("input",),
    output=_diff_output,
    work=lambda b, out: Work(WorkKind.ELEMENTWISE, outputs=numel(out), inputs=numel(b["input"])),
)

NORMALIZE = OpSpec(
    # x / max(‖x‖_p, eps) along dim: square, sum and divide per element
    "torch.nn.functional.normalize",
    signature("input, p, dim, eps, out", p=2.0, dim=1, eps=1e-12, out=None),
    ("input",),
    output=lambda b: b["input"],
    work=lambda b, out: Work(WorkKind.ELEMENTWISE, outputs=numel(out), inputs=numel(out), per_output=3),
)

SPECS = (*OPS, *UNARY_OPS, *EITHER_OPS, DIFF, NORMALIZE)
