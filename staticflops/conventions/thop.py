"""`thop`: what `thop.profile` reports (thop 0.1.1). thop hooks modules whose type is exactly
one it has a rule for; functions, operators and subclasses count 0."""

from __future__ import annotations

import math
from collections.abc import Callable

from staticflops.catalog import Work
from staticflops.conventions.caller import Caller


def _norm(w: Work) -> int:
    return w.outputs * (4 if w.affine else 2)


UPSAMPLE = {"nearest": 1, "linear": 5, "bilinear": 11, "bicubic": 224 + 35}
"""Operations per output element of each mode; any other mode (trilinear included) counts 0."""


def _recurrent(works: tuple[Work, ...], caller: Caller) -> int:
    # per step and sample, one cell per layer and direction, priced from the layer's sizes:
    # the products of its gates, their biases, and the cell's own arithmetic
    h = caller.attributes
    x = caller.inputs[0] if caller.inputs else None
    if x is None or len(x) != 3:
        return 0
    batch, steps = (x[0], x[1]) if h["batch_first"] else (x[1], x[0])
    hidden, directions = h["hidden_size"], 2 if h["bidirectional"] else 1

    def cell(size: int) -> int:
        return _cell_ops(h["mode"], size, hidden, h["bias"])

    per_step = cell(h["input_size"]) + (h["num_layers"] - 1) * cell(hidden * directions)
    return per_step * directions * steps * batch


def _cell_ops(mode: str, size: int, hidden: int, bias: bool) -> int:
    """One step of one sample: each gate's products, its biases, and the cell's own arithmetic."""
    gate = (size + hidden) * hidden + hidden + (2 * hidden if bias else 0)
    return {"LSTM": 4 * gate + 4 * hidden, "GRU": 3 * gate + 4 * hidden}.get(mode, gate)


def _recurrent_cell(works: tuple[Work, ...], caller: Caller) -> int:
    # thop's batch is the input's first dimension, even for an unbatched (1-D) input
    h = caller.attributes
    x = caller.inputs[0] if caller.inputs else None
    if x is None:
        return 0
    return _cell_ops(h["mode"], h["input_size"], h["hidden_size"], h["bias"]) * x[0]


def _adaptive_average(works: tuple[Work, ...], caller: Caller) -> int:
    # one division and ∏(in/out) additions per output, the ratio taken in floating point
    x, out = (caller.inputs[0] if caller.inputs else None), caller.output
    if x is None or out is None:
        return 0
    kernel = math.prod(i / o for i, o in zip(x[2:], out[2:], strict=True))
    return int((kernel + 1) * works[0].outputs)


def _each(rule: Callable[[Work], int]) -> Callable[[tuple[Work, ...], Caller], int]:
    return lambda works, caller: sum(rule(work) for work in works)


LAYERS: dict[str, Callable[[tuple[Work, ...], Caller], int]] = {
    **{f"torch.nn.Conv{n}d": _each(lambda w: w.macs) for n in (1, 2, 3)},
    "torch.nn.Linear": _each(lambda w: w.macs),
    # thop counts a transposed convolution from its outputs: outputs · (Cin/groups)·∏K
    **{f"torch.nn.ConvTranspose{n}d": _each(lambda w: w.outputs * w.window) for n in (1, 2, 3)},
    **{f"torch.nn.{norm}{n}d": _each(_norm) for norm in ("BatchNorm", "InstanceNorm") for n in (1, 2, 3)},
    "torch.nn.LayerNorm": _each(_norm),
    "torch.nn.SyncBatchNorm": _each(_norm),
    "torch.nn.PReLU": _each(lambda w: w.outputs),
    **{f"torch.nn.AvgPool{n}d": _each(lambda w: w.outputs) for n in (1, 2, 3)},
    **{f"torch.nn.AdaptiveAvgPool{n}d": _adaptive_average for n in (1, 2, 3)},
    # per row of F: F exponents, F − 1 additions, F divisions
    "torch.nn.Softmax": _each(lambda w: 3 * w.outputs - w.outputs // max(w.window, 1)),
    **{f"torch.nn.{name}": _each(lambda w: w.outputs * UPSAMPLE.get(w.mode, 0))
       for name in ("Upsample", "UpsamplingNearest2d", "UpsamplingBilinear2d")},
    **{f"torch.nn.{kind}": _recurrent for kind in ("RNN", "GRU", "LSTM")},
    **{f"torch.nn.{kind}Cell": _recurrent_cell for kind in ("RNN", "GRU", "LSTM")},
}  # fmt: skip


def price(works: tuple[Work, ...], caller: Caller) -> int:
    rule = LAYERS.get(caller.qualname) if caller.exact_module else None
    return 0 if rule is None else rule(works, caller)
