"""`fvcore`: what `fvcore.nn.FlopCountAnalysis(...).total()` reports with grad enabled (fvcore 0.1.5).
fvcore counts one multiply–accumulate as one flop, and only the operators it has handles for;
inside fused attention it sees only `aten::scaled_dot_product_attention`, unsupported."""

from __future__ import annotations

import math
from collections.abc import Callable

from staticflops.catalog import Work, WorkKind
from staticflops.conventions.caller import PRODUCTS, Caller, called_as, in_place, numel, operands

NORMS: dict[WorkKind, Callable[[Work], int]] = {
    WorkKind.NORM: lambda w: w.outputs * (2 if w.affine else 1),  # batch_norm in eval mode
    WorkKind.NORM_STATS: lambda w: w.outputs * (5 if w.affine else 4),  # layer_norm, group_norm
}
INPUT_ELEMENTS = frozenset({"torch.nn.AdaptiveAvgPool2d", "torch.nn.functional.adaptive_avg_pool2d"})
"""`aten::adaptive_avg_pool2d` is priced at one flop per input element; no other pooling is supported."""
UPSAMPLE_2D = {"nearest": 1, "bilinear": 4}
"""`aten::upsample_nearest2d` and `upsample_bilinear2d`, per output element; other modes and ranks count 0."""
GRID_SAMPLE = "torch.nn.functional.grid_sample"
"""`aten::grid_sampler`: 4 per output element whatever the mode and rank (fvcore assumes bilinear)."""
MULTIHEAD = frozenset({"torch.nn.MultiheadAttention", "torch.nn.functional.multi_head_attention_forward"})
"""The layer and the function it calls, whose attention asked for its weights runs two `aten::bmm`."""
NATIVE_NORMS = frozenset({"torch.native_layer_norm", "torch.native_group_norm", "torch.native_batch_norm"})
"""`aten::native_layer_norm` and friends: fvcore's handles are for `aten::layer_norm`, `group_norm`, `batch_norm`."""
UNSEEN_PRODUCTS = frozenset(
    {"torch.nn.RNN", "torch.nn.LSTM", "torch.nn.GRU", "torch.nn.Bilinear", "torch.nn.functional.bilinear"}
)
"""Products inside fused aten ops that fvcore has no handle for (`aten::lstm`, `aten::bilinear`)."""


MATMULS = frozenset({"torch.matmul", "torch.Tensor.matmul", "torch.Tensor.__matmul__", "torch.mm", "torch.Tensor.mm",
                     "torch.bmm", "torch.Tensor.bmm"})  # fmt: skip
"""Calls that run `aten::matmul`, `aten::mm` or `aten::bmm`, priced as the first operand's elements times the
second's last dimension (`torch.linalg.matmul` is `torch.matmul`)."""
ADDMMS = frozenset({"torch.addmm", "torch.Tensor.addmm"})
"""`aten::addmm`: its product's MACs. Every other matrix product (`mv`, `dot`, `baddbmm`, `tensordot`, in-place
forms such as `aten::addmm_`) has no handle."""

EINSUMS = frozenset({"torch.einsum", "einops.einsum", "einops.layers.torch.EinMix"})
"""Calls that run `aten::einsum` (einops' `einsum` and the `EinMix` layer call `torch.einsum`)."""


def _einsum(work: Work) -> int:
    """fvcore prices a general einsum with numpy's `einsum_path` estimate as printed, `%.3e`,
    halved: 2 per product when an index is summed, 1 otherwise, and one more for the whole (numpy's
    "Optimized FLOP count" is its contractions' cost plus one: odd for an outer product).
    NB: fvcore counts the two 3-D forms `abc,abd->acd` and `abc,adc->adb` exactly instead; those
    are priced here by the general rule, which agrees whenever the product count has at most
    four significant figures."""
    estimate = work.macs * (2 if work.macs > work.outputs else 1) + 1  # numpy's optimized count adds one
    return math.floor(float(f"{estimate:.3e}") / 2)


def _padding_by_name(caller: Caller) -> bool:
    """`padding='same'` or `'valid'`: torch runs `aten::_convolution_mode`, which fvcore has no handle for."""
    return isinstance(caller.attributes.get("padding", caller.arguments.get("padding")), str)


def _price(work: Work, caller: Caller) -> int:
    if work.kind in PRODUCTS:
        if work.attention:
            # with grad enabled, attention asked for its weights runs two `aten::bmm`; without, fused SDPA
            weights = caller.qualname in MULTIHEAD and caller.arguments.get("need_weights", True)
            return work.macs if weights and work.kind is WorkKind.MATMUL else 0
        if caller.qualname in UNSEEN_PRODUCTS or (work.kind is WorkKind.CONV and _padding_by_name(caller)):
            return 0
        if caller.qualname in EINSUMS:
            return _einsum(work)
        if work.kind is not WorkKind.MATMUL:
            return work.macs
        if in_place(caller):
            return 0
        if caller.qualname in MATMULS:
            a, b = operands(caller, 2)
            return numel(a) * b[-1] if a is not None and b else 0
        return work.macs if caller.qualname in ADDMMS else 0
    if work.kind in NORMS:
        return 0 if caller.qualname in NATIVE_NORMS else NORMS[work.kind](work)
    if caller.qualname in INPUT_ELEMENTS:
        return work.inputs
    if called_as(caller) in (GRID_SAMPLE, "torch.grid_sampler"):  # `torch.grid_sampler_2d` runs no aten::grid_sampler
        return 4 * work.outputs
    if work.mode in UPSAMPLE_2D and caller.inputs and caller.inputs[0] is not None and len(caller.inputs[0]) == 4:
        return work.outputs * UPSAMPLE_2D[work.mode]
    return 0


def price(works: tuple[Work, ...], caller: Caller) -> int:
    return sum(_price(work, caller) for work in works)
