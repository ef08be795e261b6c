"""Known values of small constant tensors.

Some constructors compute a configuration with tensor arithmetic (torchvision's RegNet:
`torch.round(torch.log(torch.arange(depth) * w_a + w_0) ...).int().tolist()`; MaxViT:
`np.linspace(0, p, n).tolist()`). A tensor built from constants carries its flattened
values, ops listed here compute the values of their result, and `.tolist()` hands them
back to Python. Float tensors are rounded to float32 after every step, as torch computes.
Anything else drops the values and keeps only the shape.
"""

from __future__ import annotations

import math
import operator
import struct
from collections.abc import Callable
from typing import Any

from staticflops.catalog import Shape
from staticflops.interpreter.errors import AnalyzedException

MAX_VALUES = 100_000
"""Larger constants are tracked by shape only."""

Values = tuple[Any, ...]


def float32(value: float) -> float:
    return struct.unpack("f", struct.pack("f", value))[0]


def normalize(values: list[Any], dtype: str) -> Values:
    if dtype.startswith("float") and dtype != "float64":
        return tuple(float32(float(v)) for v in values)
    if dtype.startswith(("int", "uint")):
        if any(isinstance(v, float) and not math.isfinite(v) for v in values):  # torch refuses: the code raises
            raise AnalyzedException("RuntimeError", f"value cannot be converted to type {dtype} without overflow", None)
        return tuple(int(v) for v in values)
    return tuple(values)


def result_dtype(a: str | None, b: str | None, op: str) -> str:
    """torch's promotion for the cases constants meet: ints stay ints except under true division."""
    kinds = [d for d in (a, b) if d is not None]
    if op in ("truediv", "log", "exp", "sqrt", "log2", "log10") or any(d.startswith("float") for d in kinds):
        return next((d for d in kinds if d.startswith("float")), "float32")
    return kinds[0] if kinds else "int64"  # two Python ints: torch's default integer dtype


def _round_half_even(value: float) -> float:
    return float(round(value))


UNARY: dict[str, Callable[[Any], Any]] = {
    "round": _round_half_even,
    "log": math.log,
    "log2": math.log2,
    "log10": math.log10,
    "exp": math.exp,
    "sqrt": math.sqrt,
    "sin": math.sin,
    "cos": math.cos,
    "tan": math.tan,
    "tanh": math.tanh,
    "abs": abs,
    "neg": operator.neg,
    "floor": math.floor,
    "ceil": math.ceil,
    "sign": lambda v: (v > 0) - (v < 0),
}

BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "__add__": operator.add, "__radd__": lambda a, b: b + a, "__iadd__": operator.add, "add": operator.add,
    "__sub__": operator.sub, "__rsub__": lambda a, b: b - a, "__isub__": operator.sub, "sub": operator.sub,
    "__mul__": operator.mul, "__rmul__": lambda a, b: b * a, "__imul__": operator.mul, "mul": operator.mul,
    "__truediv__": operator.truediv, "__rtruediv__": lambda a, b: b / a, "__itruediv__": operator.truediv,
    "div": operator.truediv, "divide": operator.truediv, "true_divide": operator.truediv,
    "pow": operator.pow, "__pow__": operator.pow, "__rpow__": lambda a, b: b**a,
    # torch's floor division and remainder round toward -inf, as Python's `//` and `%` do
    "__floordiv__": operator.floordiv, "__rfloordiv__": lambda a, b: b // a, "floor_divide": operator.floordiv,
    "__mod__": operator.mod, "__rmod__": lambda a, b: b % a, "remainder": operator.mod,
}  # fmt: skip
ROUNDED = {"floor": "__floordiv__", "trunc": "rounded_trunc"}
"""`torch.div(a, b, rounding_mode=...)`: the op whose values it computes (integers stay integers)."""
BINARY["rounded_trunc"] = lambda a, b: (
    (abs(a) // abs(b)) * (1 if (a >= 0) == (b > 0) else -1) if isinstance(a, int) and isinstance(b, int)
    else float(math.trunc(a / b))
)  # fmt: skip
COMPARISONS: dict[str, Callable[[Any, Any], Any]] = {
    f"{prefix}{name}{suffix}": function
    for name, function in (("eq", operator.eq), ("ne", operator.ne), ("lt", operator.lt), ("le", operator.le),
                           ("gt", operator.gt), ("ge", operator.ge))
    for prefix, suffix in (("", ""), ("__", "__"))
}  # fmt: skip
"""`stride == 1` on a constant: a bool tensor whose values are known (`np.all(stride == 1)`)."""
BINARY.update(COMPARISONS)

REDUCTIONS: dict[str, Callable[[list[Any]], Any]] = {
    "any": any, "all": all, "sum": sum, "prod": math.prod, "max": max, "min": min, "amax": max, "amin": min,
}  # fmt: skip
"""Reductions of a whole constant to one value (`remainder.any()`, `sizes.sum()`); with a `dim`, shape only."""


def reduce(name: str, source: Any) -> tuple[Values, str] | None:
    """Values and dtype of the 0-d result of reducing all of `source`, when they can be known."""
    values, dtype = operand(source)
    if values is None or (not values and name in ("max", "min", "amax", "amin")):
        return None
    if name in ("any", "all"):
        return (bool(REDUCTIONS[name](values)),), "bool"
    kind = dtype or "int64"
    if name in ("sum", "prod") and kind == "bool":
        kind = "int64"
    return normalize([REDUCTIONS[name](list(values))], kind), kind


def operand(value: Any) -> tuple[Values | None, str | None]:
    """(values, dtype) of a tensor with known values or of a Python number; (None, None) otherwise."""
    from staticflops.torchmodel.tensor import Tensor

    if isinstance(value, Tensor):
        return value.values, value.dtype
    if isinstance(value, bool):
        return (value,), None
    if isinstance(value, int):
        return (value,), None
    if isinstance(value, float):
        return (value,), "float32"
    return None, None


def compute(name: str, first: Any, second: Any, shape: Shape) -> tuple[Values, str] | None:
    """Values and dtype of `name(first[, second])` when they can be known, else None."""
    a, a_dtype = operand(first)
    if a is None or math.prod(shape) > MAX_VALUES:
        return None
    if name in UNARY and second is None:
        dtype = result_dtype(a_dtype, None, name)
        try:
            return normalize([UNARY[name](v) for v in a], dtype), dtype
        except (ValueError, OverflowError):
            return None
    if name not in BINARY:
        return None
    b, b_dtype = operand(second)
    if b is None:
        return None
    count = math.prod(shape)
    if len(a) not in (1, count) or len(b) not in (1, count):
        return None  # broadcasting beyond scalar-with-tensor: shape only
    if name in COMPARISONS:
        dtype = "bool"
    else:
        dtype = result_dtype(a_dtype, b_dtype, "truediv" if "div" in name and "floor" not in name else name)
    function = BINARY[name]
    try:
        values = [function(a[i if len(a) > 1 else 0], b[i if len(b) > 1 else 0]) for i in range(count)]
    except (ZeroDivisionError, OverflowError, ValueError):
        return None
    return normalize(values, dtype), dtype


def nested(values: Values, shape: Shape) -> Any:
    """`.tolist()`: the flat values as nested lists of `shape`."""
    if not shape:
        return values[0]
    if len(shape) == 1:
        return list(values)
    stride = math.prod(shape[1:])
    return [nested(values[i * stride : (i + 1) * stride], shape[1:]) for i in range(shape[0])]


def flatten(data: Any) -> tuple[Shape, list[Any]] | None:
    """Shape and flat values of nested lists of numbers (`torch.tensor([[1, 2], [3, 4]])`)."""
    if isinstance(data, (int, float, bool)):
        return (), [data]
    if not isinstance(data, (list, tuple)):
        return None
    if not data:
        return (0,), []
    parts = [flatten(item) for item in data]
    if any(part is None for part in parts) or len({part[0] for part in parts}) != 1:  # type: ignore[index]
        return None
    inner = parts[0][0]  # type: ignore[index]
    return (len(data), *inner), [v for part in parts for v in part[1]]  # type: ignore[index]


def unique(values: Values, dtype: str, kwargs: dict[str, Any]) -> Any:
    """`torch.unique(t, return_inverse=..., return_counts=...)` of a constant: sorted, as torch returns it."""
    from staticflops.torchmodel.tensor import Tensor

    distinct = sorted(set(values))
    result: list[Any] = [Tensor((len(distinct),), dtype=dtype, values=tuple(distinct))]
    if kwargs.get("return_inverse"):
        position = {v: i for i, v in enumerate(distinct)}
        result.append(Tensor((len(values),), dtype="int64", values=tuple(position[v] for v in values)))
    if kwargs.get("return_counts"):
        counts = [values.count(v) for v in distinct]
        result.append(Tensor((len(distinct),), dtype="int64", values=tuple(counts)))
    return result[0] if len(result) == 1 else tuple(result)


def bincount(values: Values, dtype: str, kwargs: dict[str, Any]) -> Any:
    """`torch.bincount(t, minlength=n)` of a constant of non-negative integers: the count of each value; None (not
    folded) with weights, or values that are not such integers."""
    from staticflops.torchmodel.tensor import Tensor

    minlength = kwargs.get("minlength", 0)
    if kwargs.get("weights") is not None or not isinstance(minlength, int):
        return None
    if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in values):
        return None
    counts = [0] * max(minlength, max(values, default=-1) + 1)
    for v in values:
        counts[v] += 1
    return Tensor((len(counts),), dtype="int64", values=tuple(counts))


FOLDED: dict[str, Callable[[Values, str, dict[str, Any]], Any]] = {"unique": unique, "bincount": bincount}
"""Ops whose result depends on the data, known when their input is a constant (`torch.unique` of a
RegNet's widths gives its stage widths and depths)."""
