"""How work is priced. The catalog says what a call computes; a convention says what
that costs. Layers never know which convention is in force.

`seed` (the default) follows the reference document: an output element that receives
n products costs n multiplications and n − 1 additions, one more with a bias; an
activation costs one operation per output element. `macs` counts the multiply–accumulates
of convolutions, linear layers and matrix products. `thop`, `ptflops`, `fvcore` and `torch`
reproduce what those tools report (`docs/conventions.md` gives every rule, measured
against the tools themselves).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from staticflops.catalog import Shape, Work, WorkKind, Works, as_works


class Convention(StrEnum):
    SEED = "seed"
    MACS = "macs"
    THOP = "thop"
    PTFLOPS = "ptflops"
    FVCORE = "fvcore"
    TORCH = "torch"


@dataclass(frozen=True)
class Caller:
    """How a call was made: what a counter that hooks modules or patches functions sees of it.
    thop and ptflops find a module's rule by its exact type, and ptflops reads the module's
    attributes and its input tensors the way its hooks do."""

    qualname: str
    """The catalog entry: `torch.nn.Conv2d`, `torch.nn.functional.relu`, `torch.Tensor.view`."""
    exact_module: bool = False
    """Called as a module whose class is exactly the catalog's (not a subclass, not a function)."""
    inputs: tuple[Shape | None, ...] = ()
    """The shapes of the call's tensor arguments, in order."""
    output: Shape | None = None
    """The shape of the call's (first) output."""
    aliases: tuple[int, ...] = ()
    """For each tensor argument, the position of its first occurrence: `(0, 0, 0)` for `attn(x, x, x)`."""
    attributes: Mapping[str, Any] = field(default_factory=dict)
    """A module's attributes as torch stores them, and its parameters' shapes by name."""
    arguments: Mapping[str, Any] = field(default_factory=dict)
    """The call's plain arguments by name (tensors as their shapes)."""
    batch: int = 1
    """The first dimension of the model's input (ptflops reports module work per sample)."""


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
def _thop_norm(w: Work) -> int:
    return w.outputs * (4 if w.affine else 2)


THOP_UPSAMPLE = {"nearest": 1, "linear": 5, "bilinear": 11, "bicubic": 224 + 35}
"""Operations per output element of each mode; any other mode (trilinear included) counts 0."""


def _thop_recurrent(works: tuple[Work, ...], caller: Caller) -> int:
    # per step and sample, one cell per layer and direction, priced from the layer's sizes:
    # the products of its gates, their biases, and the cell's own arithmetic
    h = caller.attributes
    x = caller.inputs[0] if caller.inputs else None
    if x is None or len(x) != 3:
        return 0
    batch, steps = (x[0], x[1]) if h["batch_first"] else (x[1], x[0])
    hidden, bias, directions = h["hidden_size"], h["bias"], 2 if h["bidirectional"] else 1

    def gate(size: int) -> int:
        return (size + hidden) * hidden + hidden + (2 * hidden if bias else 0)

    def cell(size: int) -> int:
        if h["mode"] == "LSTM":
            return 4 * gate(size) + 4 * hidden
        if h["mode"] == "GRU":
            return 3 * gate(size) + 4 * hidden
        return gate(size)

    per_step = cell(h["input_size"]) + (h["num_layers"] - 1) * cell(hidden * directions)
    return per_step * directions * steps * batch


def _thop_adaptive_average(works: tuple[Work, ...], caller: Caller) -> int:
    # one division and ∏(in/out) additions per output, the ratio taken in floating point
    x, out = (caller.inputs[0] if caller.inputs else None), caller.output
    if x is None or out is None:
        return 0
    kernel = math.prod(i / o for i, o in zip(x[2:], out[2:], strict=True))
    return int((kernel + 1) * works[0].outputs)


def _thop_call(rule: Callable[[Work], int]) -> Callable[[tuple[Work, ...], Caller], int]:
    return lambda works, caller: sum(rule(work) for work in works)


THOP_LAYERS: dict[str, Callable[[tuple[Work, ...], Caller], int]] = {
    **{f"torch.nn.Conv{n}d": _thop_call(lambda w: w.macs) for n in (1, 2, 3)},
    "torch.nn.Linear": _thop_call(lambda w: w.macs),
    # thop counts a transposed convolution from its outputs: outputs · (Cin/groups)·∏K
    **{f"torch.nn.ConvTranspose{n}d": _thop_call(lambda w: w.outputs * w.window) for n in (1, 2, 3)},
    **{f"torch.nn.{norm}{n}d": _thop_call(_thop_norm) for norm in ("BatchNorm", "InstanceNorm") for n in (1, 2, 3)},
    "torch.nn.LayerNorm": _thop_call(_thop_norm),
    "torch.nn.PReLU": _thop_call(lambda w: w.outputs),
    **{f"torch.nn.AvgPool{n}d": _thop_call(lambda w: w.outputs) for n in (1, 2, 3)},
    **{f"torch.nn.AdaptiveAvgPool{n}d": _thop_adaptive_average for n in (1, 2, 3)},
    # per row of F: F exponents, F − 1 additions, F divisions
    "torch.nn.Softmax": _thop_call(lambda w: 3 * w.outputs - w.outputs // max(w.window, 1)),
    **{f"torch.nn.{name}": _thop_call(lambda w: w.outputs * THOP_UPSAMPLE.get(w.mode, 0))
       for name in ("Upsample", "UpsamplingNearest2d", "UpsamplingBilinear2d")},
    **{f"torch.nn.{kind}": _thop_recurrent for kind in ("RNN", "GRU", "LSTM")},
}  # fmt: skip


def _thop(works: tuple[Work, ...], caller: Caller) -> int:
    rule = THOP_LAYERS.get(caller.qualname) if caller.exact_module else None
    return 0 if rule is None else rule(works, caller)


# ---------------------------------------------------------------- fvcore 0.1.5
# fvcore counts one multiply–accumulate as one flop, and only the operators it has handles
# for; inside fused attention it sees only `aten::scaled_dot_product_attention`, unsupported.
FVCORE_NORMS: dict[WorkKind, Callable[[Work], int]] = {
    WorkKind.NORM: lambda w: w.outputs * (2 if w.affine else 1),  # batch_norm in eval mode
    WorkKind.NORM_STATS: lambda w: w.outputs * (5 if w.affine else 4),  # layer_norm, group_norm
}
FVCORE_INPUT_ELEMENTS = frozenset({"torch.nn.AdaptiveAvgPool2d", "torch.nn.functional.adaptive_avg_pool2d"})
"""`aten::adaptive_avg_pool2d` is priced at one flop per input element; no other pooling is supported."""
FVCORE_UPSAMPLE_2D = {"nearest": 1, "bilinear": 4}
"""`aten::upsample_nearest2d` and `upsample_bilinear2d`, per output element; other modes and ranks count 0."""
UNSEEN_PRODUCTS = frozenset(
    {"torch.nn.RNN", "torch.nn.LSTM", "torch.nn.GRU", "torch.nn.Bilinear", "torch.nn.functional.bilinear"}
)
"""Products inside fused aten ops that fvcore has no handle for (`aten::lstm`, `aten::bilinear`)."""


def _fvcore_einsum(work: Work) -> int:
    """fvcore prices a general einsum with numpy's `einsum_path` estimate as printed, `%.3e`,
    halved: 2 per product when an index is summed, 1 otherwise.
    NB: fvcore counts the two 3-D forms `abc,abd->acd` and `abc,adc->adb` exactly instead; those
    are priced here by the general rule, which agrees whenever the product count has at most
    four significant figures."""
    estimate = work.macs * (2 if work.macs > work.outputs else 1)
    return math.floor(float(f"{estimate:.3e}") / 2)


def _padding_by_name(caller: Caller) -> bool:
    """`padding='same'` or `'valid'`: torch runs `aten::_convolution_mode`, which fvcore has no handle for."""
    return isinstance(caller.attributes.get("padding", caller.arguments.get("padding")), str)


def _fvcore(work: Work, caller: Caller) -> int:
    if work.kind in PRODUCTS:
        if work.attention:
            # with grad enabled, attention asked for its weights runs two `aten::bmm`; without, fused SDPA
            weights = caller.qualname == "torch.nn.MultiheadAttention" and caller.arguments.get("need_weights", True)
            return work.macs if weights and work.kind is WorkKind.MATMUL else 0
        if caller.qualname in UNSEEN_PRODUCTS or (work.kind is WorkKind.CONV and _padding_by_name(caller)):
            return 0
        return _fvcore_einsum(work) if caller.qualname == "torch.einsum" else work.macs
    if work.kind in FVCORE_NORMS:
        return FVCORE_NORMS[work.kind](work)
    if caller.qualname in FVCORE_INPUT_ELEMENTS:
        return work.inputs
    if (
        work.mode in FVCORE_UPSAMPLE_2D
        and caller.inputs
        and caller.inputs[0] is not None
        and len(caller.inputs[0]) == 4
    ):
        return work.outputs * FVCORE_UPSAMPLE_2D[work.mode]
    return 0


# ---------------------------------------------------------------- ptflops 0.7.5 (pytorch backend)
# ptflops hooks modules of the exact types it has a rule for, and reports their sum divided by
# the batch size. It also patches some functions (`F.relu`, `torch.matmul`, `Tensor.add`, ...)
# and adds what they count, whole-batch, wherever they are called from: inside torch's own
# layers too, so `nn.ReLU` counts twice (its hook, and the `F.relu` its forward calls).
# Operators (`x + y`, `a @ b`) and the `torch.`/`Tensor.` spellings of activations are not patched.


def _numel(shape: Shape | None) -> int:
    return 0 if shape is None else math.prod(shape)


def _operands(caller: Caller, n: int) -> list[Shape | None]:
    """The first n tensor arguments' shapes, None for those missing."""
    return [*caller.inputs[:n], *[None] * (n - len(caller.inputs[:n]))]


def _first_input(caller: Caller) -> int:
    return _numel(caller.inputs[0]) if caller.inputs else 0


def _affine_input(caller: Caller) -> int:
    # `hasattr(module, "affine") and module.affine`: LayerNorm's flag is named elementwise_affine
    return _first_input(caller) * (2 if caller.attributes.get("affine") else 1)


def _with_bias(works: tuple[Work, ...], caller: Caller) -> int:
    return sum(w.macs + (w.outputs if w.bias else 0) for w in works)


def _upsample(works: tuple[Work, ...], caller: Caller) -> int:
    # its hook takes `output[0]`, the first sample, for the output
    return works[0].outputs // max(caller.inputs[0][0], 1) if caller.inputs and caller.inputs[0] else 0


RECURRENT_EXTRA = {"RNN": 1, "GRU": 7, "LSTM": 10}
"""Per hidden unit and step, besides the two matrix products and the biases."""


def _recurrent(works: tuple[Work, ...], caller: Caller) -> int:
    # Per step: the layer's two weight matrices' elements, the gate arithmetic, both biases; the
    # forward direction's weights priced twice when bidirectional; `proj_size`'s weights ignored.
    h = caller.attributes
    x = caller.inputs[0] if caller.inputs else None
    if x is None or len(x) < 2:
        return 0
    per_step = 0
    for layer in range(h["num_layers"]):
        ih, hh = h[f"weight_ih_l{layer}"], h[f"weight_hh_l{layer}"]
        per_step += math.prod(ih) + math.prod(hh) + RECURRENT_EXTRA[h["mode"]] * h["hidden_size"]
        if h["bias"]:
            per_step += 2 * ih[0]
    return per_step * x[0] * x[1] * (2 if h["bidirectional"] else 1)


def _mha_fast_path(caller: Caller) -> bool:
    """torch's fused `nn.MultiheadAttention` (eval, no_grad): self-attention on one batched, batch-first tensor
    with an even number of heads and no extra key/value biases; the slow path calls patched functions."""
    h, query = caller.attributes, caller.inputs[0] if caller.inputs else None
    return (
        query is not None
        and len(query) == 3
        and caller.aliases[:3] == (0, 0, 0)
        and h.get("batch_first", False)
        and h.get("_qkv_same_embed_dim", True)
        and h.get("num_heads", 1) % 2 == 0
        and h.get("in_proj_bias") is not None
        and not h.get("bias_k")
        and not h.get("add_zero_attn")
        and caller.arguments.get("attn_mask") is None
        and caller.arguments.get("key_padding_mask") is None
    )


def _mha_slow_path_calls(works: tuple[Work, ...], caller: Caller) -> int:
    # asked for its weights, the slow path runs torch.bmm twice and F.softmax between
    if _mha_fast_path(caller) or not caller.arguments.get("need_weights", True):
        return 0
    return sum(w.macs if w.kind is WorkKind.MATMUL else w.outputs for w in works if w.attention)


def _local_response_norm(works: tuple[Work, ...], caller: Caller) -> int:
    # F.local_response_norm squares (Tensor.mul), averages the channel-padded squares (F.avg_pool),
    # scales (Tensor.mul) and shifts (Tensor.add): 3 per element, plus the padded elements pooled
    size = caller.attributes.get("size", caller.arguments.get("size"))
    x = caller.inputs[0] if caller.inputs else None
    if x is None or len(x) < 3 or size is None:
        return 0
    return 3 * math.prod(x) + x[0] * (x[1] + size - 1) * math.prod(x[2:])


def _multihead_attention(works: tuple[Work, ...], caller: Caller) -> int:
    # ptflops' own formula: query scaling, the three input projections priced as if each were
    # square in its input's features, per-head QKᵀ, softmax and AV, and a biased output projection.
    query, key, value = _operands(caller, 3)
    if query is None or key is None or value is None or len(query) != 3:
        return 0
    batch_first = caller.attributes.get("batch_first", False)
    batch, (lq, lk, lv) = (
        (query[0], (query[1], key[1], value[1])) if batch_first else (query[1], (query[0], key[0], value[0]))
    )
    embed, kdim, vdim = query[2], key[2], value[2]
    heads = caller.attributes["num_heads"]
    flops = lq * embed + lq * embed * embed + lk * kdim * kdim + lv * vdim * vdim
    if caller.attributes.get("in_proj_bias") is not None:
        flops += (lq + lk + lv) * embed
    flops += heads * (lq * lk * (embed // heads) + lq * lk + lq * lk * (vdim // heads))
    flops += lq * vdim * (vdim + 1)
    return flops * batch


PTFLOPS_MODULES: dict[str, Callable[[tuple[Work, ...], Caller], int]] = {
    **{f"torch.nn.Conv{n}d": _with_bias for n in (1, 2, 3)},
    # from the input's positions: Cin·(Cout/groups)·∏K per input element, i.e. the MACs
    **{f"torch.nn.ConvTranspose{n}d": _with_bias for n in (1, 2, 3)},
    "torch.nn.Linear": _with_bias,
    **{f"torch.nn.{name}": (lambda works, caller: works[0].outputs)
       for name in ("ReLU", "PReLU", "ELU", "LeakyReLU", "ReLU6", "GELU")},
    **{f"torch.nn.{kind}Pool{n}d": (lambda works, caller: _first_input(caller))
       for kind in ("Max", "Avg", "AdaptiveMax", "AdaptiveAvg") for n in (1, 2, 3)},
    **{f"torch.nn.{norm}{n}d": (lambda works, caller: _affine_input(caller))
       for norm in ("BatchNorm", "InstanceNorm") for n in (1, 2, 3)},
    "torch.nn.GroupNorm": lambda works, caller: _affine_input(caller),
    "torch.nn.LayerNorm": lambda works, caller: _affine_input(caller),
    "torch.nn.Upsample": _upsample,
    **{f"torch.nn.{kind}": _recurrent for kind in RECURRENT_EXTRA},
    "torch.nn.MultiheadAttention": _multihead_attention,
}  # fmt: skip
"""Module hooks, by exact type; what they count is divided by the batch size."""


def _left_aligned_broadcast(caller: Caller) -> int:
    # its elementwise hook broadcasts shapes aligned on the *first* dimension
    shapes = [s for s in caller.inputs[:2] if s is not None]
    if len(shapes) < 2:
        return _numel(shapes[0]) if shapes else 1
    a, b = shapes
    rank = max(len(a), len(b))
    return math.prod(max(a[i] if i < len(a) else 1, b[i] if i < len(b) else 1) for i in range(rank))


def _matmul(works: tuple[Work, ...], caller: Caller) -> int:
    # the first operand's elements times the second's last dimension
    a, b = _operands(caller, 2)
    return _numel(a) * b[-1] if a is not None and b else 0


PTFLOPS_FUNCTIONS: dict[str, Callable[[tuple[Work, ...], Caller], int]] = {
    **{f"torch.nn.functional.{name}": (lambda works, caller: _first_input(caller))
       for name in ("relu", "prelu", "elu", "relu6", "gelu", "silu", "softmax")},
    **{f"torch.nn.functional.{kind}_pool{n}d": (lambda works, caller: _first_input(caller))
       for kind in ("avg", "max", "adaptive_avg", "adaptive_max") for n in (1, 2, 3)},
    # the size asked for (or the input scaled): the output's elements
    **{f"torch.nn.functional.{name}": (lambda works, caller: works[0].outputs) for name in ("interpolate", "upsample")},
    **{name: _matmul for name in ("torch.matmul", "torch.Tensor.matmul", "torch.mm", "torch.Tensor.mm",
                                  "torch.bmm", "torch.Tensor.bmm")},
    **{name: (lambda works, caller: _left_aligned_broadcast(caller))
       for name in ("torch.add", "torch.Tensor.add", "torch.mul", "torch.Tensor.mul")},
}  # fmt: skip
"""Patched functions, by the name they are called through; counted whole-batch."""

PTFLOPS_FORWARDS: dict[str, tuple[str, ...]] = {
    "torch.nn.ReLU": ("torch.nn.functional.relu",),
    "torch.nn.PReLU": ("torch.nn.functional.prelu",),
    "torch.nn.ELU": ("torch.nn.functional.elu",),
    "torch.nn.GELU": ("torch.nn.functional.gelu",),
    "torch.nn.SiLU": ("torch.nn.functional.silu",),
    "torch.nn.Softmax": ("torch.nn.functional.softmax",),
    **{f"torch.nn.{kind}Pool{n}d": (f"torch.nn.functional.{fn}_pool{n}d",)
       for kind, fn in (("Max", "max"), ("Avg", "avg"), ("AdaptiveMax", "adaptive_max"),
                        ("AdaptiveAvg", "adaptive_avg")) for n in (1, 2, 3)},
    **{name: ("torch.nn.functional.interpolate",)
       for name in ("torch.nn.Upsample", "torch.nn.UpsamplingNearest2d", "torch.nn.UpsamplingBilinear2d",
                    "torch.nn.functional.upsample_nearest", "torch.nn.functional.upsample_bilinear")},
    "torch.nn.functional.upsample": ("torch.nn.functional.upsample", "torch.nn.functional.interpolate"),
}  # fmt: skip
"""Calls that reach patched functions (read in torch 2.13's sources): torch layers whose `forward` calls
one, and functions that call another; `nn.ReLU6` calls `F.hardtanh`, which is not patched. A call not
listed reaches the function it names, if that is patched."""

PTFLOPS_INTERNALS: dict[str, Callable[[tuple[Work, ...], Caller], int]] = {
    "torch.nn.MultiheadAttention": _mha_slow_path_calls,
    "torch.nn.LocalResponseNorm": _local_response_norm,
    "torch.nn.functional.local_response_norm": _local_response_norm,
}
"""Calls whose torch implementation reaches several patched functions, priced by what they reach."""


def _ptflops(works: tuple[Work, ...], caller: Caller) -> int:
    hook = PTFLOPS_MODULES.get(caller.qualname) if caller.exact_module else None
    per_sample = 0 if hook is None else hook(works, caller) // max(caller.batch, 1)
    reached = PTFLOPS_FORWARDS.get(caller.qualname, (caller.qualname,))
    functions = sum(PTFLOPS_FUNCTIONS[name](works, caller) for name in reached if name in PTFLOPS_FUNCTIONS)
    internal = PTFLOPS_INTERNALS.get(caller.qualname)
    return per_sample + functions + (0 if internal is None else internal(works, caller))


# ---------------------------------------------------------------- torch.utils.flop_counter
def _torch(work: Work, caller: Caller) -> int:
    # FlopCounterMode counts 2 per multiply–accumulate of convolutions and matrix products
    # (attention's too, on the meta device), and nothing else; biases are not counted, and
    # `aten::_trilinear`, which a bilinear layer runs, has no formula.
    if caller.qualname in ("torch.nn.Bilinear", "torch.nn.functional.bilinear"):
        return 0
    return 2 * work.macs if work.kind in PRODUCTS else 0


def _each(rule: Callable[[Work, Caller], int]) -> Callable[[tuple[Work, ...], Caller], int]:
    """A convention that prices each work record of a call on its own."""
    return lambda works, caller: sum(rule(work, caller) for work in works)


PRICES: dict[Convention, Callable[[tuple[Work, ...], Caller], int]] = {
    Convention.SEED: _each(_seed),
    Convention.MACS: _each(_macs),
    Convention.THOP: _thop,
    Convention.PTFLOPS: _ptflops,
    Convention.FVCORE: _each(_fvcore),
    Convention.TORCH: _each(_torch),
}


def price(works: Works, convention: Convention, caller: Caller = FUNCTION) -> int:
    """FLOPs of one call under `convention`."""
    return PRICES[convention](as_works(works), caller)


def macs(works: Works) -> int:
    """Multiply–accumulates of one call, whatever the convention."""
    return sum(work.macs for work in as_works(works) if work.kind in PRODUCTS)
