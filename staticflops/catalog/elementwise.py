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
        result.append(_broadcast_size(x, y, a, b))
    return tuple(reversed(result))


def _broadcast_size(x: int, y: int, a: Shape, b: Shape) -> int:
    """One size of the broadcast. A plain 1 is tested first: against a symbolic size (staticflops.symbolic)
    it then decides without a condition on that size (`B == 1` at a traced batch of 1 is no condition)."""
    if type(y) is int and y == 1:
        return x
    if type(x) is int and x == 1:
        return y
    if x == y:
        return x
    if y == 1:
        return x
    if x == 1:
        return y
    require(False, f"shapes {list(a)} and {list(b)} cannot be broadcast together (size {x} against {y})", SF204)
    return x


def _shape_of(value: Any) -> Shape:
    """The broadcasting shape of an operand: a tensor's shape, or () for a Python number."""
    return value if isinstance(value, tuple) else ()


def _broadcast_all(bound: dict[str, Any], names: tuple[str, ...]) -> Shape:
    """The broadcast of the operands `names` (numbers and absent ones count as ())."""
    shape: Shape = ()
    for name in names:
        shape = broadcast(shape, _shape_of(bound[name]))
    return shape


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


BOUND_PARAMS = {
    "clamp": "input, min, max",
    "clip": "input, min, max",
    "clamp_min": "input, min",
    "clamp_max": "input, max",
}
"""The bounds may be tensors, broadcast with the input (`x.clamp(min=lower)`)."""


def _unary(qualname: str) -> OpSpec:
    name = qualname.rsplit(".", 1)[1]
    params = BOUND_PARAMS.get(name, "input, *args, **kwargs")
    tensors = tuple(p.strip() for p in params.split(",")) if name in BOUND_PARAMS else ("input",)
    return OpSpec(
        qualname,
        signature(params, min=None, max=None),
        tensors,
        output=lambda b: _broadcast_all(b, tensors),
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


FUSED = tuple(_fused(f"{prefix}.{name}") for prefix in ("torch", "torch.Tensor") for name in ("addcmul", "addcdiv"))


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


# ---------------------------------------------------------------- pointwise tables: one operation per output element
def _pointwise(
    qualname: str,
    params: str,
    tensors: tuple[str, ...],
    call: str,
    inputs: tuple[Shape, ...],
    *,
    output_dtype: str | None = None,
    work: WorkKind = WorkKind.ELEMENTWISE,
    per_output: int = 1,
    receiver: str = "x",
    **defaults: Any,
) -> OpSpec:
    """An op whose operands `tensors` (tensors or numbers) broadcast to its output; `call` is the example's
    call after the op's name (`(x, y)`, or `(y)` for a method on `receiver`), on operands of shapes `inputs`."""
    prefix, name = qualname.rsplit(".", 1)
    spelling = {"torch.Tensor": receiver, "torch.nn.functional": "F"}.get(prefix, prefix)
    out = broadcast(*(inputs + ((),) * (2 - len(inputs)))[:2]) if len(inputs) <= 2 else inputs[0]
    flops = 0 if work is WorkKind.FREE else per_output * numel(out)
    return OpSpec(
        qualname,
        signature(params, **defaults),
        tensors,
        output=lambda b: _broadcast_all(b, tensors),
        work=lambda b, shape: Work(
            work, outputs=numel(shape), inputs=numel(_shape_of(b[tensors[0]])), per_output=per_output
        ),
        examples=(Example(f"{spelling}.{name}{call}", inputs, out, 0, flops, 0),),
        dtype=output_dtype,
    )


UNARY_MATH = (
    "acos", "acosh", "asin", "asinh", "atan", "atanh", "arccos", "arcsin", "arctan", "arccosh", "arcsinh",
    "arctanh", "cosh", "sinh", "exp2", "expm1", "frac", "trunc", "fix", "sinc", "deg2rad", "rad2deg", "i0",
    "digamma", "lgamma", "erfc", "erfinv", "sgn", "positive", "negative", "absolute",
)  # fmt: skip
"""Unary math on one tensor: the input's shape, one operation per element (6 for the (2, 3) example)."""

UNARY_WITH = {"logit": ("input, eps", {"eps": None}, "(0.1)"),
              "nan_to_num": ("input, nan, posinf, neginf", {"nan": 0.0, "posinf": None, "neginf": None}, "(0.0)"),
              "mvlgamma": ("input, p", {}, "(1)")}  # fmt: skip
"""Unary math with plain arguments: (parameters, defaults, the example's arguments)."""

SPECIAL_UNARY = (
    "i0e", "i1", "i1e", "ndtr", "ndtri", "log_ndtr", "erfcx", "entr", "airy_ai", "bessel_j0", "bessel_j1",
    "bessel_y0", "bessel_y1", "modified_bessel_i0", "modified_bessel_i1", "modified_bessel_k0", "modified_bessel_k1",
    "scaled_modified_bessel_k0", "scaled_modified_bessel_k1", "spherical_bessel_j0", "expit", "erf", "erfc", "erfinv",
    "exp2", "expm1", "gammaln", "digamma", "psi", "sinc", "round", "log1p", "i0",
)  # fmt: skip
"""`torch.special.*` on one tensor."""

SPECIAL_BINARY = (
    "xlogy", "xlog1py", "zeta", "chebyshev_polynomial_t", "chebyshev_polynomial_u", "chebyshev_polynomial_v",
    "chebyshev_polynomial_w", "hermite_polynomial_h", "hermite_polynomial_he", "laguerre_polynomial_l",
    "legendre_polynomial_p", "shifted_chebyshev_polynomial_t", "shifted_chebyshev_polynomial_u",
    "shifted_chebyshev_polynomial_v", "shifted_chebyshev_polynomial_w",
)  # fmt: skip
"""`torch.special.*` of two operands, either of which may be a number (`chebyshev_polynomial_t(x, 3)`)."""

FREE_UNARY = ("conj", "conj_physical", "resolve_conj", "resolve_neg")
"""On real tensors these change nothing: no arithmetic."""

PREDICATES = ("isnan", "isinf", "isfinite", "isposinf", "isneginf", "isreal", "signbit", "logical_not")
"""A boolean per element: one operation each."""

BINARY_MATH = (
    "atan2", "arctan2", "copysign", "fmax", "fmin", "hypot", "nextafter", "xlogy", "logaddexp", "logaddexp2",
    "heaviside", "float_power", "ldexp", "igamma", "igammac", "multiply", "subtract",
)  # fmt: skip
"""Two operands, either of which may be a number, broadcast: one operation per output element."""

BINARY_METHODS = ("maximum", "minimum", "fmod", "remainder", "floor_divide", "true_divide", "divide")
"""Binary ops whose `torch.*` form is defined above and whose method form is added here."""

COMPARISON_NAMES = ("eq", "ne", "lt", "le", "gt", "ge", "greater", "greater_equal", "less", "less_equal", "not_equal")

INTEGER = ("bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_left_shift", "bitwise_right_shift", "gcd", "lcm")
"""Integer (or boolean) operands: the example casts its inputs."""


def _binary_call(prefix: str) -> str:
    return "(y)" if prefix == "torch.Tensor" else "(x, y)"


BROADCAST_2x3 = ((2, 3), (3,))

POINTWISE = (
    *(_pointwise(f"{prefix}.{name}", "input", ("input",), "()" if prefix == "torch.Tensor" else "(x)", ((2, 3),))
      for prefix in ("torch", "torch.Tensor") for name in UNARY_MATH),
    *(_pointwise(f"{prefix}.{name}", params, ("input",), call if prefix == "torch.Tensor" else f"(x, {call[1:]}",
                 ((2, 3),), **defaults)
      for prefix in ("torch", "torch.Tensor") for name, (params, defaults, call) in UNARY_WITH.items()),
    *(_pointwise(f"torch.special.{name}", "input", ("input",), "(x)", ((2, 3),)) for name in SPECIAL_UNARY),
    _pointwise("torch.special.logit", "input, eps", ("input",), "(x)", ((2, 3),), eps=None),
    _pointwise("torch.special.multigammaln", "input, p", ("input",), "(x, 1)", ((2, 3),)),
    *(_pointwise(f"torch.special.{name}", "input, other", ("input", "other"), "(x, y)", BROADCAST_2x3)
      for name in SPECIAL_BINARY if not name.endswith(tuple("tuvw")) and "polynomial" not in name),
    *(_pointwise(f"torch.special.{name}", "input, n", ("input", "n"), "(x, y)", BROADCAST_2x3)
      for name in SPECIAL_BINARY if "polynomial" in name),
    # polygamma(n, x): the order of the n-th derivative first
    _pointwise("torch.polygamma", "n, input", ("input",), "(1, x)", ((2, 3),)),
    _pointwise("torch.special.polygamma", "n, input", ("input",), "(1, x)", ((2, 3),)),
    _pointwise("torch.Tensor.polygamma", "input, n", ("input",), "(1)", ((2, 3),)),
    *(_pointwise(f"{prefix}.{name}", "input", ("input",), "()" if prefix == "torch.Tensor" else "(x)", ((2, 3),),
                 work=WorkKind.FREE)
      for prefix in ("torch", "torch.Tensor") for name in FREE_UNARY),
    *(_pointwise(f"{prefix}.{name}", "input", ("input",), "()" if prefix == "torch.Tensor" else "(x)", ((2, 3),),
                 output_dtype="bool")
      for prefix in ("torch", "torch.Tensor") for name in PREDICATES),
    *(_pointwise(f"{prefix}.{name}", "input, other, *, out", ("input", "other"), _binary_call(prefix), BROADCAST_2x3,
                 out=None)
      for prefix in ("torch", "torch.Tensor") for name in BINARY_MATH),
    *(_pointwise(f"torch.Tensor.{name}", "input, other", ("input", "other"), "(y)", BROADCAST_2x3)
      for name in BINARY_METHODS),
    *(_pointwise(f"{prefix}.{name}", "input, other, *, out", ("input", "other"), _binary_call(prefix), BROADCAST_2x3,
                 output_dtype="bool", out=None)
      for prefix in ("torch", "torch.Tensor") for name in COMPARISON_NAMES),
    *(_pointwise(f"{prefix}.{name}", "input, other, *, out", ("input", "other"),
                 "(y.long())" if prefix == "torch.Tensor" else "(x.long(), y.long())", BROADCAST_2x3,
                 receiver="x.long()", out=None)
      for prefix in ("torch", "torch.Tensor") for name in INTEGER),
    *(_pointwise(f"{prefix}.bitwise_not", "input, *, out", ("input",),
                 "()" if prefix == "torch.Tensor" else "(x > 0)", ((2, 3),), receiver="(x > 0)", out=None)
      for prefix in ("torch", "torch.Tensor")),
    # rsub(x, y) = y − α·x
    _pointwise("torch.rsub", "input, other, *, alpha", ("input", "other"), "(x, y)", BROADCAST_2x3, alpha=1),
    *(_pointwise(f"{prefix}.isclose", "input, other, rtol, atol, equal_nan", ("input", "other"), _binary_call(prefix),
                 BROADCAST_2x3, output_dtype="bool", rtol=1e-05, atol=1e-08, equal_nan=False)
      for prefix in ("torch", "torch.Tensor")),
    # start + weight·(end − start): a subtraction, a product and an addition per element
    *(_pointwise(f"{prefix}.lerp", "input, end, weight", ("input", "end", "weight"),
                 "(y, 0.5)" if prefix == "torch.Tensor" else "(x, y, 0.5)", BROADCAST_2x3, per_output=3)
      for prefix in ("torch", "torch.Tensor")),
    *(_pointwise(f"{prefix}.angle", "input", ("input",), "()" if prefix == "torch.Tensor" else "(x)", ((2, 3),))
      for prefix in ("torch", "torch.Tensor")),
    _pointwise("torch.real", "input", ("input",), "(x)", ((2, 3),), work=WorkKind.FREE),
    # renorm: each slice along dim scaled to a norm of at most maxnorm: the norm's 2 per element, and a product
    *(_pointwise(f"{prefix}.renorm", "input, p, dim, maxnorm", ("input",),
                 "(2, 0, 1.0)" if prefix == "torch.Tensor" else "(x, 2, 0, 1.0)", ((2, 3),), per_output=3)
      for prefix in ("torch", "torch.Tensor")),
    # masked.normalize: as F.normalize; masked.logaddexp: as logaddexp
    _pointwise("torch.masked.normalize", "input, ord, dim, *, eps, dtype, mask", ("input", "mask"), "(x, 2.0, 1)",
               ((2, 3),), per_output=3, eps=1e-12, dtype=None, mask=None),
    _pointwise("torch.masked.logaddexp", "input, other, *, dtype, input_mask, other_mask", ("input", "other"),
               "(x, y)", BROADCAST_2x3, dtype=None, input_mask=None, other_mask=None),
    # x.where(condition, y): torch.where(condition, x, y), a selection per element
    _pointwise("torch.Tensor.where", "input, condition, other", ("input", "condition", "other"), "(x > 0, y)",
               BROADCAST_2x3),
)  # fmt: skip

TENSOR_DIFF = OpSpec(
    "torch.Tensor.diff", DIFF.params, DIFF.tensors, DIFF.output, DIFF.work,
    (Example("x.diff()", ((2, 5),), (2, 4), 0, 8, 0),),  # as torch.diff
)  # fmt: skip


def _frexp(qualname: str) -> OpSpec:
    """(mantissa, exponent), each the input's shape: one operation per element."""
    return OpSpec(
        qualname,
        signature("input"),
        ("input",),
        lambda b: [b["input"], b["input"]],
        lambda b, out: Work(WorkKind.ELEMENTWISE, outputs=numel(out[0]), inputs=numel(out[0])),
        (Example(spelled(qualname), ((2, 3),), (2, 3), 0, 6, 0),),
    )


SPECS = (
    *OPS, *UNARY_OPS, *EITHER_OPS, *LOGICAL_OPS, DIFF, TENSOR_DIFF, NORMALIZE, WHERE, *FUSED, *POINTWISE,
    _frexp("torch.frexp"), _frexp("torch.Tensor.frexp"),
)  # fmt: skip
