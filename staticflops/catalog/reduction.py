"""Reductions: `x.mean(dim)`, `x.sum(dim)`, `x.amax(dim)`, and their `torch.*` forms.

An output element combines the n input elements of its slice: a sum is n − 1 additions,
a mean one division more, a max n − 1 comparisons.
"""

from __future__ import annotations

from typing import Any

from staticflops.catalog.spec import Example, OpSpec, Shape, Work, WorkKind, normalize_dim, numel, spelled
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


SPECS = tuple(
    _reduction(f"{prefix}.{name}", kind)
    for prefix in ("torch", "torch.Tensor")
    for name, kind in (("mean", WorkKind.REDUCE_MEAN), ("sum", WorkKind.REDUCE_SUM), ("amax", WorkKind.REDUCE_MAX))
)
