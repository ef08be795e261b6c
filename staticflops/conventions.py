"""How work is priced. The catalog says what a call computes; a convention says what
that costs. Layers never know which convention is in force.

`seed` (the default) follows the reference document: an output element that receives
n products costs n multiplications and n − 1 additions, one more with a bias; an
activation costs one operation per output element. `macs` counts the
multiply–accumulates of convolutions, linear layers and matrix products only.
`docs/conventions.md` gives every rule with its reasoning.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from staticflops.catalog import Work, WorkKind, Works, as_works


class Convention(StrEnum):
    SEED = "seed"
    MACS = "macs"


def _seed_products(work: Work) -> int:
    # n products and n − 1 additions per output element that receives any: 2·MACs − covered;
    # a bias adds one addition per output element.
    covered = work.outputs if work.covered is None else work.covered
    return 2 * work.macs - covered + (work.outputs if work.bias else 0)


def _seed_norm(work: Work) -> int:
    # subtract the mean and divide by the deviation; scale and shift when affine
    return work.outputs * (4 if work.affine else 2)


SEED: dict[WorkKind, Callable[[Work], int]] = {
    WorkKind.CONV: _seed_products,
    WorkKind.CONV_TRANSPOSE: _seed_products,
    WorkKind.LINEAR: _seed_products,
    WorkKind.MATMUL: _seed_products,
    WorkKind.NORM: _seed_norm,
    # mean (1 addition), variance (subtract, square, add), normalize (divide): 5 per element;
    # scale and shift when affine
    WorkKind.NORM_STATS: lambda w: w.outputs * (7 if w.affine else 5),
    WorkKind.ACTIVATION: lambda w: w.outputs,
    WorkKind.SOFTMAX: lambda w: 3 * w.outputs,
    WorkKind.MAX_POOL: lambda w: w.reduced - w.outputs,  # n − 1 comparisons per output
    WorkKind.AVG_POOL: lambda w: w.reduced,  # n − 1 additions and one division per output
    WorkKind.ELEMENTWISE: lambda w: w.outputs * w.per_output,
    WorkKind.REDUCE_SUM: lambda w: w.reduced - w.outputs,
    WorkKind.REDUCE_MEAN: lambda w: w.reduced,
    WorkKind.REDUCE_MAX: lambda w: w.reduced - w.outputs,
    WorkKind.FREE: lambda w: 0,
}

_PRODUCT_KINDS = frozenset({WorkKind.CONV, WorkKind.CONV_TRANSPOSE, WorkKind.LINEAR, WorkKind.MATMUL})

TABLES: dict[Convention, dict[WorkKind, Callable[[Work], int]]] = {
    Convention.SEED: SEED,
    Convention.MACS: {kind: (lambda w: w.macs) if kind in _PRODUCT_KINDS else (lambda w: 0) for kind in WorkKind},
}


def price(works: Works, convention: Convention) -> int:
    """FLOPs of one call under `convention`."""
    table = TABLES[convention]
    return sum(table[work.kind](work) for work in as_works(works))


def macs(works: Works) -> int:
    """Multiply–accumulates of one call, whatever the convention."""
    return sum(work.macs for work in as_works(works))
