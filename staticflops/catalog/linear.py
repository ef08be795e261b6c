"""Fully connected layers: `nn.Linear`.

Every output element sums `in_features` products: `2·I − 1` operations without a
bias, `2·I` with one, times every output element (all leading dimensions).
"""

from __future__ import annotations

import itertools
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
    Works,
    contracted,
    numel,
    require,
    spelled,
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
    # with a vector on the right torch runs `aten.mv` (or `aten.dot`); otherwise `aten.mm` or `aten.bmm`
    macs = numel(out) * inner
    vector = len(bound.get("other", bound.get("mat2", ()))) == 1
    return Work(WorkKind.MATMUL, outputs=numel(out), macs=macs, inputs=numel(a), bmm=0 if vector else macs)


BATCHED = ((2, 3, 4), (2, 4, 5))
"""Two batches of 3×4 @ 4×5: 2·3·5 outputs of 4 products, 120 MACs, 2·120 − 30 FLOPs."""


def _matmul(qualname: str, source: str, inputs: tuple[Shape, ...] = BATCHED, strict: str = "") -> OpSpec:
    """`strict`: `mm` or `bmm`, which take exactly two matrices or two batches of them (as `mat2`), not
    `matmul`'s vectors and broadcast batches."""
    out = matmul_shape(*inputs)
    macs = numel(out) * inputs[0][-1]
    second = "mat2" if strict else "other"

    def output(b: dict[str, Any]) -> Shape:
        if strict == "mm":
            return _mm_shape(b["input"], b[second])
        if strict == "bmm":
            return _bmm_shape(b["input"], b[second], "bmm")
        return matmul_shape(b["input"], b[second])

    return OpSpec(
        qualname,
        signature(f"input, {second}"),
        ("input", second),
        output=output,
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
    _matmul("torch.bmm", "torch.bmm(x, y)", strict="bmm"),
    _matmul("torch.Tensor.matmul", "x.matmul(y)"),
    _matmul("torch.Tensor.bmm", "x.bmm(y)", strict="bmm"),
    _matmul("torch.Tensor.__matmul__", "x @ y"),
    _matmul("torch.mm", "torch.mm(x, y)", ((3, 4), (4, 5)), strict="mm"),
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
    require(len(terms) == len(operands), f"einsum: {len(terms)} terms for {len(operands)} operands")
    terms, output, broadcast = _expand_ellipsis(terms, output, [tuple(shape) for shape in operands])
    sizes: dict[str, int] = {}
    for term, shape in zip(terms, operands, strict=True):
        require(len(term) == len(shape), f"einsum: term '{term}' does not match the operand's shape {list(shape)}")
        for letter, size in zip(term, shape, strict=True):
            require(
                sizes.get(letter, size) == size or size == 1 or sizes[letter] == 1,
                f"einsum: index '{letter}' has sizes {sizes.get(letter)} and {size}",
            )
            sizes[letter] = max(sizes.get(letter, size), size)
    if not _:  # implicit output: the ellipsis' dimensions, then the indices that appear once, in order
        singles = sorted(letter for letter in sizes if "".join(terms).count(letter) == 1 and letter not in broadcast)
        output = broadcast + "".join(singles)
    return terms, output, sizes


def _expand_ellipsis(terms: list[str], output: str, shapes: list[Shape]) -> tuple[list[str], str, str]:
    """`...qhd,...khd->...hqk`: each `...` stands for the dimensions its operand has beyond its letters, aligned
    from the right and broadcast together, as torch reads it. They get letters of their own (outside a-z, A-Z),
    so the rest of the rule is the plain one. Returns the terms, the output and the ellipsis' letters."""
    if not any("..." in term for term in [*terms, output]):
        return terms, output, ""
    spans = []
    for term, shape in zip(terms, shapes, strict=True):
        named = len(term.replace("...", ""))
        require(term.count("...") <= 1 and "." not in term.replace("...", ""), f"einsum: invalid term '{term}'")
        spans.append(len(shape) - named if "..." in term else 0)
        require(spans[-1] >= 0, f"einsum: term '{term}' does not match the operand's shape {list(shape)}")
    rank = max(spans)
    letters = "".join(chr(0x100 + index) for index in range(rank))
    expanded = [term.replace("...", letters[rank - span :]) for term, span in zip(terms, spans, strict=True)]
    return expanded, output.replace("...", letters), letters


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
    (Example("torch.einsum('bij,bjk->bik', x, y)", BATCHED, (2, 3, 5), 0, 210, 120),
     # the same product with the batch as an ellipsis
     Example("torch.einsum('...ij,...jk->...ik', x, y)", BATCHED, (2, 3, 5), 0, 210, 120)),
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


# ---------------------------------------------------------------- more matrix products
# Each returns MATMUL work whose `bmm` is what aten's priced matrix products (mm, addmm, bmm, baddbmm)
# see of the call: a product torch runs as `aten.mv`, `aten.dot` or an elementwise `mul` has none.
def _products(out: Shape, inner: int, aten: bool, bias: bool = False, scalings: int = 0) -> Work | tuple[Work, ...]:
    """`inner` products summed into each output element; `scalings` multiplications by alpha or beta per element."""
    macs = numel(out) * inner
    work = Work(WorkKind.MATMUL, outputs=numel(out), macs=macs, bias=bias, bmm=macs if aten else 0)
    if not scalings:
        return work
    return (work, Work(WorkKind.ELEMENTWISE, outputs=numel(out), per_output=scalings))


def _mm_shape(a: Shape, b: Shape, what: str = "mm") -> Shape:
    require(len(a) == 2 and len(b) == 2, f"{what}: both arguments must be matrices, got {list(a)} and {list(b)}")
    require(a[1] == b[0], f"{what}: {list(a)} and {list(b)} cannot be multiplied", expected=b[0], actual=a[1])
    return (a[0], b[1])


def _mv_shape(a: Shape, v: Shape, what: str = "mv") -> Shape:
    require(len(a) == 2 and len(v) == 1, f"{what}: expects a matrix and a vector, got {list(a)} and {list(v)}")
    require(a[1] == v[0], f"{what}: {list(a)} and {list(v)} cannot be multiplied", expected=a[1], actual=v[0])
    return (a[0],)


def _dot_shape(a: Shape, b: Shape) -> Shape:
    require(len(a) == 1 and len(b) == 1, f"dot: expects two 1D tensors, got {list(a)} and {list(b)}")
    require(a == b, f"dot: the vectors' sizes differ ({a[0]} and {b[0]})", expected=a[0], actual=b[0])
    return ()


def _outer_shape(a: Shape, b: Shape) -> Shape:
    require(len(a) == 1 and len(b) == 1, f"outer: expects two 1D tensors, got {list(a)} and {list(b)}")
    return (a[0], b[0])


def _bmm_shape(a: Shape, b: Shape, what: str) -> Shape:
    require(len(a) == 3 and len(b) == 3, f"{what}: both batches must be 3D, got {list(a)} and {list(b)}")
    require(a[0] == b[0], f"{what}: batch sizes differ ({a[0]} and {b[0]})", expected=a[0], actual=b[0])
    require(a[2] == b[1], f"{what}: {list(a)} and {list(b)} cannot be multiplied", expected=b[1], actual=a[2])
    return (a[0], a[1], b[2])


def _added(input: Shape, out: Shape, what: str) -> Shape:
    """The added tensor (`input` of addmm and friends) broadcasts to the product's shape."""
    require(broadcast(input, out) == out, f"{what}: the added tensor {list(input)} does not broadcast to {list(out)}")
    return out


def _scalings(bound: dict[str, Any]) -> int:
    """Multiplications per element by `alpha` (when not 1) and `beta` (when neither 0 nor 1)."""
    return int(bound.get("alpha", 1) != 1) + int(bound.get("beta", 1) not in (0, 1))


def _tensordot_dims(bound: dict[str, Any]) -> tuple[list[int], list[int]]:
    a, b, dims = bound["a"], bound["b"], bound["dims"]
    if isinstance(dims, int):
        require(0 <= dims <= min(len(a), len(b)), f"tensordot: cannot contract {dims} dimensions")
        return list(range(len(a) - dims, len(a))), list(range(dims))
    require(isinstance(dims, (list, tuple)) and len(dims) == 2, "tensordot: dims must be an int or two lists")
    first, second = ([d] if isinstance(d, int) else list(d) for d in dims)
    require(len(first) == len(second), "tensordot: both operands must contract as many dimensions")
    return [d % len(a) for d in first], [d % len(b) for d in second]


def _tensordot_parts(bound: dict[str, Any]) -> tuple[Shape, int, int]:
    """The output's shape, the contracted size, and the multiply–accumulates of the `aten.mm` torch runs for it.
    A contracted size of 1 against another broadcasts (torch first sums the other operand over it, then
    contracts size 1). When neither operand keeps more than one element, torch multiplies and sums (`aten.mul`,
    `aten.dot`): no matrix product."""
    a, b = bound["a"], bound["b"]
    first, second = _tensordot_dims(bound)
    for i, j in zip(first, second, strict=True):
        require(a[i] == b[j] or 1 in (a[i], b[j]), f"tensordot: contracted sizes differ ({a[i]} and {b[j]})",
                expected=a[i], actual=b[j])  # fmt: skip
    kept_a = tuple(s for i, s in enumerate(a) if i not in first)
    kept_b = tuple(s for j, s in enumerate(b) if j not in second)
    out = (*kept_a, *kept_b)
    inner = numel(tuple(max(a[i], b[j]) for i, j in zip(first, second, strict=True)))
    summed = numel(tuple(min(a[i], b[j]) for i, j in zip(first, second, strict=True)))
    aten = numel(out) * summed if numel(kept_a) > 1 or numel(kept_b) > 1 else 0
    return out, inner, aten


def _tensordot_work(bound: dict[str, Any], out: Shape) -> Work:
    _, inner, aten = _tensordot_parts(bound)
    return Work(WorkKind.MATMUL, outputs=numel(out), macs=numel(out) * inner, bmm=aten)


def _inner_parts(a: Shape, b: Shape) -> tuple[Shape, int, bool]:
    if not a or not b:  # a scalar operand: an elementwise product
        return (a or b), 1, False
    require(a[-1] == b[-1], f"inner: last dimensions differ ({a[-1]} and {b[-1]})", expected=a[-1], actual=b[-1])
    return (*a[:-1], *b[:-1]), a[-1], len(a) > 1 or len(b) > 1


def _kron_shape(a: Shape, b: Shape) -> Shape:
    rank = max(len(a), len(b))
    a, b = (1,) * (rank - len(a)) + a, (1,) * (rank - len(b)) + b
    return tuple(x * y for x, y in zip(a, b, strict=True))


def chain_order(sizes: list[int]) -> list[tuple[int, int, int]]:
    """The matrix products torch's `linalg.multi_dot` runs, as (rows, inner, columns) each: with three matrices
    the cheaper of two orders, with more the optimal order by dynamic programming (Cormen et al.), as torch
    computes it (ties to the first split)."""
    n = len(sizes) - 1
    if n == 1:
        return []
    if n == 2:
        return [(sizes[0], sizes[1], sizes[2])]
    if n == 3:
        a, b, c, d = sizes
        if (a * c) * (b + d) > (b * d) * (a + c):
            return [(b, c, d), (a, b, d)]
        return [(a, b, c), (a, c, d)]
    cost = [[0] * n for _ in range(n)]
    split = [[0] * n for _ in range(n)]
    for length in range(1, n):
        for i in range(n - length):
            j = i + length
            cost[i][j] = -1
            for k in range(i, j):
                q = cost[i][k] + cost[k + 1][j] + sizes[i] * sizes[k + 1] * sizes[j + 1]
                if cost[i][j] < 0 or q < cost[i][j]:
                    cost[i][j], split[i][j] = q, k
    order: list[tuple[int, int, int]] = []

    def walk(i: int, j: int) -> None:
        if i == j:
            return
        k = split[i][j]
        walk(i, k)
        walk(k + 1, j)
        order.append((sizes[i], sizes[k + 1], sizes[j + 1]))

    walk(0, n - 1)
    return order


def _chain_parts(matrices: list[Shape], what: str, vectors: bool) -> tuple[Shape, list[tuple[int, int, int]]]:
    require(len(matrices) >= (2 if vectors else 1), f"{what}: expects at least {2 if vectors else 1} tensors")
    first, last = matrices[0], matrices[-1]
    for at, m in enumerate(matrices):
        allowed = (1, 2) if vectors and at in (0, len(matrices) - 1) else (2,)
        require(
            len(m) in allowed, f"{what}: tensor {at} must be {'1D or ' if len(allowed) == 2 else ''}2D, got {list(m)}"
        )
    shapes = [(1, *first) if len(first) == 1 else first, *matrices[1:-1]]
    if len(matrices) > 1:
        shapes.append((*last, 1) if len(last) == 1 else last)
    for left, right in itertools.pairwise(shapes):
        require(left[1] == right[0], f"{what}: {list(left)} and {list(right)} cannot be multiplied",
                expected=left[1], actual=right[0])  # fmt: skip
    sizes = [shapes[0][0], *(s[1] for s in shapes)]
    out = (*((first[0],) if len(first) == 2 else ()), *((last[1],) if len(last) == 2 and len(matrices) > 1 else ()))
    if len(matrices) == 1:
        out = first
    return out, chain_order(sizes)


def _chained(bound: dict[str, Any], name: str) -> tuple[Shape, list[tuple[int, int, int]]]:
    """`chain_matmul(*matrices)` takes matrices only; `linalg.multi_dot(tensors)` a vector first or last too."""
    return _chain_parts(list(bound[name]), "multi_dot" if name == "tensors" else "chain_matmul", name == "tensors")


def _chain_work(out: Shape, order: list[tuple[int, int, int]]) -> Works:
    if not order:
        return Work(WorkKind.FREE)
    return tuple(Work(WorkKind.MATMUL, outputs=r * c, macs=r * k * c, bmm=r * k * c) for r, k, c in order)


def _matrix_power_work(bound: dict[str, Any], out: Shape) -> Works:
    """torch squares its way up the power's bits, multiplying in each set bit after the first: `bit_length − 1`
    squarings and `popcount − 1` products of `k×k` matrices (3 as `(a·a)·a`: two)."""
    n, a = bound["n"], bound["input"]
    count = max(n.bit_length() - 1, 0) + max(n.bit_count() - 1, 0)
    if count == 0:
        return Work(WorkKind.FREE)  # a copy (n = 1) or an identity (n = 0)
    k, batch = a[-1], numel(a[:-2])
    product = Work(WorkKind.MATMUL, outputs=batch * k * k, macs=batch * k**3, bmm=batch * k**3)
    return (product,) * count


def _matrix_power_shape(bound: dict[str, Any]) -> Shape:
    a = bound["input"]
    require(len(a) >= 2 and a[-1] == a[-2], f"matrix_power: expects square matrices, got {list(a)}")
    require(isinstance(bound["n"], int) and bound["n"] >= 0,
            "matrix_power: a negative power inverts the matrix, which staticflops does not price")  # fmt: skip
    return a


def _vecdot_parts(bound: dict[str, Any]) -> tuple[Shape, int]:
    shape = broadcast(bound["x"], bound["y"])
    require(bool(shape), "linalg.vecdot: expects tensors of at least one dimension")
    dim = bound["dim"] % len(shape)
    return shape[:dim] + shape[dim + 1 :], shape[dim]


Case = tuple[str, tuple[Shape, ...], Shape, int, int]
"""An example: source, input shapes, output shape, FLOPs (seed), MACs."""


def _product(
    qualname: str,
    params: str,
    tensors: tuple[str, ...],
    output: Any,
    work: Any,
    example: Case,
    **defaults: Any,
) -> OpSpec:
    source, inputs, out, flops, macs = example
    return OpSpec(
        qualname, signature(params, **defaults), tensors, output, work, (Example(source, inputs, out, 0, flops, macs),)
    )


def _both(
    name: str,
    params: str,
    tensors: tuple[str, ...],
    output: Any,
    work: Any,
    function: Case,
    method: Case,
    **defaults: Any,
) -> tuple[OpSpec, OpSpec]:
    """`torch.name` and `Tensor.name`, the same op."""
    return (
        _product(f"torch.{name}", params, tensors, output, work, function, **defaults),
        _product(f"torch.Tensor.{name}", params, tensors, output, work, method, **defaults),
    )


MM = (3, 4), (4, 5)
"""3×4 @ 4×5: 15 outputs of 4 products, 60 MACs, 2·60 − 15 = 105 FLOPs."""

ADDMM = "input, mat1, mat2, *, beta, alpha"
BADDBMM = "input, batch1, batch2, *, beta, alpha"


def _addmm_work(bound: dict[str, Any], out: Shape) -> Works:
    return _products(out, bound["mat1"][1], True, bound["beta"] != 0, _scalings(bound))


def _baddbmm_work(bound: dict[str, Any], out: Shape) -> Works:
    return _products(out, bound["batch1"][2], True, bound["beta"] != 0, _scalings(bound))


def _addbmm_work(bound: dict[str, Any], out: Shape) -> Works:
    # every output sums the products of all batches: b·m products
    batch1 = bound["batch1"]
    return _products(out, batch1[0] * batch1[2], False, bound["beta"] != 0, _scalings(bound))


PRODUCTS = (
    _product("torch.Tensor.mm", "input, mat2", ("input", "mat2"), lambda b: _mm_shape(b["input"], b["mat2"]),
             lambda b, out: _products(out, b["input"][1], True), ("x.mm(y)", MM, (3, 5), 105, 60)),
    # a matrix times a vector: 3 outputs of 4 products (aten.mv: no matrix product FlopCounterMode prices)
    *_both("mv", "input, vec", ("input", "vec"), lambda b: _mv_shape(b["input"], b["vec"]),
           lambda b, out: _products(out, b["input"][1], False),
           ("torch.mv(x, y)", ((3, 4), (4,)), (3,), 21, 12), ("x.mv(y)", ((3, 4), (4,)), (3,), 21, 12)),
    # 4 products summed: 2·4 − 1
    *_both("dot", "input, tensor", ("input", "tensor"), lambda b: _dot_shape(b["input"], b["tensor"]),
           lambda b, out: _products(out, b["input"][0], False),
           ("torch.dot(x, y)", ((4,), (4,)), (), 7, 4), ("x.dot(y)", ((4,), (4,)), (), 7, 4)),
    # the last dimensions contracted: 2·3·5 outputs of 4 products (torch runs it as aten.mm)
    *_both("inner", "input, other", ("input", "other"), lambda b: _inner_parts(b["input"], b["other"])[0],
           lambda b, out: _products(out, *_inner_parts(b["input"], b["other"])[1:]),
           ("torch.inner(x, y)", ((2, 3, 4), (5, 4)), (2, 3, 5), 210, 120),
           ("x.inner(y)", ((3, 4), (5, 4)), (3, 5), 105, 60)),
    # one product per output element, nothing summed: 3·4
    *_both("outer", "input, vec2", ("input", "vec2"), lambda b: _outer_shape(b["input"], b["vec2"]),
           lambda b, out: _products(out, 1, False),
           ("torch.outer(x, y)", ((3,), (4,)), (3, 4), 12, 12), ("x.outer(y)", ((3,), (4,)), (3, 4), 12, 12)),
    # 3×4 @ 4×5 plus the input as a bias: 2·60; alpha and beta each scale the 15 outputs once more
    *_both("addmm", ADDMM, ("input", "mat1", "mat2"),
           lambda b: _added(b["input"], _mm_shape(b["mat1"], b["mat2"], "addmm"), "addmm"), _addmm_work,
           ("torch.addmm(x, y, z, beta=0.5, alpha=2)", ((3, 5), *MM), (3, 5), 150, 60),
           ("x.addmm(y, z)", ((3, 5), *MM), (3, 5), 120, 60), beta=1, alpha=1),
    # two batches of 3×4 @ 4×5 plus the input: 2·120
    *_both("baddbmm", BADDBMM, ("input", "batch1", "batch2"),
           lambda b: _added(b["input"], _bmm_shape(b["batch1"], b["batch2"], "baddbmm"), "baddbmm"), _baddbmm_work,
           ("torch.baddbmm(x, y, z)", ((2, 3, 5), *BATCHED), (2, 3, 5), 240, 120),
           ("x.baddbmm(y, z, beta=0)", ((2, 3, 5), *BATCHED), (2, 3, 5), 210, 120), beta=1, alpha=1),
    # the batches' products summed: 3·5 outputs of 2·4 products, plus the input
    *_both("addbmm", BADDBMM, ("input", "batch1", "batch2"),
           lambda b: _added(b["input"], _bmm_shape(b["batch1"], b["batch2"], "addbmm")[1:], "addbmm"), _addbmm_work,
           ("torch.addbmm(x, y, z)", ((3, 5), *BATCHED), (3, 5), 240, 120),
           ("x.addbmm(y, z)", ((3, 5), *BATCHED), (3, 5), 240, 120), beta=1, alpha=1),
    # 3×4 @ 4 plus the input: 2·12
    *_both("addmv", "input, mat, vec, *, beta, alpha", ("input", "mat", "vec"),
           lambda b: _added(b["input"], _mv_shape(b["mat"], b["vec"], "addmv"), "addmv"),
           lambda b, out: _products(out, b["mat"][1], False, b["beta"] != 0, _scalings(b)),
           ("torch.addmv(x, y, z)", ((3,), (3, 4), (4,)), (3,), 24, 12),
           ("x.addmv(y, z)", ((3,), (3, 4), (4,)), (3,), 24, 12), beta=1, alpha=1),
    # the outer product plus the input: 2 per output
    *_both("addr", "input, vec1, vec2, *, beta, alpha", ("input", "vec1", "vec2"),
           lambda b: _added(b["input"], _outer_shape(b["vec1"], b["vec2"]), "addr"),
           lambda b, out: _products(out, 1, False, b["beta"] != 0, _scalings(b)),
           ("torch.addr(x, y, z)", ((3, 4), (3,), (4,)), (3, 4), 24, 12),
           ("x.addr(y, z)", ((3, 4), (3,), (4,)), (3, 4), 24, 12), beta=1, alpha=1),
    # every pair of elements multiplied once: 2·3 · 4·5
    *_both("kron", "input, other", ("input", "other"), lambda b: _kron_shape(b["input"], b["other"]),
           lambda b, out: _products(out, 1, False),
           ("torch.kron(x, y)", ((2, 3), (4, 5)), (8, 15), 120, 120),
           ("x.kron(y)", ((2, 3), (2, 4, 5)), (2, 8, 15), 240, 240)),
    # the last two dimensions of x against the first two of y: 2·5 outputs of 12 products
    _product("torch.tensordot", "a, b, dims", ("a", "b"), lambda b: _tensordot_parts(b)[0],
             _tensordot_work,
             ("torch.tensordot(x, y, dims=2)", ((2, 3, 4), (3, 4, 5)), (2, 5), 230, 120), dims=2),
    # (x·y)·z, the cheaper order: 2·3·4 + 2·4·5 MACs
    _product("torch.chain_matmul", "*matrices", ("matrices",), lambda b: _chained(b, "matrices")[0],
             lambda b, out: _chain_work(out, _chained(b, "matrices")[1]),
             ("torch.chain_matmul(x, y, z)", ((2, 3), (3, 4), (4, 5)), (2, 5), 110, 64)),
    # the optimal order (x·y)·(z·w): 1500 + 2100 + 350 MACs
    _product("torch.linalg.multi_dot", "tensors", ("tensors",), lambda b: _chained(b, "tensors")[0],
             lambda b, out: _chain_work(out, _chained(b, "tensors")[1]),
             ("torch.linalg.multi_dot([x, y, z, w])", ((10, 30), (30, 5), (5, 60), (60, 7)), (10, 7), 7745, 3950)),
    # a⁵ = a·(a²)²: 3 products of 3×3 matrices in each of 2 batches, 27 MACs and 9 outputs each
    *(_product(q, "input, n", ("input",), _matrix_power_shape, _matrix_power_work,
               (spelled(q, "5"), ((2, 3, 3),), (2, 3, 3), 3 * 2 * (2 * 27 - 9), 3 * 2 * 27))
      for q in ("torch.linalg.matrix_power", "torch.matrix_power", "torch.Tensor.matrix_power")),
    # y broadcast over x's batch: 2·3 dot products of 4 (a mul and a sum in torch)
    _product("torch.linalg.vecdot", "x, y, *, dim", ("x", "y"), lambda b: _vecdot_parts(b)[0],
             lambda b, out: _products(out, _vecdot_parts(b)[1], False),
             ("torch.linalg.vecdot(x, y)", ((2, 3, 4), (3, 4)), (2, 3), 42, 24), dim=-1),
)  # fmt: skip


# ---------------------------------------------------------------- distances (torch.nn.modules.distance)
# NB: `F.cosine_similarity` and `F.pairwise_distance` have no entry of their own here yet: these modules carry
# the rules; when the functions get entries, the modules should call them.
def _cosine_output(h: Hyper, inputs: list[Shape]) -> Shape:
    """The inputs broadcast, without `dim`."""
    shape = broadcast(*inputs[:2])
    dim = h["dim"] % len(shape) if shape else 0
    require(-max(len(shape), 1) <= h["dim"] < max(len(shape), 1), f"CosineSimilarity: dim {h['dim']} is out of "
            f"range for inputs of {len(shape)} dimensions")  # fmt: skip
    return shape[:dim] + shape[dim + 1 :]


def _distance_work(per_element: int, per_output: int) -> Any:
    def work(h: Hyper, inputs: list[Shape], out: Shape) -> Work:
        elements = numel(broadcast(*inputs[:2]))
        total = per_element * elements + per_output * numel(out)
        return Work(WorkKind.ELEMENTWISE, outputs=numel(out), inputs=elements, per_output=total // max(numel(out), 1))

    return work


def _pairwise_output(h: Hyper, inputs: list[Shape]) -> Shape:
    """‖x1 − x2 + eps‖ₚ over the last dimension of the broadcast inputs (kept as 1 with `keepdim`); 1D inputs
    give a 0-dimensional result."""
    shape = broadcast(*inputs[:2])
    if not shape:
        return ()
    return (*shape[:-1], 1) if h["keepdim"] else shape[:-1]


DISTANCES = (
    # per element: the product x1·x2 and the squares of both, each summed (6); per output the division (1):
    # 2·5 elements × 6 + 2
    LayerSpec(
        "torch.nn.CosineSimilarity",
        init=signature("dim, eps", dim=1, eps=1e-8),
        attributes=dict,
        parameters=lambda h: {},
        output=_cosine_output,
        work=_distance_work(6, 1),
        forward=signature("x1, x2"),
        examples=(Example("nn.CosineSimilarity()", ((2, 5), (2, 5)), (2,), 0, 62, 0),),
    ),
    # per element: the difference, the eps, the square and the sum (4); per output the root (1): 2·5 × 4 + 2
    LayerSpec(
        "torch.nn.PairwiseDistance",
        init=signature("p, eps, keepdim", p=2.0, eps=1e-6, keepdim=False),
        attributes=lambda b: {"norm": b["p"], "eps": b["eps"], "keepdim": bool(b["keepdim"])},
        parameters=lambda h: {},
        output=_pairwise_output,
        work=_distance_work(4, 1),
        forward=signature("x1, x2"),
        examples=(Example("nn.PairwiseDistance()", ((2, 5), (2, 5)), (2,), 0, 42, 0),),
    ),
)

SPECS = (LINEAR, NON_DYNAMICALLY_QUANTIZABLE, *OPS, *PRODUCTS, EINSUM, BILINEAR, F_BILINEAR, LAZY_LINEAR, *DISTANCES)
