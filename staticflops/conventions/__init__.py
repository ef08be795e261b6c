"""How work is priced. The catalog says what a call computes; a convention says what that costs.
Layers never know which convention is in force.

`seed` (the default) follows the reference document; `macs` counts the multiply–accumulates of
convolutions, linear layers and matrix products; `thop`, `ptflops`, `fvcore` and `torch`
reproduce what those tools report. One module per convention; docs/conventions.md gives every
rule, measured against the tools themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from staticflops.catalog import Work, Works, as_works
from staticflops.conventions import flop_counter, fvcore, macs, ptflops, seed, thop
from staticflops.conventions.caller import FUNCTION, PRODUCTS, Caller


class Convention(StrEnum):
    SEED = "seed"
    MACS = "macs"
    THOP = "thop"
    PTFLOPS = "ptflops"
    FVCORE = "fvcore"
    TORCH = "torch"


PRICES: dict[Convention, Callable[[tuple[Work, ...], Caller], int]] = {
    Convention.SEED: seed.price,
    Convention.MACS: macs.price,
    Convention.THOP: thop.price,
    Convention.PTFLOPS: ptflops.price,
    Convention.FVCORE: fvcore.price,
    Convention.TORCH: flop_counter.price,
}


def price(works: Works, convention: Convention, caller: Caller = FUNCTION) -> int:
    """FLOPs of one call under `convention`; nothing for a call whose work is unknown (an input of unknown
    shape: the model's FLOPs are then a lower bound, and its diagnostics say why)."""
    works = as_works(works)
    return PRICES[convention](works, caller) if works else 0


def multiply_accumulates(works: Works) -> int:
    """Multiply–accumulates of one call, whatever the convention."""
    return macs.price(as_works(works), FUNCTION)


__all__ = ["FUNCTION", "PRODUCTS", "Caller", "Convention", "multiply_accumulates", "price"]
