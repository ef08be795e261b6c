"""How work is priced. The catalog says what a call computes; a convention says what
that costs. Layers never know which convention is in force.

`seed` (the default) follows the reference document: an output element that receives
n products costs n multiplications and n − 1 additions, one more with a bias; an
activation costs one operation per output element. `macs` counts the multiply–accumulates
of convolutions, linear layers and matrix products. `thop`, `fvcore` and `torch`
reproduce what those tools report (`docs/conventions.md` gives every rule, measured
against the tools themselves).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from staticflops.catalog import Work, WorkKind, Works, as_works


class Convention(StrEnum):
    SEED = "seed"
    MACS = "macs"
    THOP = "thop"
    FVCORE = "fvcore"
    TORCH = "torch"


@dataclass(frozen=True)
class Caller:
    """How a call was made. Tools that hook modules by their exact type (thop) see only some calls."""

    qualname: str
    """The catalog entry: `torch.nn.Conv2d`, `torch.nn.functional.relu`, `torch.Tensor.view`."""
    exact_module: bool = False
    """Called as a module whose class is exactly the catalog's (not a subclass, not a function)."""


FUNCTION = Caller("")
"""For pricing work whose caller does not matter."""

PRODUCTS = frozenset({WorkKind.CONV, WorkKind.CONV_TRANSPOSE, WorkKind.LINEAR, WorkKind.MATMUL})


# ---------------------------------------------------------------- seed
def _seed_products(work: Work) -> int:
    # n products and n − 1 additions per output element that receives any: 2·MACs − covered;
    # a bias adds one addition per output element.
    covered = work.outputs if work.covered is None else work.covered
    return 2 * work.macs - covered + (work.outputs if work.bias else 0)


SEED: dict[WorkKind, Callable[[Work], int]] = {
    WorkKind.CONV: _seed_products,
    WorkKind.CONV_TRANSPOSE: _seed_products,
    WorkKind.LINEAR: _seed_products,
    WorkKind.MATMUL: _seed_products,
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
    WorkKind.FREE: lambda w: 0,
}


def _seed(work: Work, caller: Caller) -> int:
    return SEED[work.kind](work)


def _macs(work: Work, caller: Caller) -> int:
    return work.macs if work.kind in PRODUCTS else 0


# ---------------------------------------------------------------- thop 0.1.1
# thop hooks modules whose type is exactly one it has a rule for; functions and subclasses count 0.
THOP_LAYERS: dict[str, Callable[[Work], int]] = {
    **{f"torch.nn.Conv{n}d": (lambda w: w.macs) for n in (1, 2, 3)},
    "torch.nn.Linear": lambda w: w.macs,
    # thop counts a transposed convolution from its outputs: outputs · (Cin/groups)·∏K
    **{f"torch.nn.ConvTranspose{n}d": (lambda w: w.outputs * w.window) for n in (1, 2, 3)},
    **{f"torch.nn.BatchNorm{n}d": (lambda w: w.outputs * (4 if w.affine else 2)) for n in (1, 2, 3)},
    "torch.nn.LayerNorm": lambda w: w.outputs * (4 if w.affine else 2),
    "torch.nn.GroupNorm": lambda w: w.outputs * (4 if w.affine else 2),
    **{f"torch.nn.AvgPool{n}d": (lambda w: w.outputs) for n in (1, 2, 3)},
    # one division and ⌊in/out⌋ additions per output, from the nominal kernel
    **{f"torch.nn.AdaptiveAvgPool{n}d": (lambda w: w.outputs * (w.window + 1)) for n in (1, 2, 3)},
    # per row of F: F exponents, F − 1 additions, F divisions
    "torch.nn.Softmax": lambda w: 3 * w.outputs - w.outputs // max(w.window, 1),
}


def _thop(work: Work, caller: Caller) -> int:
    rule = THOP_LAYERS.get(caller.qualname) if caller.exact_module else None
    return 0 if rule is None else rule(work)


# ---------------------------------------------------------------- fvcore 0.1.5
# fvcore counts one multiply–accumulate as one flop, and only the operators it has handles
# for; inside fused attention it sees only `aten::scaled_dot_product_attention`, unsupported.
FVCORE_NORMS: dict[WorkKind, Callable[[Work], int]] = {
    WorkKind.NORM: lambda w: w.outputs * (2 if w.affine else 1),  # batch_norm in eval mode
    WorkKind.NORM_STATS: lambda w: w.outputs * (5 if w.affine else 4),  # layer_norm, group_norm
}
FVCORE_INPUT_ELEMENTS = frozenset({"torch.nn.AdaptiveAvgPool2d", "torch.nn.functional.adaptive_avg_pool2d"})
"""`aten::adaptive_avg_pool2d` is priced at one flop per input element; no other pooling is supported."""


def _fvcore_einsum(work: Work) -> int:
    """fvcore prices a general einsum with numpy's `einsum_path` estimate as printed, `%.3e`,
    halved: 2 per product when an index is summed, 1 otherwise.
    NB: fvcore counts the two 3-D forms `abc,abd->acd` and `abc,adc->adb` exactly instead; those
    are priced here by the general rule, which agrees whenever the product count has at most
    four significant figures."""
    estimate = work.macs * (2 if work.macs > work.outputs else 1)
    return math.floor(float(f"{estimate:.3e}") / 2)


def _fvcore(work: Work, caller: Caller) -> int:
    if work.kind in PRODUCTS:
        if work.attention:
            return 0
        return _fvcore_einsum(work) if caller.qualname == "torch.einsum" else work.macs
    if work.kind in FVCORE_NORMS:
        return FVCORE_NORMS[work.kind](work)
    if caller.qualname in FVCORE_INPUT_ELEMENTS:
        return work.inputs
    return 0


# ---------------------------------------------------------------- torch.utils.flop_counter
def _torch(work: Work, caller: Caller) -> int:
    # FlopCounterMode counts 2 per multiply–accumulate of convolutions and matrix products
    # (attention's too, on the meta device), and nothing else; biases are not counted.
    return 2 * work.macs if work.kind in PRODUCTS else 0


PRICES: dict[Convention, Callable[[Work, Caller], int]] = {
    Convention.SEED: _seed,
    Convention.MACS: _macs,
    Convention.THOP: _thop,
    Convention.FVCORE: _fvcore,
    Convention.TORCH: _torch,
}


def price(works: Works, convention: Convention, caller: Caller = FUNCTION) -> int:
    """FLOPs of one call under `convention`."""
    rule = PRICES[convention]
    return sum(rule(work, caller) for work in as_works(works))


def macs(works: Works) -> int:
    """Multiply–accumulates of one call, whatever the convention."""
    return sum(work.macs for work in as_works(works) if work.kind in PRODUCTS)
