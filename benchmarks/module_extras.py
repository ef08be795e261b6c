"""The `torch.nn` modules ModuleInfo has no entry for, and the ways of calling its modules it has no sample of,
as samples of our own for benchmarks/moduleinfo_coverage.py: each a constructor call and forward inputs.

A tensor input is `T(shape)` (float32), `T(shape, "int64", high=n)` for indices below n (zeros by default); an
input that is no tensor is its Python value. Values only matter where torch checks them (indices in range,
`EmbeddingBag`'s offsets); the shapes are what is compared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class T:
    """A tensor input of this shape and dtype (uniform in [0, 1) for floats, in [0, high) for integers)."""

    shape: tuple[int, ...]
    dtype: str = "float32"
    high: int = 1


@dataclass(frozen=True)
class Call:
    """One sample: the module's constructor arguments and forward()'s."""

    ctor: tuple[Any, ...] = ()
    ctor_kwargs: dict[str, Any] = field(default_factory=dict)
    forward: tuple[Any, ...] = ()
    forward_kwargs: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Built:
    """A module passed to the constructor (`TransformerDecoder`'s layer), built by `factory` when the sample is."""

    factory: Any


def decoder_layer() -> Any:
    import torch.nn as nn

    return nn.TransformerDecoderLayer(4, 2, dim_feedforward=8, dropout=0.0)


EXTRAS: dict[str, tuple[Call, ...]] = {
    # modules ModuleInfo lacks
    "nn.AdaptiveLogSoftmaxWithLoss": (
        Call((16, 10, [4, 8]), {"div_value": 2.0}, (T((3, 16)), T((3,), "int64", 10))),
        Call((16, 10, [4]), {"head_bias": True}, (T((16,)), T((), "int64", 10))),
    ),
    "nn.AlphaDropout": (Call((0.2,), {}, (T((2, 3)),)),),
    "nn.ChannelShuffle": (Call((2,), {}, (T((1, 4, 3, 3)),)),),
    "nn.CosineSimilarity": (Call((), {"dim": 1}, (T((2, 5)), T((2, 5)))), Call((), {}, (T((2, 5, 3)), T((1, 5, 3))))),
    "nn.CrossMapLRN2d": (Call((3,), {}, (T((1, 4, 5, 5)),)),),
    "nn.Dropout": (Call((0.5,), {}, (T((2, 3)),)),),
    "nn.Dropout1d": (Call((0.5,), {}, (T((2, 3, 4)),)),),
    "nn.Dropout2d": (Call((0.5,), {}, (T((2, 3, 4, 4)),)),),
    "nn.Dropout3d": (Call((0.5,), {}, (T((2, 3, 2, 2, 2)),)),),
    "nn.EmbeddingBag": (
        Call((10, 3), {"mode": "sum"}, (T((2, 4), "int64", 10),)),
        Call((10, 3), {"mode": "max"}, (T((8,), "int64", 10), T((3,), "int64", 1))),
        Call((10, 3), {"mode": "mean", "include_last_offset": True}, (T((8,), "int64", 10), T((3,), "int64", 1))),
        Call((10, 3), {"mode": "sum", "padding_idx": 0}, (T((2, 4), "int64", 10),)),
    ),
    "nn.FeatureAlphaDropout": (Call((0.2,), {}, (T((2, 3, 4, 4)),)),),
    "nn.Flatten": (Call((), {}, (T((2, 3, 4)),)), Call((0, 1), {}, (T((2, 3, 4)),))),
    "nn.Fold": (Call((), {"output_size": (4, 5), "kernel_size": 2}, (T((1, 12, 12)),)),
                Call((), {"output_size": 6, "kernel_size": 3, "stride": 2, "padding": 1}, (T((2, 18, 9)),))),
    "nn.Hardsigmoid": (Call((), {}, (T((2, 3)),)),),
    "nn.Identity": (Call((54,), {"unused": "argument"}, (T((2, 3)),)),),
    "nn.LazyBatchNorm1d": (Call((), {}, (T((4, 3)),)), Call((), {"affine": False}, (T((4, 3, 5)),))),
    "nn.LazyBatchNorm2d": (Call((), {}, (T((2, 3, 4, 4)),)),),
    "nn.LazyBatchNorm3d": (Call((), {}, (T((2, 3, 2, 2, 2)),)),),
    "nn.LazyInstanceNorm1d": (Call((), {"affine": True}, (T((2, 3, 5)),)),),
    "nn.LazyInstanceNorm2d": (Call((), {}, (T((2, 3, 4, 4)),)),),
    "nn.LazyInstanceNorm3d": (Call((), {"affine": True, "track_running_stats": True}, (T((2, 3, 2, 2, 2)),)),),
    "nn.LazyLinear": (Call((5,), {}, (T((2, 3)),)), Call((5,), {"bias": False}, (T((2, 4, 3)),))),
    "nn.MaxUnpool1d": (Call((2,), {}, (T((1, 2, 4)), T((1, 2, 4), "int64"))),
                       Call((2,), {}, (T((1, 2, 4)), T((1, 2, 4), "int64")), {"output_size": [9]})),
    "nn.MaxUnpool2d": (Call((2,), {"stride": 2}, (T((1, 2, 2, 3)), T((1, 2, 2, 3), "int64"))),),
    "nn.MaxUnpool3d": (Call((2,), {}, (T((1, 1, 2, 2, 2)), T((1, 1, 2, 2, 2), "int64"))),),
    "nn.NLLLoss2d": (Call((), {}, (T((2, 3, 4, 4)), T((2, 4, 4), "int64", 3))),),
    "nn.PairwiseDistance": (Call((), {}, (T((2, 5)), T((2, 5)))), Call((), {"keepdim": True}, (T((2, 5)), T((2, 5))))),
    "nn.PixelShuffle": (Call((2,), {}, (T((1, 8, 3, 3)),)),),
    "nn.PixelUnshuffle": (Call((2,), {}, (T((1, 2, 4, 4)),)),),
    "nn.RReLU": (Call((), {}, (T((2, 3)),)),),
    "nn.SyncBatchNorm": (Call((3,), {}, (T((2, 3, 4, 4)),)),),
    "nn.TransformerDecoder": (
        Call((Built(decoder_layer), 2), {}, (T((3, 2, 4)), T((5, 2, 4)))),
        Call((Built(decoder_layer), 1), {"norm": None}, (T((3, 4)), T((5, 4)))),
    ),
    "nn.TripletMarginLoss": (Call((), {}, (T((2, 5)), T((2, 5)), T((2, 5)))),
                             Call((), {"reduction": "none", "swap": True}, (T((2, 5)), T((2, 5)), T((2, 5))))),
    "nn.TripletMarginWithDistanceLoss": (
        Call((), {}, (T((2, 5)), T((2, 5)), T((2, 5)))),
        Call((), {"swap": True, "reduction": "none", "margin": 0.5}, (T((2, 5)), T((2, 5)), T((2, 5)))),
        Call((), {"reduction": "sum"}, (T((5,)), T((5,)), T((5,)))),
    ),
    "nn.Unflatten": (Call((1, (2, 3)), {}, (T((4, 6)),)),),
    "nn.Unfold": (Call((2,), {}, (T((1, 3, 4, 5)),)), Call((3,), {"padding": 1, "stride": 2}, (T((2, 2, 5, 5)),))),
    "nn.Upsample": (Call((), {"scale_factor": 2}, (T((1, 2, 3, 3)),)),
                    Call((), {"size": (5, 7), "mode": "bilinear"}, (T((1, 2, 3, 3)),)),
                    Call((), {"scale_factor": 1.5, "mode": "trilinear"}, (T((1, 1, 2, 2, 2)),)),
                    Call((), {"size": 6, "mode": "linear", "align_corners": True}, (T((1, 2, 3)),))),
    "nn.UpsamplingBilinear2d": (Call((), {"scale_factor": 2}, (T((1, 2, 3, 3)),)),),
    "nn.UpsamplingNearest2d": (Call((), {"size": 4}, (T((1, 2, 3, 3)),)),),
    # ways of calling ModuleInfo's modules it has no sample of
    "nn.Conv2d[padding_mode]": tuple(
        Call((3, 4, 3), {"padding": 1, "padding_mode": mode}, (T((1, 3, 5, 6)),))
        for mode in ("reflect", "replicate", "circular")
    ),
    "nn.Conv1d[padding_mode]": (Call((3, 4, 3), {"padding": 2, "padding_mode": "circular"}, (T((1, 3, 5)),)),),
    "nn.ConvTranspose2d[output_size]": (
        Call((3, 4, 3), {"stride": 2}, (T((1, 3, 4, 4)),), {"output_size": [10, 10]}),
    ),
    "nn.MultiheadAttention[kdim, vdim]": (
        Call((8, 2), {"kdim": 4, "vdim": 6}, (T((3, 2, 8)), T((5, 2, 4)), T((5, 2, 6)))),
        Call((8, 2), {"kdim": 4, "vdim": 6, "batch_first": True}, (T((2, 3, 8)), T((2, 5, 4)), T((2, 5, 6))),
             {"need_weights": False}),
    ),
    "nn.LSTM[proj_size, bidirectional, batch_first]": (
        Call((4, 6), {"num_layers": 2, "proj_size": 3, "bidirectional": True, "batch_first": True},
             (T((2, 5, 4)),)),
        Call((4, 6), {"num_layers": 3, "bidirectional": True}, (T((5, 4)),)),
    ),
    "nn.GRU[bidirectional, batch_first]": (
        Call((4, 6), {"num_layers": 2, "bidirectional": True, "batch_first": True}, (T((2, 5, 4)),)),
    ),
    "nn.Embedding[padding_idx, max_norm]": (
        Call((10, 3), {"padding_idx": 0}, (T((2, 4), "int64", 10),)),
        Call((10, 3), {"max_norm": 1.0}, (T((2, 4), "int64", 10),)),
    ),
    "nn.Transformer[custom]": (
        Call((), {"d_model": 8, "nhead": 2, "num_encoder_layers": 1, "num_decoder_layers": 2,
                  "dim_feedforward": 16, "dropout": 0.0, "activation": "gelu"}, (T((5, 2, 8)), T((3, 2, 8)))),
    ),
}  # fmt: skip
"""Samples by name: a module's name, or `name[what is new]` for ModuleInfo's modules called in other ways."""

NOT_MODULES = {
    "Module": "the base class of every module",
    "Container": "a deprecated base class",
    "Sequential": "a container: what it holds is counted",
    "ModuleList": "a container: what it holds is counted",
    "ModuleDict": "a container: what it holds is counted",
    "ParameterList": "a container of parameters",
    "ParameterDict": "a container of parameters",
    "RNNBase": "the base class of RNN, LSTM and GRU",
    "RNNCellBase": "the base class of the RNN cells",
    "DataParallel": "runs a module on several devices",
}
"""`torch.nn` classes that are no layer to sample, with the reason."""


@dataclass
class Inputs:
    """As ModuleInfo's `FunctionInput`: positional and keyword arguments."""

    args: tuple[Any, ...]
    kwargs: dict[str, Any]


@dataclass
class Sample:
    """As ModuleInfo's `ModuleInput`."""

    desc: str
    constructor_input: Inputs
    forward_input: Inputs


@dataclass
class ExtraInfo:
    """As a ModuleInfo entry: its name, its class and its samples (float32 only)."""

    name: str
    module_cls: Any
    samples: list[Sample]


def _value(value: Any) -> Any:
    import torch

    if isinstance(value, T):
        dtype = getattr(torch, value.dtype)
        if dtype.is_floating_point:
            return torch.rand(value.shape, dtype=dtype)
        return torch.randint(0, value.high, value.shape, dtype=dtype)
    if isinstance(value, Built):
        return value.factory()
    return value


def extra_infos() -> list[ExtraInfo]:
    import torch.nn as nn

    infos = []
    for name, calls in EXTRAS.items():
        cls = getattr(nn, name.split("[")[0].removeprefix("nn."))
        samples = [
            Sample(
                "",
                Inputs(tuple(_value(v) for v in call.ctor), {k: _value(v) for k, v in call.ctor_kwargs.items()}),
                Inputs(tuple(_value(v) for v in call.forward), {k: _value(v) for k, v in call.forward_kwargs.items()}),
            )
            for call in calls
        ]
        infos.append(ExtraInfo(name, cls, samples))
    return infos
