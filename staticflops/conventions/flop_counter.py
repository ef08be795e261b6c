"""`torch`: what `torch.utils.flop_counter.FlopCounterMode` reports on the meta device."""

from __future__ import annotations

from staticflops.catalog import Work
from staticflops.conventions.caller import PRODUCTS, Caller


def _price(work: Work, caller: Caller) -> int:
    # FlopCounterMode counts 2 per multiply–accumulate of convolutions and matrix products
    # (attention's too, on the meta device), and nothing else; biases are not counted, and
    # `aten::_trilinear`, which a bilinear layer runs, has no formula.
    if caller.qualname in ("torch.nn.Bilinear", "torch.nn.functional.bilinear"):
        return 0
    return 2 * work.macs if work.kind in PRODUCTS else 0


def price(works: tuple[Work, ...], caller: Caller) -> int:
    return sum(_price(work, caller) for work in works)
