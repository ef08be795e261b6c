"""Attention: `nn.MultiheadAttention`, `F.scaled_dot_product_attention`, and softmax.

`nn.MultiheadAttention` computes its projections without calling Linear modules (its
`out_proj` is registered but never called), so its call does several kinds of work:
the q, k, v and output projections are linear work, QKᵀ and the weighted sum of V are
matrix products, and the attention weights are a softmax.
"""

from __future__ import annotations

from typing import Any

from staticflops.catalog.spec import (
    FORWARD,
    Example,
    Hyper,
    LayerSpec,
    OpSpec,
    Output,
    Shape,
    Work,
    WorkKind,
    normalize_dim,
    numel,
    require,
    spelled,
)
from staticflops.interpreter.calls import signature


def _softmax_work(outputs: int, dim_size: int, attention: bool = False) -> Work:
    return Work(
        WorkKind.SOFTMAX, outputs=outputs, reduced=outputs, inputs=outputs, window=dim_size, attention=attention
    )


def _dim_size(shape: Shape, dim: int | None) -> int:
    """The size of the dimension a softmax runs over (torch's default for these layers: the last); a
    0-dimensional tensor is its one element."""
    index = normalize_dim(-1 if dim is None else dim, len(shape))
    return shape[index] if shape else 1


def _softmax2d_shape(x: Shape) -> Shape:
    require(len(x) in (3, 4), f"Softmax2d: expected input of 3 or 4 dimensions, got {list(x)}")
    return x


def _softmax_layer(name: str, example: Example) -> LayerSpec:
    return LayerSpec(
        f"torch.nn.{name}",
        init=signature("dim", dim=None),
        attributes=dict,
        parameters=lambda h: {},
        output=lambda h, inputs: inputs[0],
        work=lambda h, inputs, out: _softmax_work(numel(out), _dim_size(out, h["dim"])),
        examples=(example,),
    )


def _mha_attributes(bound: dict[str, Any]) -> dict[str, Any]:
    embed = bound["embed_dim"]
    kdim = bound["kdim"] if bound["kdim"] is not None else embed
    vdim = bound["vdim"] if bound["vdim"] is not None else embed
    require(
        embed % bound["num_heads"] == 0, f"embed_dim ({embed}) must be divisible by num_heads ({bound['num_heads']})"
    )
    return {
        "embed_dim": embed,
        "kdim": kdim,
        "vdim": vdim,
        "_qkv_same_embed_dim": kdim == embed and vdim == embed,
        "num_heads": bound["num_heads"],
        "dropout": bound["dropout"],
        "batch_first": bool(bound["batch_first"]),
        "head_dim": embed // bound["num_heads"],
        "add_zero_attn": bool(bound["add_zero_attn"]),
        "in_proj_bias": bool(bound["bias"]),
        "bias_k": bool(bound["add_bias_kv"]),
        "bias_v": bool(bound["add_bias_kv"]),
    }


def _mha_parameters(h: Hyper) -> dict[str, Shape | None]:
    embed = h["embed_dim"]
    params: dict[str, Shape | None] = {}
    if h["_qkv_same_embed_dim"]:
        params.update(in_proj_weight=(3 * embed, embed), q_proj_weight=None, k_proj_weight=None, v_proj_weight=None)
    else:
        params.update(
            in_proj_weight=None,
            q_proj_weight=(embed, embed),
            k_proj_weight=(embed, h["kdim"]),
            v_proj_weight=(embed, h["vdim"]),
        )
    params["in_proj_bias"] = (3 * embed,) if h["in_proj_bias"] else None
    if h["bias_k"]:
        params.update(bias_k=(1, 1, embed), bias_v=(1, 1, embed))
    return params


def _mha_layout(h: Hyper, shape: Shape) -> tuple[int, int]:
    """(batch, length) of a query/key/value, honouring batch_first; unbatched inputs have batch 1."""
    if len(shape) == 2:
        return 1, shape[0]
    return (shape[0], shape[1]) if h["batch_first"] else (shape[1], shape[0])


def _mha_attended(h: Hyper, key: Shape) -> int:
    """How many positions each query attends to: the key's, one more for `add_bias_kv` (bias_k and bias_v are
    appended to the projected keys and values) and one more for `add_zero_attn` (a zero key and value)."""
    return _mha_layout(h, key)[1] + bool(h.get("bias_k")) + bool(h["add_zero_attn"])


def _mha_output(h: Hyper, inputs: list[Shape]) -> Output:
    """`(output, weights)`: weights are None with `need_weights=False`, averaged over the heads unless
    `average_attn_weights=False` (then `(batch, heads, target, source)`), without the batch when unbatched."""
    query, key, value = inputs[:3]
    embed = h["embed_dim"]
    require(query[-1] == embed, f"MultiheadAttention expects query features {embed} (embed_dim), got {query[-1]}")
    require(key[-1] == h["kdim"], f"MultiheadAttention expects key features {h['kdim']} (kdim), got {key[-1]}")
    require(value[-1] == h["vdim"], f"MultiheadAttention expects value features {h['vdim']} (vdim), got {value[-1]}")
    call = h.get(FORWARD, {})
    if not call.get("need_weights", True):
        return [query, None]
    batch, target = _mha_layout(h, query)
    heads = () if call.get("average_attn_weights", True) else (h["num_heads"],)
    weights = (*heads, target, _mha_attended(h, key))
    return [query, (batch, *weights) if len(query) == 3 else weights]



def _mha_work(h: Hyper, inputs: list[Shape], output: Any) -> tuple[Work, ...]:
    query, key = inputs[:2]
    embed, heads = h["embed_dim"], h["num_heads"]
    batch, target = _mha_layout(h, query)
    _, source = _mha_layout(h, key)
    attended = _mha_attended(h, key)
    bias = h.get("in_proj_bias") is not None

    def projection(rows: int, in_features: int) -> Work:
        outputs = batch * rows * embed
        return Work(
            WorkKind.LINEAR, outputs=outputs, macs=outputs * in_features, bias=bias, inputs=batch * rows * in_features
        )

    scores = batch * heads * target * attended
    return (
        projection(target, embed),  # q
        projection(source, h["kdim"]),  # k
        projection(source, h["vdim"]),  # v
        Work(WorkKind.MATMUL, outputs=scores, macs=scores * (embed // heads), attention=True),  # q·kᵀ
        _softmax_work(scores, attended, attention=True),
        Work(WorkKind.MATMUL, outputs=batch * target * embed, macs=batch * target * embed * attended, attention=True),
        # the output projection (out_proj's weight and bias), applied without calling out_proj
        Work(
            WorkKind.LINEAR,
            outputs=batch * target * embed,
            macs=batch * target * embed * embed,
            bias=bias,
            inputs=batch * target * embed,
        ),
    )


LAYERS = (
    LayerSpec(
        "torch.nn.MultiheadAttention",
        init=signature(
            "embed_dim, num_heads, dropout, bias, add_bias_kv, add_zero_attn, kdim, vdim, batch_first, device, dtype",
            dropout=0.0,
            bias=True,
            add_bias_kv=False,
            add_zero_attn=False,
            kdim=None,
            vdim=None,
            batch_first=False,
            device=None,
            dtype=None,
        ),
        attributes=_mha_attributes,
        parameters=_mha_parameters,
        children=lambda h: {
            "out_proj": (
                "torch.nn.modules.linear.NonDynamicallyQuantizableLinear",
                {"in_features": h["embed_dim"], "out_features": h["embed_dim"], "bias": h["in_proj_bias"]},
            )
        },
        output=_mha_output,
        work=_mha_work,
        forward=signature(
            "query, key, value, key_padding_mask, need_weights, attn_mask, average_attn_weights, is_causal",
            key_padding_mask=None,
            need_weights=True,
            attn_mask=None,
            average_attn_weights=True,
            is_causal=False,
        ),
        # params: in_proj 3·32·32 + 96, out_proj 32·32 + 32 = 4224
        # work: 4 projections of 320 outputs × 2·32 = 81,920; scores 4·10·10 = 400 × (2·8 − 1) = 6,000;
        # softmax 400 × 3 = 1,200; weights·v 320 × (2·10 − 1) = 6,080 → 95,200
        examples=(
            Example(
                "nn.MultiheadAttention(32, 4, batch_first=True)",
                ((1, 10, 32), (1, 10, 32), (1, 10, 32)),
                (1, 10, 32),
                4224,
                95_200,
                40_960 + 3_200 + 3_200,
            ),
        ),
    ),
    # 10 elements × 3 (exponent, sum, divide); thop's rule needs the size of the softmax dimension
    _softmax_layer("Softmax", Example("nn.Softmax(dim=1)", ((2, 5),), (2, 5), 0, 30, 0)),
    _softmax_layer("LogSoftmax", Example("nn.LogSoftmax(dim=0)", ((3, 4),), (3, 4), 0, 36, 0)),
    # softmax of the negation: one more per element (3·12 + 12)
    LayerSpec(
        "torch.nn.Softmin",
        init=signature("dim", dim=None),
        attributes=dict,
        parameters=lambda h: {},
        output=lambda h, inputs: inputs[0],
        work=lambda h, inputs, out: (
            Work(WorkKind.ELEMENTWISE, outputs=numel(out), inputs=numel(out)),
            _softmax_work(numel(out), _dim_size(out, h["dim"])),
        ),
        examples=(Example("nn.Softmin(dim=1)", ((3, 4),), (3, 4), 0, 48, 0),),
    ),
    # a softmax over the channels (dim −3) of a (C, H, W) or (N, C, H, W) input
    LayerSpec(
        "torch.nn.Softmax2d",
        init=signature(""),
        attributes=dict,
        parameters=lambda h: {},
        output=lambda h, inputs: _softmax2d_shape(inputs[0]),
        work=lambda h, inputs, out: _softmax_work(numel(out), out[-3]),
        examples=(Example("nn.Softmax2d()", ((2, 3, 4, 4),), (2, 3, 4, 4), 0, 288, 0),),
    ),
)


def _sdpa_output(bound: dict[str, Any]) -> Shape:
    query, key, value = bound["query"], bound["key"], bound["value"]
    require(query[-1] == key[-1], f"scaled_dot_product_attention: query dim {query[-1]} differs from key dim {key[-1]}")
    require(key[-2] == value[-2], f"scaled_dot_product_attention: {key[-2]} keys but {value[-2]} values")
    return (*query[:-1], value[-1])


def _sdpa_work(bound: dict[str, Any], out: Shape) -> tuple[Work, ...]:
    query, key = bound["query"], bound["key"]
    scores = numel(query[:-1]) * key[-2]
    return (
        Work(WorkKind.MATMUL, outputs=scores, macs=scores * query[-1], attention=True),
        _softmax_work(scores, key[-2], attention=True),
        Work(WorkKind.MATMUL, outputs=numel(out), macs=numel(out) * key[-2], attention=True),
    )


def _softmax_op(qualname: str, masked: bool = False) -> OpSpec:
    """A softmax along `dim`; `torch.masked.*`'s take a `mask` too (the work is the same)."""

    def work(bound: dict[str, Any], out: Shape) -> Work:
        return _softmax_work(numel(out), _dim_size(out, bound["dim"]))

    return OpSpec(
        qualname,
        signature("input, dim, *, dtype, mask" if masked else "input, dim, *, dtype", dim=None, dtype=None, mask=None),
        ("input", "mask") if masked else ("input",),
        output=lambda b: b["input"],
        work=work,
        # exponent, sum and divide per element: 3·6
        examples=(Example(spelled(qualname, "dim=-1"), ((2, 3),), (2, 3), 0, 18, 0),),
    )


def _mha_function_hyper(bound: dict[str, Any]) -> dict[str, Any]:
    """`F.multi_head_attention_forward`'s arguments as the attributes `nn.MultiheadAttention` keeps (the layer calls
    it with them): sequence-first, the projections' features from the tensors given."""
    embed, heads = bound["embed_dim_to_check"], bound["num_heads"]
    query, key, value = bound["query"], bound["key"], bound["value"]
    require(query[-1] == embed, f"was expecting embedding dimension of {embed}, but got {query[-1]}")
    require(embed % heads == 0, f"embed_dim {embed} not divisible by num_heads {heads}")
    separate = bool(bound["use_separate_proj_weight"])
    require(separate or key == value or key[:-1] == value[:-1], f"key shape {list(key)} does not match value shape "
            f"{list(value)}")  # fmt: skip
    require(separate or (key[-1] == embed and value[-1] == embed), "without use_separate_proj_weight, key and "
            f"value must have the query's {embed} features, got {key[-1]} and {value[-1]}")  # fmt: skip
    require(bound["static_k"] is None and bound["static_v"] is None, "static_k and static_v are not modelled")
    return {
        "embed_dim": embed,
        "num_heads": heads,
        "kdim": key[-1],
        "vdim": value[-1],
        "batch_first": False,
        "in_proj_bias": bound["in_proj_bias"],
        "bias_k": bound["bias_k"] is not None,
        "add_zero_attn": bool(bound["add_zero_attn"]),
    }


def _mha_function_output(bound: dict[str, Any]) -> Output:
    """`(attn_output, attn_weights)`: weights averaged over the heads `(N, L, S)`, per head `(N, H, L, S)`, or
    None when not asked for."""
    h = _mha_function_hyper(bound)
    output, weights = _mha_output(h, [bound["query"], bound["key"], bound["value"]])
    if not bound["need_weights"]:
        return [output, None]
    if not bound["average_attn_weights"]:
        weights = (*weights[:-2], h["num_heads"], *weights[-2:])
    return [output, weights]


MHA_FORWARD = (
    "query, key, value, embed_dim_to_check, num_heads, in_proj_weight, in_proj_bias, bias_k, bias_v, add_zero_attn, "
    "dropout_p, out_proj_weight, out_proj_bias, training, key_padding_mask, need_weights, attn_mask, "
    "use_separate_proj_weight, q_proj_weight, k_proj_weight, v_proj_weight, static_k, static_v, average_attn_weights, "
    "is_causal"
)

OPS = (
    OpSpec(
        "torch.nn.functional.multi_head_attention_forward",
        signature(
            MHA_FORWARD, training=True, key_padding_mask=None, need_weights=True, attn_mask=None,
            use_separate_proj_weight=False, q_proj_weight=None, k_proj_weight=None, v_proj_weight=None, static_k=None,
            static_v=None, average_attn_weights=True, is_causal=False,
        ),
        ("query", "key", "value", "in_proj_weight", "in_proj_bias", "bias_k", "bias_v", "out_proj_weight",
         "out_proj_bias", "q_proj_weight", "k_proj_weight", "v_proj_weight"),
        output=_mha_function_output,
        work=lambda b, out: _mha_work(_mha_function_hyper(b), [b["query"], b["key"], b["value"]], out),
        # nn.MultiheadAttention(8, 2)'s work on 5 queries and 6 keys of a batch of 1: projections 5·8 and 2·6·8
        # outputs of 2·8 (biased): 2,176; scores 2·5·6 = 60 × (2·4 − 1) = 420; softmax 180; weights·v
        # 40 × (2·6 − 1) = 440; out_proj 40 × 16 = 640 → 3,856
        examples=(
            Example(
                "F.multi_head_attention_forward(x, y, y, 8, 2, z, w, None, None, False, 0.0, z[:8], w[:8], "
                "training=False)",
                ((5, 1, 8), (6, 1, 8), (24, 8), (24,)),
                (5, 1, 8),
                0,
                3_856,
                320 + 768 + 240 + 240 + 320,
            ),
        ),
    ),
    OpSpec(
        "torch.nn.functional.scaled_dot_product_attention",
        signature(
            "query, key, value, attn_mask, dropout_p, is_causal, scale, enable_gqa",
            attn_mask=None,
            dropout_p=0.0,
            is_causal=False,
            scale=None,
            enable_gqa=False,
        ),
        ("query", "key", "value"),
        output=_sdpa_output,
        work=_sdpa_work,
        examples=(
            # 2 heads × 4 queries × 6 keys = 48 scores of 8 products: 2·384 − 48; softmax 3·48;
            # 40 outputs of 6 products: 2·240 − 40
            Example(
                "F.scaled_dot_product_attention(x, y, z)",
                ((1, 2, 4, 8), (1, 2, 6, 8), (1, 2, 6, 5)),
                (1, 2, 4, 5),
                0,
                720 + 144 + 440,
                384 + 240,
            ),
        ),
    ),
    _softmax_op("torch.nn.functional.softmax"),
    _softmax_op("torch.nn.functional.log_softmax"),
    _softmax_op("torch.nn.functional.softmin"),
    _softmax_op("torch.softmax"),
    _softmax_op("torch.log_softmax"),
    _softmax_op("torch.special.softmax"),
    _softmax_op("torch.special.log_softmax"),
    *(_softmax_op(f"torch.masked.{name}", masked=True) for name in ("softmax", "log_softmax", "softmin")),
    _softmax_op("torch.Tensor.softmax"),
    _softmax_op("torch.Tensor.log_softmax"),
)

SPECS = LAYERS + OPS
