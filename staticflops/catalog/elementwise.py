"""Elementwise arithmetic between tensors (and scalars), with broadcasting:
`x + y`, `x += y`, `torch.add`, `x * y`, `mask & other`, `torch.logical_and`, ... One operation per
output element.
"""

from __future__ import annotations

from itertools import zip_longest
from typing import Any

from staticflops.catalog.spec import Example, OpSpec, Shape, Work, WorkKind, normalize_dim, numel, require, spelled
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


OPERATORS = {
    "__add__": "x + y", "__radd__": "2.0 + x", "__iadd__": "x += y; x",
    "__sub__": "x - y", "__rsub__": "2.0 - x", "__isub__": "x -= y; x",
    "__mul__": "x * y", "__rmul__": "2.0 * x", "__imul__": "x *= y; x",
    "__truediv__": "x / y", "__rtruediv__": "2.0 / x", "__itruediv__": "x /= y; x",
    "__eq__": "x == y", "__ne__": "x != y", "__lt__": "x < y",
    "__le__": "x <= y", "__gt__": "x > y", "__ge__": "x >= y",
    "__pow__": "x ** 2", "__rpow__": "2.0 ** x",
    "__floordiv__": "x // y", "__mod__": "x % y",
}  # fmt: skip
"""How each operator is written, for examples: reflected forms have a number on the left."""


def _example(qualname: str, binary: bool) -> Example:
    """A (2, 3) tensor with a (3,) one broadcast over it (or with a number): one operation for each of
    the 6 outputs."""
    name = qualname.rsplit(".", 1)[1]
    if name in OPERATORS:
        source = OPERATORS[name]
    elif qualname.startswith("torch.Tensor."):
        source = f"x.{name}(y)" if binary else spelled(qualname, "2")
    else:
        source = f"torch.{name}(x, y)" if binary else spelled(qualname, "2")
    inputs = ((2, 3), (3,)) if "y" in source else ((2, 3),)
    return Example(source, inputs, (2, 3), 0, 6, 0)


def _binary(qualname: str, params: str = "input, other", **defaults: Any) -> OpSpec:
    return OpSpec(
        qualname, signature(params, **defaults), ("input", "other"), _output, _work, (_example(qualname, True),)
    )


COMPARISONS = ("__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__")
"""Elementwise comparisons: one operation per output element, a boolean tensor."""

DUNDERS = (
    "__add__", "__radd__", "__iadd__", "__sub__", "__rsub__", "__isub__",
    "__mul__", "__rmul__", "__imul__", "__truediv__", "__rtruediv__", "__itruediv__",
    "__floordiv__", "__mod__",
)  # fmt: skip

OPS = (
    *(_binary(f"torch.Tensor.{name}") for name in DUNDERS + COMPARISONS),
    _binary("torch.add", "input, other, *, alpha, out", alpha=1, out=None),
    _binary("torch.sub", "input, other, *, alpha, out", alpha=1, out=None),
    _binary("torch.mul", "input, other, *, out", out=None),
    _binary("torch.div", "input, other, *, rounding_mode, out", rounding_mode=None, out=None),
    _binary("torch.floor_divide", "input, other, *, out", out=None),
    _binary("torch.remainder", "input, other, *, out", out=None),
    _binary("torch.fmod", "input, other, *, out", out=None),
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


BOUNDS = {"clamp": "0.0, 1.0", "clip": "0.0, 1.0", "clamp_min": "0.0", "clamp_max": "1.0"}


def _unary(qualname: str) -> OpSpec:
    name = qualname.rsplit(".", 1)[1]
    params = "input, min, max" if name in ("clamp", "clip") else "input, *args"
    return OpSpec(
        qualname,
        signature(params + (", **kwargs" if "*args" in params else ""), min=None, max=None),
        ("input",),
        output=lambda b: b["input"],
        work=lambda b, out: Work(WorkKind.ELEMENTWISE, outputs=numel(out), inputs=numel(out)),
        # one operation for each of 6 elements
        examples=(Example(spelled(qualname, BOUNDS.get(name, "")), ((2, 3),), (2, 3), 0, 6, 0),),
    )


def _either(qualname: str, params: str) -> OpSpec:
    """A binary op whose first operand may be a number (`torch.pow(2.0, x)`)."""
    first, second = (name.strip() for name in params.split(","))

    def output(bound: dict[str, Any]) -> Shape:
        return broadcast(_shape_of(bound[first]), _shape_of(bound[second]))

    def work(bound: dict[str, Any], out: Shape) -> Work:
        return Work(WorkKind.ELEMENTWISE, outputs=numel(out), inputs=numel(out))

    return OpSpec(
        qualname, signature(params), (first, second), output, work, (_example(qualname, "pow" not in qualname),)
    )


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
    # one subtraction per output: 2·(5 − 1)
    examples=(Example("torch.diff(x)", ((2, 5),), (2, 4), 0, 8, 0),),
)

NORMALIZE = OpSpec(
    # x / max(‖x‖_p, eps) along dim: square, sum and divide per element
    "torch.nn.functional.normalize",
    signature("input, p, dim, eps, out", p=2.0, dim=1, eps=1e-12, out=None),
    ("input",),
    output=lambda b: b["input"],
    work=lambda b, out: Work(WorkKind.ELEMENTWISE, outputs=numel(out), inputs=numel(out), per_output=3),
    examples=(Example("F.normalize(x)", ((2, 3),), (2, 3), 0, 18, 0),),  # 3·6
)


def _where_output(bound: dict[str, Any]) -> Shape | None:
    if bound["input"] is None:  # torch.where(condition): the indices of the true elements, however many
        return None
    return broadcast(broadcast(bound["condition"], _shape_of(bound["input"])), _shape_of(bound["other"]))


WHERE = OpSpec(
    # a selection per output element
    "torch.where",
    signature("condition, input, other", input=None, other=None),
    ("condition", "input", "other"),
    output=_where_output,
    work=lambda b, out: Work(WorkKind.ELEMENTWISE, outputs=numel(out), inputs=numel(out)),
    examples=(Example("torch.where(x > 0, x, y)", ((2, 3), (3,)), (2, 3), 0, 6, 0),),
)

def _fused(qualname: str) -> OpSpec:
    """`addcmul`/`addcdiv`: input + value · t1 ∘ t2 — a product or quotient and an addition per
    output element, and a scaling too when `value` is not 1."""

    def output(bound: dict[str, Any]) -> Shape:
        return broadcast(broadcast(bound["input"], bound["tensor1"]), bound["tensor2"])

    def work(bound: dict[str, Any], out: Shape) -> Work:
        per_output = 2 if bound["value"] == 1 else 3
        return Work(WorkKind.ELEMENTWISE, outputs=numel(out), inputs=numel(out), per_output=per_output)

    return OpSpec(
        qualname,
        signature("input, tensor1, tensor2, *, value", value=1),
        ("input", "tensor1", "tensor2"),
        output,
        work,
        # a (2, 3) input with a (3,) and a (2, 3) factor: two operations for each of 6 outputs
        (Example(spelled(qualname, "y, z"), ((2, 3), (3,), (2, 3)), (2, 3), 0, 12, 0),),
    )


FUSED = tuple(
    _fused(f"{prefix}.{name}") for prefix in ("torch", "torch.Tensor") for name in ("addcmul", "addcdiv")
)


LOGICAL = {"__and__": "&", "__or__": "|", "__xor__": "^", "__iand__": "&=", "__ior__": "|=", "__ixor__": "^="}
"""Bitwise operators, as masks are combined (`(w >= m) & (h >= m)`): one operation per output element."""


def _logical(qualname: str) -> OpSpec:
    name = qualname.rsplit(".", 1)[1]
    if name in LOGICAL:
        operator = LOGICAL[name]
        source = f"a = x > 0; a {operator} y > 0; a" if operator.endswith("=") else f"(x > 0) {operator} (y > 0)"
    elif qualname.startswith("torch.Tensor."):
        source = f"(x > 0).{name}(y > 0)"
    else:
        source = f"torch.{name}(x > 0, y > 0)"
    # on boolean operands (as torch requires): one operation for each of the 6 outputs
    example = Example(source, ((2, 3), (3,)), (2, 3), 0, 6, 0)
    return OpSpec(qualname, signature("input, other"), ("input", "other"), _output, _work, (example,))


LOGICAL_OPS = (
    *(_logical(f"torch.Tensor.{name}") for name in LOGICAL),
    *(_logical(f"{prefix}.logical_{name}") for prefix in ("torch", "torch.Tensor") for name in ("and", "or", "xor")),
)

SPECS = (*OPS, *UNARY_OPS, *EITHER_OPS, *LOGICAL_OPS, DIFF, NORMALIZE, WHERE, *FUSED)
