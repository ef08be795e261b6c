"""Other names of catalog entries: one table of how torch spells the same op elsewhere.

`torch.conv2d` is `F.conv2d`, `torch._C._nn.gelu` is `F.gelu`, `torch.ops.aten.addmm.default` is
`torch.addmm`, `torch._VariableFunctions.matmul` is `torch.matmul`. A spelling runs the entry it names;
the call records the spelling too, because a counter that patches names (ptflops) sees only the names it
patched. Where a spelling's parameters differ from the entry's (`torch.batch_norm` orders them
otherwise, `torch.embedding` takes the weight first, `torch.layer_norm` takes a `cudnn_enable` flag),
the spelling's own signature binds the call and its arguments reach the entry by name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from staticflops.interpreter.calls import signature
from staticflops.interpreter.values import Param


def _stride(arguments: dict[str, Any]) -> dict[str, Any]:
    """aten's pools take `stride=[]` for "the kernel size", which F spells None."""
    if arguments.get("stride") in ([], ()):
        arguments["stride"] = None
    return arguments


def _indices(arguments: dict[str, Any]) -> dict[str, Any]:
    """`torch.adaptive_max_pool1d`, `torch._C._nn.adaptive_max_pool2d` always return `(values, indices)`."""
    return {**arguments, "return_indices": True}


def _upsample(mode: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """aten's `upsample_<mode>(input, output_size, [align_corners,] scale_factors)` as `F.interpolate`."""

    def adapt(arguments: dict[str, Any]) -> dict[str, Any]:
        scale = arguments.pop("scale_factors", None)
        adapted = {"input": arguments["input"], "size": arguments.get("output_size"), "mode": mode}
        adapted["scale_factor"] = tuple(scale) if isinstance(scale, list) else scale
        if "align_corners" in arguments:
            adapted["align_corners"] = arguments["align_corners"]
        return adapted

    return adapt


def _pad(mode: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """aten's `reflection_pad2d(input, padding)` and friends as `F.pad(input, pad, mode)`."""
    return lambda arguments: {"input": arguments["input"], "pad": arguments["padding"], "mode": mode}


@dataclass(frozen=True)
class Spelling:
    entry: str
    """The catalog entry it runs."""
    params: tuple[Param, ...] | None = None
    """Its own signature, when it differs from the entry's; None: the call's arguments go to the entry as given."""
    rename: Mapping[str, str] = field(default_factory=dict)
    """Its parameter → the entry's."""
    drop: tuple[str, ...] = ()
    """Its parameters the entry has no use for (`cudnn_enabled`)."""
    adapt: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    choose: Callable[[dict[str, Any]], str | None] | None = None
    """The entry, when the arguments decide it (`aten.convolution`: by the weight's rank and `transposed`); None
    from it: no entry can say (a weight of unknown shape)."""


def _convolution(arguments: dict[str, Any]) -> str | None:
    """`aten.convolution(..., transposed, output_padding, groups)`: `F.conv{n}d` or `F.conv_transpose{n}d`."""
    rank = getattr(arguments.get("weight"), "shape", None)
    if rank is None or not 3 <= len(rank) <= 5:
        return None
    return F + f"conv{'_transpose' if arguments.get('transposed') else ''}{len(rank) - 2}d"


def _convolution_arguments(arguments: dict[str, Any]) -> dict[str, Any]:
    transposed = arguments.pop("transposed")
    if not transposed:
        arguments.pop("output_padding")
    return arguments


GRID_MODES = {0: "bilinear", 1: "nearest", 2: "bicubic"}
GRID_PADDINGS = {0: "zeros", 1: "border", 2: "reflection"}


def _grid_sampler(arguments: dict[str, Any]) -> dict[str, Any]:
    """aten's `grid_sampler_2d(input, grid, interpolation_mode, padding_mode, align_corners)` numbers the modes
    F.grid_sample names."""
    mode, padding = arguments.pop("interpolation_mode"), arguments.pop("padding_mode")
    return {**arguments, "mode": GRID_MODES.get(mode, mode), "padding_mode": GRID_PADDINGS.get(padding, padding)}


F = "torch.nn.functional."
POOL = "input, kernel_size, stride, padding, dilation, ceil_mode"
AVG_POOL = "input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override"

SPELLINGS: dict[str, Spelling] = {
    # torch.* functions that are F's under another name
    **{f"torch.{name}": Spelling(F + name) for name in (
        "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "bilinear",
        "prelu", "selu", "celu", "avg_pool1d", "adaptive_avg_pool1d", "log_softmax", "rms_norm", "pixel_shuffle",
        "pixel_unshuffle", "channel_shuffle")},
    **{f"torch.max_pool{n}d": Spelling(F + f"max_pool{n}d", signature(POOL, stride=(), padding=0, dilation=1,
                                                                        ceil_mode=False), adapt=_stride)
       for n in (1, 2, 3)},
    "torch.adaptive_max_pool1d": Spelling(F + "adaptive_max_pool1d", signature("input, output_size"), adapt=_indices),
    **{f"torch.{name}": Spelling(F + name, signature("input, p, train"), rename={"train": "training"})
       for name in ("dropout", "alpha_dropout", "feature_alpha_dropout")},
    "torch.layer_norm": Spelling(F + "layer_norm", signature(
        "input, normalized_shape, weight, bias, eps, cudnn_enable", weight=None, bias=None, eps=1e-5,
        cudnn_enable=True), drop=("cudnn_enable",)),
    "torch.group_norm": Spelling(F + "group_norm", signature(
        "input, num_groups, weight, bias, eps, cudnn_enabled", weight=None, bias=None, eps=1e-5,
        cudnn_enabled=True), drop=("cudnn_enabled",)),
    "torch.batch_norm": Spelling(F + "batch_norm", signature(
        "input, weight, bias, running_mean, running_var, training, momentum, eps, cudnn_enabled"),
        drop=("cudnn_enabled",)),
    "torch.instance_norm": Spelling(F + "instance_norm", signature(
        "input, weight, bias, running_mean, running_var, use_input_stats, momentum, eps, cudnn_enabled"),
        drop=("cudnn_enabled",)),
    "torch.embedding": Spelling(F + "embedding", signature(
        "weight, indices, padding_idx, scale_grad_by_freq, sparse", padding_idx=-1, scale_grad_by_freq=False,
        sparse=False), rename={"indices": "input"}, drop=("padding_idx",)),
    # torch._C._nn, where F's functions are implemented
    **{f"torch._C._nn.{name}": Spelling(F + name) for name in (
        "linear", "relu6", "leaky_relu", "elu", "gelu", "silu", "mish", "hardswish", "hardsigmoid", "hardtanh",
        "softplus", "adaptive_avg_pool2d", "adaptive_avg_pool3d", "pad", "scaled_dot_product_attention",
        "one_hot")},
    **{f"torch._C._nn.avg_pool{n}d": Spelling(F + f"avg_pool{n}d", signature(
        AVG_POOL, stride=(), padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None),
        adapt=_stride) for n in (2, 3)},
    **{f"torch._C._nn.adaptive_max_pool{n}d": Spelling(F + f"adaptive_max_pool{n}d", signature("input, output_size"),
                                                       adapt=_indices) for n in (2, 3)},
    **{f"torch._C._nn.upsample_{mode}{n}d": Spelling(F + "interpolate", signature(
        "input, output_size, align_corners, scale_factors", scale_factors=None), adapt=_upsample(mode))
       for mode, n in (("linear", 1), ("bilinear", 2), ("bicubic", 2), ("trilinear", 3))},
    **{f"torch._C._nn.upsample_nearest{n}d": Spelling(F + "interpolate", signature(
        "input, output_size, scale_factors", scale_factors=None), adapt=_upsample("nearest")) for n in (1, 2, 3)},
    **{f"torch._C._nn.{kind}_pad{n}d": Spelling(F + "pad", signature("input, padding"), adapt=_pad(mode))
       for kind, mode in (("reflection", "reflect"), ("replication", "replicate")) for n in (1, 2, 3)},
    "torch.constant_pad_nd": Spelling(F + "pad", signature("input, pad, value", value=0)),
    **{f"torch.{name}": Spelling(F + "grid_sample", signature(
        "input, grid, interpolation_mode, padding_mode, align_corners"), adapt=_grid_sampler)
       for name in ("grid_sampler", "grid_sampler_2d", "grid_sampler_3d")},
    # aten's own names
    **{name: Spelling(F + "conv2d", signature(
        "input, weight, bias, stride, padding, dilation, transposed, output_padding, groups"),
        adapt=_convolution_arguments, choose=_convolution)
       for name in ("torch.convolution", "torch.ops.aten.convolution")},
    "torch.ops.aten._softmax": Spelling("torch.softmax", signature("input, dim, half_to_float"),
                                        drop=("half_to_float",)),
    "torch.ops.aten._log_softmax": Spelling(F + "log_softmax", signature("input, dim, half_to_float"),
                                            drop=("half_to_float",)),
    # the same product under another name
    "torch.linalg.matmul": Spelling("torch.matmul"),
    "torch.ger": Spelling("torch.outer"),
    "torch.Tensor.ger": Spelling("torch.Tensor.outer"),
    "torch.vdot": Spelling("torch.dot", signature("input, other"), rename={"other": "tensor"}),
    "torch.Tensor.vdot": Spelling("torch.Tensor.dot", signature("input, other"), rename={"other": "tensor"}),
}  # fmt: skip

RENAMED_NAMESPACES = {
    "torch._VariableFunctions.": ("torch.",),
    "torch._C._VariableFunctions.": ("torch.",),
    "torch._C._nn.": (F,),
    "torch.ops.aten.": ("torch.", "torch.Tensor.", "torch._C._nn.", F),
}
"""Namespaces whose names are those of others: an aten op is found as `torch.name`, `Tensor.name` or `F.name`
(`torch.ops.aten.conv2d`, `aten.view`)."""


def spelling(qualname: str, known: Callable[[str], bool]) -> Spelling | None:
    """What `qualname` is another name of: the table's entry, or the same name in the namespace it renames
    (`known` says which names the catalog has)."""
    if qualname in SPELLINGS:
        return SPELLINGS[qualname]
    for prefix, targets in RENAMED_NAMESPACES.items():
        if qualname.startswith(prefix):
            name = qualname[len(prefix) :]
            for target in targets:
                if (target + name) in SPELLINGS:
                    return SPELLINGS[target + name]
                if known(target + name):
                    return Spelling(target + name)
    function = not qualname.startswith("torch.Tensor.")  # methods write into their tensor (torchmodel.ops)
    if function and qualname.endswith("_") and known(qualname[:-1]):
        return Spelling(qualname[:-1])  # `F.elu_(x)`, `torch.exp_(x)`: the result has the input's shape
    return None
