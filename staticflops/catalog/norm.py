"""Normalization layers (batch, lazy batch, layer, group, instance, RMS, local response) and
their `F.*` functions.

In eval mode a batch norm normalizes with its running statistics: per element one
subtraction and one division, plus one multiplication and one addition when affine.
"""

from __future__ import annotations

from typing import Any

from staticflops.catalog.spec import Example, Hyper, LayerSpec, OpSpec, Shape, Work, WorkKind, numel, require
from staticflops.interpreter.calls import signature
from staticflops.interpreter.values import Param


def _attributes(bound: dict[str, Any]) -> dict[str, Any]:
    return {
        "num_features": bound["num_features"],
        "eps": bound["eps"],
        "momentum": bound["momentum"],
        "affine": bool(bound["affine"]),
        "track_running_stats": bool(bound["track_running_stats"]),
        "bias": bool(bound["bias"]),
    }


def _parameters(h: Hyper) -> dict[str, Shape | None]:
    features = (h["num_features"],)
    if not h["affine"]:
        return {"weight": None, "bias": None}
    return {"weight": features, "bias": features if h["bias"] else None}


def _buffers(h: Hyper) -> dict[str, Shape]:
    if not h["track_running_stats"]:
        return {}
    return {"running_mean": (h["num_features"],), "running_var": (h["num_features"],), "num_batches_tracked": ()}


def _norm_signature(affine: bool, track_running_stats: bool, lazy: bool = False) -> tuple[Param, ...]:
    """Batch and instance norms take the same arguments; only two defaults differ, and lazy ones
    take no `num_features`."""
    return signature(
        ("" if lazy else "num_features, ") + "eps, momentum, affine, track_running_stats, device, dtype, *, bias",
        eps=1e-5, momentum=0.1, affine=affine, track_running_stats=track_running_stats, device=None, dtype=None,
        bias=True,
    )  # fmt: skip


def _batch_norm(n: int, ranks: tuple[int, ...], examples: tuple[Example, ...], lazy: bool = False) -> LayerSpec:
    name = f"{'Lazy' if lazy else ''}BatchNorm{n}d"

    def output(h: Hyper, inputs: list[Shape]) -> Shape:
        (x,) = inputs
        require(len(x) in ranks, f"{name} expects a {' or '.join(f'{r}D' for r in ranks)} input, got {list(x)}")
        require(
            x[1] == h["num_features"],
            f"{name} expects {h['num_features']} channels (num_features), but the input has {x[1]}",
        )
        return x

    def work(h: Hyper, inputs: list[Shape], out: Shape) -> Work:
        return Work(WorkKind.NORM, outputs=numel(out), inputs=numel(out), affine=h["weight"] is not None)

    return LayerSpec(
        f"torch.nn.{name}",
        init=_norm_signature(affine=True, track_running_stats=True, lazy=lazy),
        attributes=_attributes,
        parameters=_parameters,
        buffers=_buffers,
        output=output,
        work=work,
        examples=examples,
        infer=(lambda shapes: {"num_features": shapes[0][1]}) if lazy else None,
    )


BATCH_NORMS = (
    # 2·16 elements × 4 (subtract mean, divide by std, scale, shift)
    _batch_norm(1, (2, 3), (Example("nn.BatchNorm1d(16)", ((2, 16),), (2, 16), 32, 128, 0),)),
    # 64·56·56 elements × 4
    _batch_norm(
        2,
        (4,),
        (
            Example("nn.BatchNorm2d(64)", ((1, 64, 56, 56),), (1, 64, 56, 56), 128, 802_816, 0),
            # not affine: 2 per element
            Example("nn.BatchNorm2d(8, affine=False)", ((1, 8, 4, 4),), (1, 8, 4, 4), 0, 256, 0),
        ),
    ),
    _batch_norm(3, (5,), (Example("nn.BatchNorm3d(4)", ((1, 4, 2, 3, 3),), (1, 4, 2, 3, 3), 8, 288, 0),)),
    # num_features from the input's channels; 4 per element when affine
    _batch_norm(1, (2, 3), (Example("nn.LazyBatchNorm1d()", ((2, 16),), (2, 16), 32, 128, 0),), lazy=True),
    _batch_norm(2, (4,), (Example("nn.LazyBatchNorm2d()", ((1, 8, 4, 4),), (1, 8, 4, 4), 16, 512, 0),), lazy=True),
    _batch_norm(3, (5,), (Example("nn.LazyBatchNorm3d(affine=False)", ((1, 4, 2, 3, 3),), (1, 4, 2, 3, 3), 0, 144,
                                  0),), lazy=True),
)  # fmt: skip


# ---------------------------------------------------------------- norms that compute statistics
def _normalized(value: Any) -> tuple[int, ...]:
    return (value,) if isinstance(value, int) else tuple(value)


def _layer_norm_output(h: Hyper, inputs: list[Shape]) -> Shape:
    (x,) = inputs
    shape = h["normalized_shape"]
    require(
        tuple(x[len(x) - len(shape) :]) == shape,
        f"LayerNorm expects trailing dimensions {list(shape)} (normalized_shape), but the input is {list(x)}",
    )
    return x


def _stats_work(h: Hyper, inputs: list[Shape], out: Shape) -> Work:
    return Work(WorkKind.NORM_STATS, outputs=numel(out), inputs=numel(out), affine=h.get("weight") is not None)


def _group_norm_output(h: Hyper, inputs: list[Shape]) -> Shape:
    (x,) = inputs
    require(len(x) >= 2, f"GroupNorm expects at least a 2D input, got {list(x)}")
    require(
        x[1] == h["num_channels"],
        f"GroupNorm expects {h['num_channels']} channels (num_channels), but the input has {x[1]}",
    )
    return x


STATS_LAYERS = (
    LayerSpec(
        "torch.nn.LayerNorm",
        init=signature(
            "normalized_shape, eps, elementwise_affine, bias, device, dtype",
            eps=1e-5,
            elementwise_affine=True,
            bias=True,
            device=None,
            dtype=None,
        ),
        attributes=lambda b: {
            "normalized_shape": _normalized(b["normalized_shape"]),
            "eps": b["eps"],
            "elementwise_affine": bool(b["elementwise_affine"]),
            "bias": bool(b["bias"]),
        },
        parameters=lambda h: {
            "weight": h["normalized_shape"] if h["elementwise_affine"] else None,
            "bias": h["normalized_shape"] if h["elementwise_affine"] and h["bias"] else None,
        },
        output=_layer_norm_output,
        work=_stats_work,
        # 2·197·768 elements × (5 + 2 affine)
        examples=(Example("nn.LayerNorm(768)", ((2, 197, 768),), (2, 197, 768), 1536, 2_118_144, 0),),
    ),
    LayerSpec(
        "torch.nn.GroupNorm",
        init=signature(
            "num_groups, num_channels, eps, affine, device, dtype, *, bias",
            eps=1e-5,
            affine=True,
            device=None,
            dtype=None,
            bias=True,
        ),
        attributes=lambda b: {
            "num_groups": b["num_groups"],
            "num_channels": b["num_channels"],
            "eps": b["eps"],
            "affine": bool(b["affine"]),
            "bias": bool(b["bias"]),
        },
        parameters=lambda h: {
            "weight": (h["num_channels"],) if h["affine"] else None,
            "bias": (h["num_channels"],) if h["affine"] and h["bias"] else None,
        },
        output=_group_norm_output,
        work=_stats_work,
        # 32·8·8 elements × 7
        examples=(Example("nn.GroupNorm(4, 32)", ((1, 32, 8, 8),), (1, 32, 8, 8), 64, 14_336, 0),),
    ),
)


def _f_layer_norm_output(bound: dict[str, Any]) -> Shape:
    shape = _normalized(bound["normalized_shape"])
    return _layer_norm_output({"normalized_shape": shape}, [bound["input"]])


def _f_layer_norm_work(bound: dict[str, Any], out: Shape) -> Work:
    return Work(WorkKind.NORM_STATS, outputs=numel(out), inputs=numel(out), affine=bound["weight"] is not None)


# ---------------------------------------------------------------- instance, RMS and local response norms
def _instance_norm(n: int, lazy: bool = False) -> LayerSpec:
    """`InstanceNorm{n}d`; the lazy one takes `num_features` from its first input's channels."""
    name = f"{'Lazy' if lazy else ''}InstanceNorm{n}d"

    def output(h: Hyper, inputs: list[Shape]) -> Shape:
        (x,) = inputs
        require(len(x) in (n + 1, n + 2), f"{name} expects a {n + 1}D or {n + 2}D input, got {list(x)}")
        if h["affine"]:
            channels = x[-n - 1]
            require(
                channels == h["num_features"],
                f"{name} expects {h['num_features']} channels (num_features), but the input has {channels}",
            )
        return x

    examples = {
        # 2·4·10 elements × 5 (statistics, no affine)
        1: (Example("nn.InstanceNorm1d(4)", ((2, 4, 10),), (2, 4, 10), 0, 400, 0),),
        # 8·16·16 elements × 5
        2: (Example("nn.InstanceNorm2d(8)", ((1, 8, 16, 16),), (1, 8, 16, 16), 0, 10_240, 0),),
        # 2·2·3·3 elements × 7 (affine)
        3: (Example("nn.InstanceNorm3d(2, affine=True)", ((1, 2, 2, 3, 3),), (1, 2, 2, 3, 3), 4, 252, 0),),
    }
    lazy_examples = {
        # num_features 4 from the input; 2·4·10 elements × 5 (no affine)
        1: (Example("nn.LazyInstanceNorm1d(affine=False)", ((2, 4, 10),), (2, 4, 10), 0, 400, 0),),
        # affine by default: 8·16·16 elements × 7
        2: (Example("nn.LazyInstanceNorm2d()", ((1, 8, 16, 16),), (1, 8, 16, 16), 16, 14_336, 0),),
        3: (Example("nn.LazyInstanceNorm3d(affine=True)", ((1, 2, 2, 3, 3),), (1, 2, 2, 3, 3), 4, 252, 0),),
    }
    return LayerSpec(
        f"torch.nn.{name}",
        # torch's lazy instance norms default to affine=True, track_running_stats=True
        init=_norm_signature(affine=lazy, track_running_stats=lazy, lazy=lazy),
        attributes=_attributes,
        parameters=_parameters,
        buffers=_buffers,
        output=output,
        work=_stats_work,
        examples=(lazy_examples if lazy else examples)[n],
        infer=(lambda shapes: {"num_features": shapes[0][-n - 1]}) if lazy else None,
    )


def _rms_output(h: Hyper, inputs: list[Shape]) -> Shape:
    return _layer_norm_output(h, inputs)


def _rms_work(h: Hyper, inputs: list[Shape], out: Shape) -> Work:
    # square, sum, scale by the reciprocal root: 3 per element; 1 more for the learned scale
    return Work(
        WorkKind.ELEMENTWISE, outputs=numel(out), inputs=numel(out), per_output=4 if h.get("weight") is not None else 3
    )


def _lrn_work(h: Hyper, inputs: list[Shape], out: Shape) -> Work:
    # a sum of squares over `size` channels, then one scale and one power per element
    return Work(WorkKind.ELEMENTWISE, outputs=numel(out), inputs=numel(out), per_output=2 * h["size"] + 2)


def _sync_batch_norm_output(h: Hyper, inputs: list[Shape]) -> Shape:
    (x,) = inputs
    require(len(x) >= 2, f"SyncBatchNorm expects at least a 2D input, got {list(x)}")
    require(x[1] == h["num_features"], f"SyncBatchNorm expects {h['num_features']} channels (num_features), but the "
            f"input has {x[1]}")  # fmt: skip
    return x


def _cross_map_lrn_output(h: Hyper, inputs: list[Shape]) -> Shape:
    (x,) = inputs
    require(len(x) == 4, f"CrossMapLRN2d: Expected input to be 4D, got {len(x)}D instead.")
    return x


OTHER_NORMS = (
    *(_instance_norm(n) for n in (1, 2, 3)),
    *(_instance_norm(n, lazy=True) for n in (1, 2, 3)),
    # a BatchNorm of any rank whose statistics are gathered across processes when training; in eval mode the
    # running ones, as BatchNorm: 4 per element when affine (2·3·4·4 elements)
    LayerSpec(
        "torch.nn.SyncBatchNorm",
        init=signature("num_features, eps, momentum, affine, track_running_stats, process_group, device, dtype, *, "
                       "bias", eps=1e-5, momentum=0.1, affine=True, track_running_stats=True, process_group=None,
                       device=None, dtype=None, bias=True),
        attributes=_attributes,
        parameters=_parameters,
        buffers=_buffers,
        output=_sync_batch_norm_output,
        work=lambda h, inputs, out: Work(WorkKind.NORM, outputs=numel(out), inputs=numel(out),
                                         affine=h["weight"] is not None),
        examples=(Example("nn.SyncBatchNorm(3)", ((2, 3, 4, 4),), (2, 3, 4, 4), 6, 384, 0),),
    ),
    # the legacy LocalResponseNorm of 4D inputs: the same work (16·4·4 elements × (2·3 + 2))
    LayerSpec(
        "torch.nn.CrossMapLRN2d",
        init=signature("size, alpha, beta, k", alpha=1e-4, beta=0.75, k=1),
        attributes=dict,
        parameters=lambda h: {},
        output=_cross_map_lrn_output,
        work=lambda h, inputs, out: _lrn_work(h, inputs, out),
        examples=(Example("nn.CrossMapLRN2d(3)", ((1, 16, 4, 4),), (1, 16, 4, 4), 0, 2_048, 0),),
    ),
    LayerSpec(
        "torch.nn.RMSNorm",
        init=signature("normalized_shape, eps, elementwise_affine, device, dtype", eps=None, elementwise_affine=True,
                       device=None, dtype=None),
        attributes=lambda b: {"normalized_shape": _normalized(b["normalized_shape"]), "eps": b["eps"],
                              "elementwise_affine": bool(b["elementwise_affine"])},
        parameters=lambda h: {"weight": h["normalized_shape"] if h["elementwise_affine"] else None},
        output=_rms_output,
        work=_rms_work,
        # 2·10·64 elements × 4
        examples=(Example("nn.RMSNorm(64)", ((2, 10, 64),), (2, 10, 64), 64, 5_120, 0),),
    ),
    LayerSpec(
        "torch.nn.LocalResponseNorm",
        init=signature("size, alpha, beta, k", alpha=1e-4, beta=0.75, k=1.0),
        attributes=dict,
        parameters=lambda h: {},
        output=lambda h, inputs: inputs[0],
        work=_lrn_work,
        # 16·4·4 elements × (2·5 + 2)
        examples=(Example("nn.LocalResponseNorm(5)", ((1, 16, 4, 4),), (1, 16, 4, 4), 0, 3_072, 0),),
    ),
)  # fmt: skip


def _f_batch_norm_work(bound: dict[str, Any], out: Shape) -> Work:
    # with training=True it normalizes by the batch's own statistics
    kind = WorkKind.NORM_STATS if bound["training"] else WorkKind.NORM
    return Work(kind, outputs=numel(out), inputs=numel(out), affine=bound["weight"] is not None)


def _f_group_norm_output(bound: dict[str, Any]) -> Shape:
    x, groups = bound["input"], bound["num_groups"]
    require(len(x) >= 2 and x[1] % groups == 0, f"group_norm: {list(x)} has no channels divisible into {groups} groups")
    return x


def _f_rms_norm_work(bound: dict[str, Any], out: Shape) -> Work:
    return _rms_work({"weight": bound["weight"]}, [out], out)


FUNCTIONS = (
    OpSpec(
        "torch.nn.functional.layer_norm",
        signature("input, normalized_shape, weight, bias, eps", weight=None, bias=None, eps=1e-5),
        ("input",),
        output=_f_layer_norm_output,
        work=_f_layer_norm_work,
        examples=(Example("F.layer_norm(x, (4,))", ((2, 4),), (2, 4), 0, 40, 0),),  # 5 per element
    ),
    OpSpec(
        "torch.nn.functional.batch_norm",
        signature(
            "input, running_mean, running_var, weight, bias, training, momentum, eps",
            weight=None, bias=None, training=False, momentum=0.1, eps=1e-5,
        ),
        ("input",),
        output=lambda b: b["input"],
        work=_f_batch_norm_work,
        # running statistics, scale and shift: 4 per element
        examples=(Example("F.batch_norm(x, y, y, y, y)", ((2, 3, 4), (3,)), (2, 3, 4), 0, 96, 0),),
    ),
    OpSpec(
        "torch.nn.functional.group_norm",
        signature("input, num_groups, weight, bias, eps", weight=None, bias=None, eps=1e-5),
        ("input",),
        output=_f_group_norm_output,
        work=_f_layer_norm_work,
        examples=(Example("F.group_norm(x, 2)", ((1, 4, 3, 3),), (1, 4, 3, 3), 0, 180, 0),),  # 5 per element
    ),
    OpSpec(
        "torch.nn.functional.instance_norm",
        signature(
            "input, running_mean, running_var, weight, bias, use_input_stats, momentum, eps",
            running_mean=None, running_var=None, weight=None, bias=None, use_input_stats=True, momentum=0.1, eps=1e-5,
        ),
        ("input",),
        output=lambda b: b["input"],
        work=_f_layer_norm_work,
        examples=(Example("F.instance_norm(x)", ((1, 2, 3, 3),), (1, 2, 3, 3), 0, 90, 0),),  # 5 per element
    ),
    OpSpec(
        "torch.nn.functional.rms_norm",
        signature("input, normalized_shape, weight, eps", weight=None, eps=None),
        ("input",),
        output=lambda b: _rms_output({"normalized_shape": _normalized(b["normalized_shape"])}, [b["input"]]),
        work=_f_rms_norm_work,
        examples=(Example("F.rms_norm(x, (4,))", ((2, 4),), (2, 4), 0, 24, 0),),  # square, mean, divide
    ),
    OpSpec(
        "torch.nn.functional.local_response_norm",
        signature("input, size, alpha, beta, k", alpha=1e-4, beta=0.75, k=1.0),
        ("input",),
        output=lambda b: b["input"],
        work=lambda b, out: _lrn_work({"size": b["size"]}, [out], out),
        examples=(Example("F.local_response_norm(x, 3)", ((1, 4, 2, 2),), (1, 4, 2, 2), 0, 128, 0),),  # 2·3 + 2
    ),
)  # fmt: skip

# ---------------------------------------------------------------- aten's native norms: (output, mean, rstd)
def _native_layer_norm(bound: dict[str, Any]) -> list[Shape]:
    """The normalized tensor, and its mean and reciprocal deviation, one per row: the normalized dimensions kept
    as 1."""
    x = _f_layer_norm_output(bound)
    kept = len(x) - len(_normalized(bound["normalized_shape"]))
    stats = (*x[:kept], *(1,) * (len(x) - kept))
    return [x, stats, stats]


def _native_group_norm(bound: dict[str, Any]) -> list[Shape]:
    """`(N, group)` statistics; N, C and HxW must describe the input."""
    x, n, c, hxw, groups = bound["input"], bound["N"], bound["C"], bound["HxW"], bound["group"]
    require(len(x) >= 2 and (x[0], x[1], numel(x[2:])) == (n, c, hxw), f"native_group_norm: input {list(x)} is not "
            f"N={n}, C={c}, HxW={hxw}")  # fmt: skip
    require(groups > 0 and c % groups == 0, f"Expected number of channels in input to be divisible by num_groups, but "
            f"got input of shape {list(x)} and num_groups={groups}")  # fmt: skip
    return [x, (n, groups), (n, groups)]


def _native_batch_norm(bound: dict[str, Any]) -> list[Shape]:
    """`(C,)` batch statistics when training; empty ones in eval, where the running ones are used."""
    x = bound["input"]
    require(len(x) >= 2, f"native_batch_norm: expected at least a 2D input, got {list(x)}")
    stats = (x[1],) if bound["training"] else (0,)
    return [x, stats, stats]


def _native_work(kind: Any) -> Any:
    def work(bound: dict[str, Any], out: list[Shape]) -> Work:
        return Work(kind(bound), outputs=numel(out[0]), inputs=numel(out[0]), affine=bound["weight"] is not None)

    return work


NATIVE = (
    # 5 per element without weight and bias (7 with): 6 · 7 = 42
    OpSpec(
        "torch.native_layer_norm",
        signature("input, normalized_shape, weight, bias, eps"),
        ("input", "weight", "bias"),
        output=_native_layer_norm,
        work=_native_work(lambda b: WorkKind.NORM_STATS),
        examples=(Example("torch.native_layer_norm(x, (3,), y, y, 1e-5)[0]", ((2, 3), (3,)), (2, 3), 0, 42, 0),),
    ),
    # 7 per element, affine: 1·6·3 · 7 = 126
    OpSpec(
        "torch.native_group_norm",
        signature("input, weight, bias, N, C, HxW, group, eps"),
        ("input", "weight", "bias"),
        output=_native_group_norm,
        work=_native_work(lambda b: WorkKind.NORM_STATS),
        examples=(Example("torch.native_group_norm(x, y, y, 1, 6, 3, 2, 1e-5)[0]", ((1, 6, 3), (6,)), (1, 6, 3), 0, 126,
                          0),),
    ),
    # training: the batch's statistics, 7 per element when affine: 2·3·4 · 7 = 168
    OpSpec(
        "torch.native_batch_norm",
        signature("input, weight, bias, running_mean, running_var, training, momentum, eps"),
        ("input", "weight", "bias", "running_mean", "running_var"),
        output=_native_batch_norm,
        work=_native_work(lambda b: WorkKind.NORM_STATS if b["training"] else WorkKind.NORM),
        examples=(Example("torch.native_batch_norm(x, y, y, y, y, True, 0.1, 1e-5)[0]", ((2, 3, 4), (3,)), (2, 3, 4), 0,
                          168, 0),),
    ),
)

SPECS = (*BATCH_NORMS, *STATS_LAYERS, *OTHER_NORMS, *FUNCTIONS, *NATIVE)
