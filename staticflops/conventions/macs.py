"""`macs`: the multiply–accumulates of convolutions, linear layers and matrix products."""

from __future__ import annotations

from staticflops.catalog import Work
from staticflops.conventions.caller import PRODUCTS, Caller


def price(works: tuple[Work, ...], caller: Caller) -> int:
    return sum(work.macs for work in works if work.kind in PRODUCTS)
