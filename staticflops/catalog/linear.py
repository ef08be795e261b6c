"""Fully connected layers: `nn.Linear`.

Every output element sums `in_features` products: `2·I − 1` operations without a
bias, `2·I` with one, times every output element (all leading dimensions).
"""

from __future__ import annotations

from typing import Any

from staticflops.catalog.elementwise import broadcast
from staticflops.catalog.spec import (
    Example,
    Hyper,
    LayerSpec,
    OpSpec,
    Shape,
    Work,
    WorkKind,
    contracted,
    numel,
    require,
)
from staticflops.interpreter.calls import signature


def _attributes(bound: dict[str, Any]) -> dict[str, Any]:
    return {"in_features": bound["in_features"], "out_features": bound["out_features"], "bias": bool(bound["bias"])}


def _parameters(h: Hyper) -> dict[str, Shape | None]:
    return {
        "weight": (h["out_features"], h["in_features"]),
        "bias": (h["out_features"],) if h["bias"] else None,
    }


def _output(h: Hyper, inputs: list[Shape]) -> Shape:
    (x,) = inputs
    require(len(x) >= 1, "Linear expects at least a 1D input")
    require(
        x[-1] == h["in_features"],
        f"Linear expects {h['in_features']} input features (in_features), but the input's last dimension is {x[-1]}",
        expected=h["in_features"],
        actual=x[-1],
    )
    return (*x[:-1], h["out_features"])


def _work(h: Hyper, inputs: list[Shape], out: Shape) -> Work:
    return Work(
        WorkKind.LINEAR,
        outputs=numel(out),
        macs=numel(out) * h["in_features"],
        bias=h["bias"] is not None,
        inputs=numel(inputs[0]),
    )


LINEAR = LayerSpec(
    "torch.nn.Linear",
    init=signature("in_features, out_features, bias, device, dtype", bias=True, device=None, dtype=None),
    attributes=_attributes,
    parameters=_parameters,
    output=_output,
    work=_work,
    examples=(
        # the reference document's fully connected rule, (2·I − 1)·O: (2·4 − 1)·3 = 21
        Example("nn.Linear(4, 3, bias=False)", ((1, 4),), (1, 3), 12, 21, 12),
        # with bias: 2·4·3 = 24
        Example("nn.Linear(4, 3)", ((1, 4),), (1, 3), 15, 24, 12),
        # a classifier head: 2·512·1000
        Example("nn.Linear(512, 1000)", ((1, 512),), (1, 1000), 513_000, 1_024_000, 512_000),
        # every leading dimension counts: 8·10 outputs × 2·9
        Example("nn.Linear(9, 10)", ((8, 9),), (8, 10), 100, 1440, 720),
    ),
)


# ---------------------------------------------------------------- functional linear and matrix products
def _f_linear_output(bound: dict[str, Any]) -> Shape:
    x, weight = bound["input"], bound["weight"]
    require(len(weight) in (1, 2), f"F.linear: weight must be 1D or 2D, got {list(weight)}")
    features = weight[-1]
    require(
        x[-1] == features,
        f"F.linear: the weight expects {features} input features, but the input's last dimension is {x[-1]}",
        expected=features,
        actual=x[-1],
    )
    return (*x[:-1], weight[0]) if len(weight) == 2 else x[:-1]


def _f_linear_work(bound: dict[str, Any], out: Shape) -> Work:
    return Work(
        WorkKind.LINEAR,
        outputs=numel(out),
        macs=numel(out) * bound["weight"][-1],
        bias=bound["bias"] is not None,
        inputs=numel(bound["input"]),
    )


def matmul_shape(a: Shape, b: Shape) -> Shape:
    """torch.matmul's rule: 1D operands are promoted and the added dimension dropped; batch dims broadcast."""
    require(bool(a) and bool(b), "matmul: both arguments need at least one dimension")
    left = (1, *a) if len(a) == 1 else a
    right = (*b, 1) if len(b) == 1 else b
    require(
        left[-1] == right[-2],
        f"matmul: inner dimensions differ: {list(a)} @ {list(b)} ({left[-1]} against {right[-2]})",
        expected=right[-2],
        actual=left[-1],
    )
    batch = broadcast(left[:-2], right[:-2])
    shape = (*batch, left[-2], right[-1])
    if len(a) == 1:
        shape = (*shape[:-2], shape[-1])
    if len(b) == 1:
        shape = shape[:-1]
    return shape


def _matmul_work(bound: dict[str, Any], out: Shape) -> Work:
    a = bound["input"]
    inner = a[-1]
    return Work(WorkKind.MATMUL, outputs=numel(out), macs=numel(out) * inner, inputs=numel(a))


BATCHED = ((2, 3, 4), (2, 4, 5))
"""Two batches of 3×4 @ 4×5: 2·3·5 outputs of 4 products, 120 MACs, 2·120 − 30 FLOPs."""


def _matmul(qualname: str, source: str, inputs: tuple[Shape, ...] = BATCHED) -> OpSpec:
    out = matmul_shape(*inputs)
    macs = numel(out) * inputs[0][-1]
    return OpSpec(
        qualname,
        signature("input, other"),
        ("input", "other"),
        output=lambda b: matmul_shape(b["input"], b["other"]),
        work=_matmul_work,
        examples=(Example(source, inputs, out, 0, 2 * macs - numel(out), macs),),
    )


OPS = (
    OpSpec(
        "torch.nn.functional.linear",
        signature("input, weight, bias", bias=None),
        ("input", "weight", "bias"),
        output=_f_linear_output,
        work=_f_linear_work,
        # 2·3 outputs of 4 products and a bias: 2·24
        examples=(Example("F.linear(x, y, z)", ((2, 4), (3, 4), (3,)), (2, 3), 0, 48, 24),),
    ),
    _matmul("torch.matmul", "torch.matmul(x, y)", ((2, 3, 4), (4, 5))),  # the 4×5 broadcast over the batch
    _matmul("torch.bmm", "torch.bmm(x, y)"),
    _matmul("torch.Tensor.matmul", "x.matmul(y)"),
    _matmul("torch.Tensor.bmm", "x.bmm(y)"),
    _matmul("torch.Tensor.__matmul__", "x @ y"),
    _matmul("torch.mm", "torch.mm(x, y)", ((3, 4), (4, 5))),
)

NON_DYNAMICALLY_QUANTIZABLE = LayerSpec(
    # what nn.MultiheadAttention registers as its out_proj: a Linear under another name
    "torch.nn.modules.linear.NonDynamicallyQuantizableLinear",
    init=LINEAR.init,
    attributes=_attributes,
    parameters=_parameters,
    output=_output,
    work=_work,
    examples=(Example("nn.modules.linear.NonDynamicallyQuantizableLinear(4, 3)", ((1, 4),), (1, 3), 15, 24, 12),),
)


# ---------------------------------------------------------------- einsum
def _einsum_letters(bound: dict[str, Any]) -> tuple[list[str], str, dict[str, int]]:
    equation = bound["equation"].replace(" ", "")
    operands = list(bound["operands"])
    if len(operands) == 1 and isinstance(operands[0], list):
        operands = operands[0]
    inputs, _, output = equation.partition("->")
    terms = inputs.split(",")
    require("." not in equation, "einsum: ellipsis ('...') is not supported statically")
    require(len(terms) == len(operands), f"einsum: {len(terms)} terms for {len(operands)} operands")
    sizes: dict[str, int] = {}
    for term, shape in zip(terms, operands, strict=True):
        require(len(term) == len(shape), f"einsum: term '{term}' does not match the operand's shape {list(shape)}")
        for letter, size in zip(term, shape, strict=True):
            require(
                sizes.get(letter, size) == size or size == 1 or sizes[letter] == 1,
                f"einsum: index '{letter}' has sizes {sizes.get(letter)} and {size}",
            )
            sizes[letter] = max(sizes.get(letter, size), size)
    if not _:
        output = "".join(sorted(letter for letter in sizes if "".join(terms).count(letter) == 1))
    return terms, output, sizes


def _einsum_output(bound: dict[str, Any]) -> Shape:
    _, output, sizes = _einsum_letters(bound)
    return tuple(sizes[letter] for letter in output)


def _einsum_work(bound: dict[str, Any], out: Shape) -> Work:
    """Every combination of all indices is one product; products summed into each output: matmul work."""
    terms, output, sizes = _einsum_letters(bound)
    products = 1
    for size in sizes.values():
        products *= size
    if len(terms) == 1:
        return Work(WorkKind.REDUCE_SUM, outputs=numel(out), reduced=products)
    bmm = contracted([list(t) for t in terms], list(output), sizes)
    return Work(WorkKind.MATMUL, outputs=numel(out), macs=products * (len(terms) - 1), bmm=bmm)


EINSUM = OpSpec(
    "torch.einsum",
    signature("equation, *operands"),
    ("operands",),
    _einsum_output,
    _einsum_work,
    # every (b, i, j, k): 2·3·4·5 = 120 products into 30 outputs
    (Example("torch.einsum('bij,bjk->bik', x, y)", BATCHED, (2, 3, 5), 0, 210, 120),),
)


# ---------------------------------------------------------------- bilinear
def _bilinear_output(h: Hyper, inputs: list[Shape]) -> Shape:
    x1, x2 = inputs
    require(
        x1[-1] == h["in1_features"], f"Bilinear expects {h['in1_features']} features in its first input, got {x1[-1]}"
    )
    require(
        x2[-1] == h["in2_features"], f"Bilinear expects {h['in2_features']} features in its second input, got {x2[-1]}"
    )
    return (*x1[:-1], h["out_features"])


def _bilinear_work(h: Hyper, inputs: list[Shape], out: Shape) -> Work:
    # y_k = x1ᵀ W_k x2 + b_k: I1·I2 products (x1_i·W_kij·x2_j, two multiplications each) summed per output
    products = h["in1_features"] * h["in2_features"]
    return Work(
        WorkKind.LINEAR,
        outputs=numel(out),
        macs=numel(out) * products,
        bias=h["bias"] is not None,
        inputs=numel(inputs[0]),
    )


BILINEAR = LayerSpec(
    "torch.nn.Bilinear",
    init=signature("in1_features, in2_features, out_features, bias, device, dtype", bias=True, device=None, dtype=None),
    attributes=lambda b: {"in1_features": b["in1_features"], "in2_features": b["in2_features"],
                          "out_features": b["out_features"], "bias": bool(b["bias"])},
    parameters=lambda h: {"weight": (h["out_features"], h["in1_features"], h["in2_features"]),
                          "bias": (h["out_features"],) if h["bias"] else None},
    output=_bilinear_output,
    work=_bilinear_work,
    forward=signature("input1, input2"),
    # 4·3 outputs, each 5·6 = 30 products: 2·30 with bias → 720
    examples=(Example("nn.Bilinear(5, 6, 3)", ((4, 5), (4, 6)), (4, 3), 93, 720, 360),),
)  # fmt: skip


def _f_bilinear_hyper(bound: dict[str, Any]) -> dict[str, Any]:
    out_features, in1, in2 = bound["weight"]
    return {"in1_features": in1, "in2_features": in2, "out_features": out_features, "bias": bound["bias"]}


F_BILINEAR = OpSpec(
    "torch.nn.functional.bilinear",
    signature("input1, input2, weight, bias", bias=None),
    ("input1", "input2", "weight", "bias"),
    output=lambda b: _bilinear_output(_f_bilinear_hyper(b), [b["input1"], b["input2"]]),
    work=lambda b, out: _bilinear_work(_f_bilinear_hyper(b), [b["input1"], b["input2"]], out),
    # 4·3 outputs, each 5·6 = 30 products, no bias: 2·30 − 1
    examples=(Example("F.bilinear(x, y, z)", ((4, 5), (4, 6), (3, 5, 6)), (4, 3), 0, 708, 360),),
)


LAZY_LINEAR = LayerSpec(
    "torch.nn.LazyLinear",
    init=signature("out_features, bias, device, dtype", bias=True, device=None, dtype=None),
    attributes=_attributes,
    parameters=_parameters,
    output=_output,
    work=_work,
    infer=lambda shapes: {"in_features": shapes[0][-1]},
    # built from its first input: 10 outputs × 2·16, weights 16·10 + 10
    examples=(Example("nn.LazyLinear(10)", ((3, 16),), (3, 10), 170, 960, 480),),
)

SPECS = (LINEAR, NON_DYNAMICALLY_QUANTIZABLE, *OPS, EINSUM, BILINEAR, F_BILINEAR, LAZY_LINEAR)
