"""Resampling: `nn.Upsample`, `F.interpolate`, `F.grid_sample`, `nn.PixelShuffle`, padding layers,
`nn.ChannelShuffle`.

Nearest-neighbour upsampling, pixel shuffles, padding and channel shuffles only move elements
(no arithmetic). Interpolation computes each output from its neighbours: NB the catalog records
the output elements and the mode; the seed convention prices linear interpolation at 3 operations
per output element per interpolated dimension group (2 multiplications, 1 addition along one axis),
bilinear at 7, bicubic at 31 and trilinear at 15 (docs/conventions.md).
"""

from __future__ import annotations

import math
from typing import Any

from staticflops.catalog.spec import FREE, Example, Hyper, LayerSpec, OpSpec, Shape, Work, WorkKind, numel, require
from staticflops.diagnostics import SF203
from staticflops.interpreter.calls import signature

INTERPOLATION_OPS = {"nearest": 0, "nearest-exact": 0, "linear": 3, "bilinear": 7, "bicubic": 31, "trilinear": 15,
                     "area": 0}  # fmt: skip
"""Seed operations per output element of each mode ('area' is adaptive average pooling, priced as such)."""


def resized(x: Shape, size: Any, scale_factor: Any) -> Shape:
    spatial = len(x) - 2
    require(spatial >= 1, f"interpolate expects a 3D, 4D or 5D input, got {list(x)}")
    if size is not None:
        sizes = tuple(size) if isinstance(size, (tuple, list)) else (size,) * spatial
        return (*x[:2], *sizes)
    require(scale_factor is not None, "interpolate needs either size or scale_factor")
    factors = tuple(scale_factor) if isinstance(scale_factor, (tuple, list)) else (scale_factor,) * spatial
    out = tuple(math.floor(d * f) for d, f in zip(x[2:], factors, strict=True))
    require(all(d >= 1 for d in out), f"interpolate output would be {list(out)}", SF203)
    return (*x[:2], *out)


def _interpolation_work(mode: str, inputs: Shape, out: Shape) -> Work:
    if mode == "area":
        planes = numel(out[:2])
        window = math.prod(-(-i // o) for i, o in zip(inputs[2:], out[2:], strict=True))
        return Work(
            WorkKind.AVG_POOL,
            outputs=numel(out),
            reduced=numel(out) * window,
            inputs=numel(inputs),
            window=window if planes else 0,
        )
    per = INTERPOLATION_OPS.get(mode, 0)
    if per == 0:  # copies only; the sizes still matter to counters that price by elements
        return Work(WorkKind.FREE, outputs=numel(out), inputs=numel(inputs), mode=mode)
    return Work(WorkKind.ELEMENTWISE, outputs=numel(out), inputs=numel(inputs), per_output=per, mode=mode)


UPSAMPLE_EXAMPLES = {
    # bilinear ×2 of 8·16·16: 8·32·32 outputs × 7
    "Upsample": (Example("nn.Upsample(scale_factor=2, mode='bilinear')", ((1, 8, 16, 16),), (1, 8, 32, 32), 0,
                         57_344, 0),),
    # nearest: copies only
    "UpsamplingNearest2d": (Example("nn.UpsamplingNearest2d(scale_factor=2)", ((1, 2, 3, 3),), (1, 2, 6, 6), 0, 0,
                                    0),),
    # 4·6 outputs × 7
    "UpsamplingBilinear2d": (Example("nn.UpsamplingBilinear2d(size=(4, 6))", ((1, 1, 2, 3),), (1, 1, 4, 6), 0, 168,
                                     0),),
}  # fmt: skip


def _upsample(name: str, mode: str | None) -> LayerSpec:
    init = (signature("size, scale_factor, mode, align_corners, recompute_scale_factor", size=None,
                      scale_factor=None, mode="nearest", align_corners=None, recompute_scale_factor=None)
            if mode is None else signature("size, scale_factor", size=None, scale_factor=None))  # fmt: skip

    def attributes(bound: dict[str, Any]) -> dict[str, Any]:
        return {**bound, "mode": bound.get("mode", mode)}

    return LayerSpec(
        f"torch.nn.{name}",
        init=init,
        attributes=attributes,
        parameters=lambda h: {},
        output=lambda h, inputs: resized(inputs[0], h["size"], h["scale_factor"]),
        work=lambda h, inputs, out: _interpolation_work(h["mode"], inputs[0], out),
        examples=UPSAMPLE_EXAMPLES[name],
    )


def _pixel_shuffle(bound_factor: str, up: bool) -> Any:
    def output(h: Hyper, inputs: list[Shape]) -> Shape:
        x = inputs[0]
        r = h[bound_factor]
        require(len(x) >= 3, f"pixel shuffle expects at least 3 dimensions, got {list(x)}")
        c, height, width = x[-3:]
        if up:
            require(c % (r * r) == 0, f"PixelShuffle: {c} channels are not divisible by {r}² = {r * r}")
            return (*x[:-3], c // (r * r), height * r, width * r)
        require(height % r == 0 and width % r == 0, f"PixelUnshuffle: {height}×{width} is not divisible by {r}")
        return (*x[:-3], c * r * r, height // r, width // r)

    return output


def _padded(x: Shape, padding: Any, n: int, name: str) -> Shape:
    pads = (padding,) * (2 * n) if isinstance(padding, int) else tuple(padding)
    require(len(pads) == 2 * n, f"{name}: padding must have {2 * n} values, got {len(pads)}")
    shape = list(x)
    for i in range(n):
        shape[len(x) - 1 - i] += pads[2 * i] + pads[2 * i + 1]
    return tuple(shape)


PAD_EXAMPLES: dict[str, tuple[str, Shape, Shape]] = {
    # layer: (constructor, input, output); padding only copies elements
    "ZeroPad1d": ("nn.ZeroPad1d(2)", (1, 2, 5), (1, 2, 9)),
    "ZeroPad2d": ("nn.ZeroPad2d((1, 2, 3, 4))", (1, 3, 8, 8), (1, 3, 15, 11)),
    "ZeroPad3d": ("nn.ZeroPad3d(1)", (1, 1, 2, 2, 2), (1, 1, 4, 4, 4)),
    "ConstantPad1d": ("nn.ConstantPad1d((1, 2), 0.5)", (1, 2, 4), (1, 2, 7)),
    "ConstantPad2d": ("nn.ConstantPad2d(1, 0.0)", (1, 1, 3, 3), (1, 1, 5, 5)),
    "ConstantPad3d": ("nn.ConstantPad3d((1, 0, 0, 1, 2, 0), 1.0)", (1, 1, 2, 2, 2), (1, 1, 4, 3, 3)),
    "ReflectionPad1d": ("nn.ReflectionPad1d(2)", (1, 2, 5), (1, 2, 9)),
    "ReflectionPad2d": ("nn.ReflectionPad2d(1)", (1, 1, 4, 4), (1, 1, 6, 6)),
    "ReflectionPad3d": ("nn.ReflectionPad3d(1)", (1, 1, 3, 3, 3), (1, 1, 5, 5, 5)),
    "ReplicationPad1d": ("nn.ReplicationPad1d((0, 3))", (1, 2, 4), (1, 2, 7)),
    "ReplicationPad2d": ("nn.ReplicationPad2d(2)", (1, 1, 3, 3), (1, 1, 7, 7)),
    "ReplicationPad3d": ("nn.ReplicationPad3d(1)", (1, 1, 2, 2, 2), (1, 1, 4, 4, 4)),
    "CircularPad1d": ("nn.CircularPad1d(1)", (1, 2, 4), (1, 2, 6)),
    "CircularPad2d": ("nn.CircularPad2d((1, 1, 2, 0))", (1, 1, 3, 3), (1, 1, 5, 5)),
    "CircularPad3d": ("nn.CircularPad3d(1)", (1, 1, 2, 2, 2), (1, 1, 4, 4, 4)),
}


def _pad_layer(kind: str, n: int) -> LayerSpec:
    name = f"{kind}Pad{n}d"
    init = signature("padding, value") if kind == "Constant" else signature("padding")
    source, given, padded = PAD_EXAMPLES[name]
    return LayerSpec(
        f"torch.nn.{name}",
        init=init,
        attributes=dict,
        parameters=lambda h: {},
        output=lambda h, inputs: _padded(inputs[0], h["padding"], n, name),
        work=lambda h, inputs, out: FREE,
        examples=(Example(source, (given,), padded, 0, 0, 0),),
    )


def _channel_shuffle(h: Hyper, inputs: list[Shape]) -> Shape:
    x = inputs[0]
    require(x[1] % h["groups"] == 0, f"ChannelShuffle: {x[1]} channels are not divisible by {h['groups']} groups")
    return x


LAYERS = (
    _upsample("Upsample", None),
    _upsample("UpsamplingNearest2d", "nearest"),
    _upsample("UpsamplingBilinear2d", "bilinear"),
    LayerSpec("torch.nn.PixelShuffle", init=signature("upscale_factor"), attributes=dict, parameters=lambda h: {},
              output=_pixel_shuffle("upscale_factor", up=True), work=lambda h, inputs, out: FREE,
              examples=(Example("nn.PixelShuffle(2)", ((1, 16, 8, 8),), (1, 4, 16, 16), 0, 0, 0),)),
    LayerSpec("torch.nn.PixelUnshuffle", init=signature("downscale_factor"), attributes=dict, parameters=lambda h: {},
              output=_pixel_shuffle("downscale_factor", up=False), work=lambda h, inputs, out: FREE,
              examples=(Example("nn.PixelUnshuffle(2)", ((1, 1, 4, 4),), (1, 4, 2, 2), 0, 0, 0),)),
    LayerSpec("torch.nn.ChannelShuffle", init=signature("groups"), attributes=dict, parameters=lambda h: {},
              output=_channel_shuffle, work=lambda h, inputs, out: FREE,
              examples=(Example("nn.ChannelShuffle(2)", ((1, 8, 4, 4),), (1, 8, 4, 4), 0, 0, 0),)),
    *(_pad_layer(kind, n) for kind in ("Zero", "Constant", "Reflection", "Replication", "Circular") for n in (1, 2, 3)),
)  # fmt: skip


def _interpolate_output(bound: dict[str, Any]) -> Shape:
    return resized(bound["input"], bound["size"], bound["scale_factor"])


def _f_upsample(name: str, mode: str | None, example: Example) -> OpSpec:
    """`F.interpolate` and its deprecated spellings, which call it with a fixed mode."""
    params = "input, size, scale_factor" + (", mode, align_corners" if mode is None else "")
    if name == "interpolate":
        params += ", recompute_scale_factor, antialias"
    return OpSpec(
        f"torch.nn.functional.{name}",
        signature(params, size=None, scale_factor=None, mode="nearest", align_corners=None,
                  recompute_scale_factor=None, antialias=False),
        ("input",),
        output=_interpolate_output,
        work=lambda b, out: _interpolation_work(mode or b["mode"], b["input"], out),
        examples=(example,),
    )  # fmt: skip


GRID_SAMPLE_OPS = {"nearest": 0, "bilinear": 7, "bicubic": 31}
"""Seed operations per output element of `F.grid_sample` on a 4-D input: the weighted sum of the 1, 4 or 16
neighbours each mode reads, as `F.interpolate`; on a 5-D input 'bilinear' reads 8 (trilinear, 15)."""


def _grid_sample_output(bound: dict[str, Any]) -> Shape:
    """(N, C, H, W) sampled at a grid (N, Ho, Wo, 2) is (N, C, Ho, Wo); 5-D with a grid of 3-vectors alike."""
    x, grid = bound["input"], bound["grid"]
    require(len(x) in (4, 5), f"grid_sample expects a 4-D or 5-D input, got {list(x)}")
    spatial = len(x) - 2
    require(
        len(grid) == len(x) and grid[0] == x[0] and grid[-1] == spatial,
        f"grid_sample: a {len(x)}-D input of batch {x[0]} needs a grid (N, {', '.join('…' * spatial)}, {spatial}) "
        f"of the same batch, got {list(grid)}",
    )
    return (*x[:2], *grid[1:-1])


def _grid_sample_work(bound: dict[str, Any], out: Shape) -> Work:
    mode = bound["mode"]
    per = 15 if mode == "bilinear" and len(out) == 5 else GRID_SAMPLE_OPS.get(mode, 0)
    kind = WorkKind.ELEMENTWISE if per else WorkKind.FREE
    return Work(kind, outputs=numel(out), inputs=numel(bound["input"]), per_output=per or 1, mode=mode)


def _f_shuffle(name: str, rule: Any, factor: str, example: Example) -> OpSpec:
    return OpSpec(
        f"torch.nn.functional.{name}",
        signature(f"input, {factor}"),
        ("input",),
        output=lambda b: rule(b, [b["input"]]),
        work=lambda b, out: FREE,
        examples=(example,),
    )


OPS = (
    # bilinear ×2 of 2·3·3: 2·6·6 outputs × 7
    _f_upsample("interpolate", None, Example("F.interpolate(x, scale_factor=2, mode='bilinear')", ((1, 2, 3, 3),),
                                             (1, 2, 6, 6), 0, 504, 0)),
    _f_upsample("upsample", None, Example("F.upsample(x, size=(6, 6), mode='bilinear')", ((1, 2, 3, 3),),
                                          (1, 2, 6, 6), 0, 504, 0)),
    _f_upsample("upsample_nearest", "nearest", Example("F.upsample_nearest(x, scale_factor=2)", ((1, 2, 3, 3),),
                                                       (1, 2, 6, 6), 0, 0, 0)),
    _f_upsample("upsample_bilinear", "bilinear", Example("F.upsample_bilinear(x, scale_factor=2)", ((1, 2, 3, 3),),
                                                         (1, 2, 6, 6), 0, 504, 0)),
    # 1·3 channels × 4·5 sampled points: 60 outputs × 7
    OpSpec("torch.nn.functional.grid_sample",
           signature("input, grid, mode, padding_mode, align_corners", mode="bilinear", padding_mode="zeros",
                     align_corners=None),
           ("input", "grid"), output=_grid_sample_output, work=_grid_sample_work,
           examples=(Example("F.grid_sample(x, y, align_corners=False)", ((1, 3, 8, 8), (1, 4, 5, 2)), (1, 3, 4, 5),
                             0, 420, 0),)),
    _f_shuffle("pixel_shuffle", _pixel_shuffle("upscale_factor", up=True), "upscale_factor",
               Example("F.pixel_shuffle(x, 2)", ((1, 8, 2, 2),), (1, 2, 4, 4), 0, 0, 0)),
    _f_shuffle("pixel_unshuffle", _pixel_shuffle("downscale_factor", up=False), "downscale_factor",
               Example("F.pixel_unshuffle(x, 2)", ((1, 2, 4, 4),), (1, 8, 2, 2), 0, 0, 0)),
    _f_shuffle("channel_shuffle", _channel_shuffle, "groups",
               Example("F.channel_shuffle(x, 2)", ((1, 4, 2, 2),), (1, 4, 2, 2), 0, 0, 0)),
)  # fmt: skip

SPECS = LAYERS + OPS
