"""`seed`, the default: the reference document's rules. An output element that receives n
products costs n multiplications and n − 1 additions, one more with a bias; an activation
costs one operation per output element. docs/conventions.md gives the reasoning where the
document is silent."""

from __future__ import annotations

from collections.abc import Callable

from staticflops.catalog import Work, WorkKind
from staticflops.conventions.caller import Caller


def _products(work: Work) -> int:
    # n products and n − 1 additions per output element that receives any: 2·MACs − covered;
    # a bias adds one addition per output element.
    covered = work.outputs if work.covered is None else work.covered
    return 2 * work.macs - covered + (work.outputs if work.bias else 0)


SEED: dict[WorkKind, Callable[[Work], int]] = {
    WorkKind.CONV: _products,
    WorkKind.CONV_TRANSPOSE: _products,
    WorkKind.LINEAR: _products,
    WorkKind.MATMUL: _products,
    # subtract the mean and divide by the deviation; scale and shift when affine
    WorkKind.NORM: lambda w: w.outputs * (4 if w.affine else 2),
    # mean (1 addition), variance (subtract, square, add), normalize (divide): 5 per element; affine 2 more
    WorkKind.NORM_STATS: lambda w: w.outputs * (7 if w.affine else 5),
    WorkKind.ACTIVATION: lambda w: w.outputs,
    WorkKind.SOFTMAX: lambda w: 3 * w.outputs,  # exponent, sum, divide
    WorkKind.MAX_POOL: lambda w: w.reduced - w.outputs,  # n − 1 comparisons per output
    WorkKind.AVG_POOL: lambda w: w.reduced,  # n − 1 additions and one division per output
    WorkKind.ELEMENTWISE: lambda w: w.outputs * w.per_output,
    WorkKind.REDUCE_SUM: lambda w: w.reduced - w.outputs,
    WorkKind.REDUCE_MEAN: lambda w: w.reduced,
    WorkKind.REDUCE_MAX: lambda w: w.reduced - w.outputs,
    WorkKind.LINALG: lambda w: w.operations,  # the algorithm's published count (docs/conventions.md)
    WorkKind.FREE: lambda w: 0,
}


def price(works: tuple[Work, ...], caller: Caller) -> int:
    return sum(SEED[work.kind](work) for work in works)
