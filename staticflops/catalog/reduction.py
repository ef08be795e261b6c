"""Reductions: `x.mean(dim)`, `x.sum(dim)`, `x.amax(dim)`, `max`, `min`, `argmax`, `argmin`,
`var`, `std`, `norm`, `cumsum`, `topk`, and their `torch.*` forms.

An output element combines the n input elements of its slice: a sum is n − 1 additions,
a mean one division more, a max n − 1 comparisons. A variance takes the mean (n), subtracts
it (n), squares (n), sums (n − 1) and divides (1): 4n per output, and a standard deviation
one square root more; a norm squares (n), sums (n − 1) and takes a square root (1): 2n, priced as
the 2-norm whatever its `p`.
"""

from __future__ import annotations

from typing import Any

from staticflops.catalog.elementwise import broadcast
from staticflops.catalog.spec import (
    FREE,
    Example,
    OpSpec,
    Shape,
    Work,
    WorkKind,
    normalize_dim,
    numel,
    require,
    spelled,
)
from staticflops.interpreter.calls import signature


def reduce_shape(x: Shape, dim: Any, keepdim: bool) -> Shape:
    if dim is None:
        return (1,) * len(x) if keepdim else ()
    dims = {normalize_dim(d, len(x)) for d in (dim if isinstance(dim, (tuple, list)) else (dim,))}
    if keepdim:
        return tuple(1 if i in dims else size for i, size in enumerate(x))
    return tuple(size for i, size in enumerate(x) if i not in dims)


SEED_OF_2x3x4 = {WorkKind.REDUCE_MEAN: 24, WorkKind.REDUCE_SUM: 24 - 8, WorkKind.REDUCE_MAX: 24 - 8}
"""(2, 3, 4) reduced over dimension 1: 8 outputs of 3 elements; a mean is 2 additions and a division each."""


def _reduction(qualname: str, kind: WorkKind) -> OpSpec:
    def output(bound: dict[str, Any]) -> Shape:
        return reduce_shape(bound["input"], bound["dim"], bool(bound["keepdim"]))

    def work(bound: dict[str, Any], out: Shape) -> Work:
        return Work(kind, outputs=numel(out), reduced=numel(bound["input"]), inputs=numel(bound["input"]))

    return OpSpec(
        qualname,
        signature("input, dim, keepdim, *, dtype", dim=None, keepdim=False, dtype=None),
        ("input",),
        output,
        work,
        (Example(spelled(qualname, "1"), ((2, 3, 4),), (2, 4), 0, SEED_OF_2x3x4[kind], 0),),
    )


SUMS = tuple(
    _reduction(f"{prefix}.{name}", kind)
    for prefix in ("torch", "torch.Tensor")
    for name, kind in (("mean", WorkKind.REDUCE_MEAN), ("sum", WorkKind.REDUCE_SUM), ("amax", WorkKind.REDUCE_MAX))
)


def _extreme(qualname: str) -> OpSpec:
    """`max`/`min`: the whole tensor's (no dim), `(values, indices)` along a dim, or with a tensor as
    second argument the elementwise maximum (`torch.max(x, y)`), which then arrives as `dim`."""

    def output(bound: dict[str, Any]) -> Any:
        x, dim = bound["input"], bound["dim"]
        if isinstance(dim, tuple):  # another tensor's shape
            return broadcast(x, dim)
        if dim is None:
            return ()
        shape = reduce_shape(x, dim, bool(bound["keepdim"]))
        return [shape, shape]

    def work(bound: dict[str, Any], out: Any) -> Work:
        if isinstance(bound["dim"], tuple):
            return Work(WorkKind.ELEMENTWISE, outputs=numel(out), inputs=numel(bound["input"]))
        values = out[0] if isinstance(out, list) else out
        return Work(
            WorkKind.REDUCE_MAX, outputs=numel(values), reduced=numel(bound["input"]), inputs=numel(bound["input"])
        )

    return OpSpec(
        qualname,
        signature("input, dim, keepdim", dim=None, keepdim=False),
        ("input", "dim"),
        output,
        work,
        (
            # (2, 3, 4) along dimension 1: 8 outputs, 2 comparisons each
            Example(spelled(qualname, "1"), ((2, 3, 4),), (2, 4), 0, 16, 0),
            # elementwise against another tensor, broadcast: one comparison per output
            Example(spelled(qualname, "y"), ((2, 3), (3,)), (2, 3), 0, 6, 0),
        ),
        values_indices=True,
    )


def _argument_extreme(qualname: str) -> OpSpec:
    def work(bound: dict[str, Any], out: Shape) -> Work:
        return Work(
            WorkKind.REDUCE_MAX, outputs=numel(out), reduced=numel(bound["input"]), inputs=numel(bound["input"])
        )

    return OpSpec(
        qualname,
        signature("input, dim, keepdim", dim=None, keepdim=False),
        ("input",),
        lambda b: reduce_shape(b["input"], b["dim"], bool(b["keepdim"])),
        work,
        (Example(spelled(qualname, "dim=-1"), ((2, 3, 4),), (2, 3), 0, 18, 0),),  # 6 outputs × 3 comparisons
    )


def _spread(qualname: str, per_element: int, extra: int) -> OpSpec:
    """var, std, norm: `per_element` operations per element reduced, `extra` more per output."""

    def work(bound: dict[str, Any], out: Shape) -> Work:
        n = numel(bound["input"]) // max(numel(out), 1)
        return Work(
            WorkKind.ELEMENTWISE, outputs=numel(out), inputs=numel(bound["input"]), per_output=per_element * n + extra
        )

    name = qualname.rsplit(".", 1)[1]
    params = "input, p, dim, keepdim, dtype" if name == "norm" else "input, dim, unbiased, keepdim, *, correction"
    example_flops = 8 * (per_element * 3 + extra)  # (2, 3, 4) over dimension 1: 8 outputs of 3 elements
    return OpSpec(
        qualname,
        signature(params, p="fro", dim=None, unbiased=True, keepdim=False, dtype=None, correction=None),
        ("input",),
        lambda b: reduce_shape(b["input"], b["dim"], bool(b["keepdim"])),
        work,
        (Example(spelled(qualname, "dim=1"), ((2, 3, 4),), (2, 4), 0, example_flops, 0),),
    )


def _cumulative(qualname: str) -> OpSpec:
    """A running sum: along each line of n, every output after the first adds one element to the previous
    output (it combines 2 elements, the first 1): n − 1 additions per line."""

    def work(bound: dict[str, Any], out: Shape) -> Work:
        lines = numel(out) // max(out[normalize_dim(bound["dim"], len(out))], 1) if out else 1
        return Work(WorkKind.REDUCE_SUM, outputs=numel(out), reduced=2 * numel(out) - lines, inputs=numel(out))

    return OpSpec(
        qualname,
        signature("input, dim, *, dtype", dtype=None),
        ("input",),
        lambda b: b["input"],
        work,
        (Example(spelled(qualname, "dim=1"), ((2, 3, 4),), (2, 3, 4), 0, 16, 0),),  # 8 lines of 3: 2 additions each
    )


def _topk(qualname: str) -> OpSpec:
    """`topk(k, dim)`: `(values, indices)` with `dim` cut to k. NB its comparisons are not counted: how many
    a selection makes depends on the algorithm (and on the data), not on the shapes; no counter prices them."""

    def output(bound: dict[str, Any]) -> list[Shape]:
        x, k = bound["input"], bound["k"]
        if not x:
            require(k in (0, 1), f"topk(): k ({k}) out of range for a 0-dimensional tensor")
            return [(), ()]
        at = normalize_dim(bound["dim"], len(x))
        require(0 <= k <= x[at], f"topk(): k ({k}) out of range for dimension {at} of size {x[at]}")
        shape = (*x[:at], k, *x[at + 1 :])
        return [shape, shape]

    return OpSpec(
        qualname,
        signature("input, k, dim, largest, sorted", dim=-1, largest=True, sorted=True),
        ("input",),
        output,
        lambda b, out: FREE,
        (Example(spelled(qualname, "2, dim=1"), ((2, 3, 4),), (2, 2, 4), 0, 0, 0),),
        values_indices=True,
    )


SPREADS = {"var": (4, 0), "std": (4, 1), "norm": (2, 0)}
"""Operations per element reduced and per output (see the module's docstring)."""

SPECS = (
    *SUMS,
    *(_extreme(f"{prefix}.{name}") for prefix in ("torch", "torch.Tensor") for name in ("max", "min")),
    *(_argument_extreme(f"{prefix}.{name}") for prefix in ("torch", "torch.Tensor") for name in ("argmax", "argmin")),
    *(_spread(f"{prefix}.{name}", *SPREADS[name]) for prefix in ("torch", "torch.Tensor") for name in SPREADS),
    _cumulative("torch.cumsum"),
    _cumulative("torch.Tensor.cumsum"),
    _topk("torch.topk"),
    _topk("torch.Tensor.topk"),
)
