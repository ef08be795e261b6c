"""`ptflops`: what `ptflops.get_model_complexity_info` reports with its pytorch backend under
`no_grad` (ptflops 0.7.5).

ptflops hooks modules of the exact types it has a rule for, and reports their sum divided by
the batch size. It also patches some functions (`F.relu`, `torch.matmul`, `Tensor.add`, ...)
and adds what they count, whole-batch, wherever they are called from: inside torch's own
layers too, so `nn.ReLU` counts twice (its hook, and the `F.relu` its forward calls).
Operators (`x + y`, `a @ b`) and the `torch.`/`Tensor.` spellings of activations are not patched.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from staticflops.catalog import Work, WorkKind
from staticflops.conventions.caller import Caller, called_as, first_input, numel, operands


def _affine_input(caller: Caller) -> int:
    # `hasattr(module, "affine") and module.affine`: LayerNorm's flag is named elementwise_affine
    return first_input(caller) * (2 if caller.attributes.get("affine") else 1)


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


def _recurrent_cell(works: tuple[Work, ...], caller: Caller) -> int:
    # one step: the two weight matrices' elements, the gate arithmetic, both biases; times the batch
    h = caller.attributes
    x = caller.inputs[0] if caller.inputs else None
    if x is None or len(x) != 2:
        return 0
    ops = math.prod(h["weight_ih"]) + math.prod(h["weight_hh"]) + RECURRENT_EXTRA[h["mode"]] * h["hidden_size"]
    if h["bias"]:
        ops += 2 * h["weight_ih"][0]
    return ops * x[0]


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


def _lp_pool(works: tuple[Work, ...], caller: Caller) -> int:
    # F.lp_pool*d averages the powered input (F.avg_pool: its input's elements), then a ReLU and a
    # Tensor.mul by the window's size on the pooled output; the power, sign and `*` are not patched
    x, out = (caller.inputs[0] if caller.inputs else None), caller.output
    if x is None or out is None:
        return 0
    return math.prod(x) + 2 * math.prod(out)


def _multihead_attention(works: tuple[Work, ...], caller: Caller) -> int:
    # ptflops' own formula: query scaling, the three input projections priced as if each were
    # square in its input's features, per-head QKᵀ, softmax and AV, and a biased output projection.
    query, key, value = operands(caller, 3)
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


MODULES: dict[str, Callable[[tuple[Work, ...], Caller], int]] = {
    **{f"torch.nn.Conv{n}d": _with_bias for n in (1, 2, 3)},
    # from the input's positions: Cin·(Cout/groups)·∏K per input element, i.e. the MACs
    **{f"torch.nn.ConvTranspose{n}d": _with_bias for n in (1, 2, 3)},
    "torch.nn.Linear": _with_bias,
    **{f"torch.nn.{name}": (lambda works, caller: works[0].outputs)
       for name in ("ReLU", "PReLU", "ELU", "LeakyReLU", "ReLU6", "GELU")},
    **{f"torch.nn.{kind}Pool{n}d": (lambda works, caller: first_input(caller))
       for kind in ("Max", "Avg", "AdaptiveMax", "AdaptiveAvg") for n in (1, 2, 3)},
    **{f"torch.nn.{norm}{n}d": (lambda works, caller: _affine_input(caller))
       for norm in ("BatchNorm", "InstanceNorm") for n in (1, 2, 3)},
    "torch.nn.GroupNorm": lambda works, caller: _affine_input(caller),
    "torch.nn.LayerNorm": lambda works, caller: _affine_input(caller),
    "torch.nn.Upsample": _upsample,
    **{f"torch.nn.{kind}": _recurrent for kind in RECURRENT_EXTRA},
    **{f"torch.nn.{kind}Cell": _recurrent_cell for kind in RECURRENT_EXTRA},
    "torch.nn.MultiheadAttention": _multihead_attention,
}  # fmt: skip
"""Module hooks, by exact type; what they count is divided by the batch size."""


def _left_aligned_broadcast(caller: Caller) -> int:
    # its elementwise hook broadcasts shapes aligned on the *first* dimension
    shapes = [s for s in caller.inputs[:2] if s is not None]
    if len(shapes) < 2:
        return numel(shapes[0]) if shapes else 1
    a, b = shapes
    rank = max(len(a), len(b))
    return math.prod(max(a[i] if i < len(a) else 1, b[i] if i < len(b) else 1) for i in range(rank))


def _matmul(works: tuple[Work, ...], caller: Caller) -> int:
    # the first operand's elements times the second's last dimension
    a, b = operands(caller, 2)
    return numel(a) * b[-1] if a is not None and b else 0


def _addmm(works: tuple[Work, ...], caller: Caller) -> int:
    # the product's first operand's elements times the second's last dimension, and the added tensor's
    # elements unless beta is 0
    added, a, b = operands(caller, 3)
    if added is None or a is None or not b:
        return 0
    return numel(a) * b[-1] + (numel(added) if caller.arguments.get("beta", 1) != 0 else 0)


FUNCTIONS: dict[str, Callable[[tuple[Work, ...], Caller], int]] = {
    **{f"torch.nn.functional.{name}": (lambda works, caller: first_input(caller))
       for name in ("relu", "prelu", "elu", "relu6", "gelu", "silu", "softmax")},
    **{f"torch.nn.functional.{kind}_pool{n}d": (lambda works, caller: first_input(caller))
       for kind in ("avg", "max", "adaptive_avg", "adaptive_max") for n in (1, 2, 3)},
    # the size asked for (or the input scaled): the output's elements
    **{f"torch.nn.functional.{name}": (lambda works, caller: works[0].outputs) for name in ("interpolate", "upsample")},
    **{name: _matmul for name in ("torch.matmul", "torch.Tensor.matmul", "torch.mm", "torch.Tensor.mm",
                                  "torch.bmm", "torch.Tensor.bmm")},
    **{name: _addmm for name in ("torch.addmm", "torch.Tensor.addmm", "torch.baddbmm")},
    **{name: (lambda works, caller: _left_aligned_broadcast(caller))
       for name in ("torch.add", "torch.Tensor.add", "torch.mul", "torch.Tensor.mul")},
}  # fmt: skip
"""Patched functions, by the name they are called through; counted whole-batch."""

FORWARDS: dict[str, tuple[str, ...]] = {
    "torch.nn.ReLU": ("torch.nn.functional.relu",),
    "torch.nn.PReLU": ("torch.nn.functional.prelu",),
    "torch.nn.ELU": ("torch.nn.functional.elu",),
    "torch.nn.GELU": ("torch.nn.functional.gelu",),
    "torch.nn.SiLU": ("torch.nn.functional.silu",),
    "torch.nn.Softmax": ("torch.nn.functional.softmax",),
    "torch.nn.Softmax2d": ("torch.nn.functional.softmax",),
    "torch.masked.softmax": ("torch.nn.functional.softmax",),
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

INTERNALS: dict[str, Callable[[tuple[Work, ...], Caller], int]] = {
    "torch.nn.MultiheadAttention": _mha_slow_path_calls,
    # the function the layer's slow path calls: torch.bmm twice and F.softmax when asked for the weights
    "torch.nn.functional.multi_head_attention_forward": _mha_slow_path_calls,
    "torch.nn.LocalResponseNorm": _local_response_norm,
    "torch.nn.functional.local_response_norm": _local_response_norm,
    **{f"torch.nn.LPPool{n}d": _lp_pool for n in (1, 2, 3)},
}
"""Calls whose torch implementation reaches several patched functions, priced by what they reach."""


def price(works: tuple[Work, ...], caller: Caller) -> int:
    hook = MODULES.get(caller.qualname) if caller.exact_module else None
    per_sample = 0 if hook is None else hook(works, caller) // max(caller.batch, 1)
    reached = FORWARDS.get(called_as(caller), (called_as(caller),))
    functions = sum(FUNCTIONS[name](works, caller) for name in reached if name in FUNCTIONS)
    internal = INTERNALS.get(caller.qualname)
    return per_sample + functions + (0 if internal is None else internal(works, caller))
