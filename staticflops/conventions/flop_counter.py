"""`torch`: what `torch.utils.flop_counter.FlopCounterMode` reports on the meta device."""

from __future__ import annotations

from staticflops.catalog import Work
from staticflops.conventions.caller import PRODUCTS, Caller, in_place


def _price(work: Work, caller: Caller) -> int:
    # FlopCounterMode counts 2 per multiply–accumulate of convolutions and matrix products
    # (attention's too, on the meta device), and nothing else; biases are not counted, and
    # `aten::_trilinear`, which a bilinear layer runs, has no formula. An einsum is counted as the
    # `aten::bmm` it lowers to: an outer product (`i,j->ij`) runs none.
    if caller.qualname in ("torch.nn.Bilinear", "torch.nn.functional.bilinear") or in_place(caller):
        return 0  # `x.addmm_(a, b)` runs `aten.addmm_`, which has no formula
    if work.kind in PRODUCTS and work.bmm is not None:
        # an einsum: the matrix products it reduces to, not every product it makes; `mv`, `dot`, `outer`: none
        return 2 * work.bmm
    return 2 * work.macs if work.kind in PRODUCTS else 0


def price(works: tuple[Work, ...], caller: Caller) -> int:
    return sum(_price(work, caller) for work in works)
