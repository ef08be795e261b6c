"""Convolutions: `nn.Conv1d/2d/3d`, transposed and lazy, and their `F.conv*` functions.

An output element of a convolution sums `(Cin/groups)·∏K` products, so a call does
`N·Cout·∏out·(Cin/groups)·∏K` multiply–accumulates, plus one bias addition per output.
"""

from __future__ import annotations

from typing import Any

from staticflops.catalog.spec import (
    FORWARD,
    SF201,
    Example,
    Hyper,
    LayerSpec,
    OpSpec,
    Shape,
    ShapeError,
    Work,
    WorkKind,
    ntuple,
    numel,
    require,
)
from staticflops.diagnostics import SF203
from staticflops.interpreter.calls import signature


def conv_out_size(size: int, kernel: int, stride: int, padding: int, dilation: int) -> int:
    """torch's formula: floor((in + 2p − d·(k−1) − 1) / s) + 1."""
    return (size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1


def _check_groups(bound: dict[str, Any]) -> None:
    if bound["in_channels"] % bound["groups"] or bound["out_channels"] % bound["groups"]:
        raise ShapeError(
            SF201,
            f"in_channels ({bound['in_channels']}) and out_channels ({bound['out_channels']}) "
            f"must be divisible by groups ({bound['groups']})",
        )


def _conv_attributes(n: int) -> Any:
    def attributes(bound: dict[str, Any]) -> dict[str, Any]:
        kernel = ntuple(bound["kernel_size"], n, "kernel_size")
        dilation = ntuple(bound["dilation"], n, "dilation")
        padding = bound["padding"]
        if isinstance(padding, str):
            if padding not in ("same", "valid"):
                raise ShapeError(SF201, f"padding='{padding}' is not one of 'same', 'valid'")
        else:
            padding = ntuple(padding, n, "padding")
        _check_groups(bound)
        return {
            "in_channels": bound["in_channels"],
            "out_channels": bound["out_channels"],
            "kernel_size": kernel,
            "stride": ntuple(bound["stride"], n, "stride"),
            "padding": padding,
            "dilation": dilation,
            "transposed": False,
            "output_padding": (0,) * n,
            "groups": bound["groups"],
            "padding_mode": bound["padding_mode"],
            "bias": bool(bound["bias"]),
        }

    return attributes


def _conv_parameters(h: Hyper) -> dict[str, Shape | None]:
    weight = (h["out_channels"], h["in_channels"] // h["groups"], *h["kernel_size"])
    return {"weight": weight, "bias": (h["out_channels"],) if h["bias"] else None}


def _conv_output(n: int) -> Any:
    def output(h: Hyper, inputs: list[Shape]) -> Shape:
        (x,) = inputs
        name = f"Conv{n}d"
        require(
            len(x) in (n + 1, n + 2),
            f"{name} expects a {n + 1}D or {n + 2}D input, got shape {list(x)}",
        )
        channels = x[-n - 1]
        require(
            channels == h["in_channels"],
            f"{name} expects {h['in_channels']} input channels (in_channels), but the input has {channels}",
        )
        spatial = x[-n:]
        if h["padding"] == "same":
            out = spatial
        else:
            padding = (0,) * n if h["padding"] == "valid" else h["padding"]
            out = tuple(
                conv_out_size(size, k, s, p, d)
                for size, k, s, p, d in zip(spatial, h["kernel_size"], h["stride"], padding, h["dilation"], strict=True)
            )
        require(
            all(size >= 1 for size in out),
            f"{name} output would be {list(out)}: the input {list(spatial)} is too small for "
            f"kernel {list(h['kernel_size'])}",
            SF203,
        )
        return (*x[: -n - 1], h["out_channels"], *out)

    return output


def _conv_work(h: Hyper, inputs: list[Shape], out: Shape) -> Work:
    per_output = (h["in_channels"] // h["groups"]) * numel(h["kernel_size"])
    return Work(
        WorkKind.CONV,
        outputs=numel(out),
        macs=numel(out) * per_output,
        bias=h["bias"] is not None,
        inputs=numel(inputs[0]),
    )


_INIT = signature(
    "in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias, padding_mode, device, dtype",
    stride=1,
    padding=0,
    dilation=1,
    groups=1,
    bias=True,
    padding_mode="zeros",
    device=None,
    dtype=None,
)


def _conv(n: int, examples: tuple[Example, ...] = ()) -> LayerSpec:
    return LayerSpec(
        f"torch.nn.Conv{n}d",
        init=_INIT,
        attributes=_conv_attributes(n),
        parameters=_conv_parameters,
        output=_conv_output(n),
        work=_conv_work,
        examples=examples,
    )


CONVS = (
    _conv(
        1,
        (
            # 8 out channels × 30 positions, each 2·(4·3) − 1 = 23, + 1 bias = 24 → 8·30·24 = 5760
            Example("nn.Conv1d(4, 8, 3)", ((1, 4, 32),), (1, 8, 30), 104, 5760, 2880),
        ),
    ),
    _conv(
        2,
        (
            # the reference document: 3×3 kernel on 5×5, no padding, no bias: 9 outputs × (2·9 − 1) = 153
            Example("nn.Conv2d(1, 1, 3, bias=False)", ((1, 1, 5, 5),), (1, 1, 3, 3), 9, 153, 81),
            # the reference document: 3×300×300, 64 filters, padding 1: (2·27 − 1)·300·300·64
            Example(
                "nn.Conv2d(3, 64, 3, padding=1, bias=False)",
                ((1, 3, 300, 300),),
                (1, 64, 300, 300),
                1728,
                305_280_000,
                155_520_000,
            ),
            # with bias: 2·27·300·300·64
            Example(
                "nn.Conv2d(3, 64, 3, padding=1)", ((1, 3, 300, 300),), (1, 64, 300, 300), 1792, 311_040_000, 155_520_000
            ),
            # depthwise, stride 2: 32·56·56 outputs × (2·9 − 1)
            Example(
                "nn.Conv2d(32, 32, 3, stride=2, padding=1, groups=32, bias=False)",
                ((1, 32, 112, 112),),
                (1, 32, 56, 56),
                288,
                1_705_984,
                903_168,
            ),
            # dilation 2, 'same' padding: 16·20·20 outputs × 2·(8·9)
            Example(
                "nn.Conv2d(8, 16, 3, padding='same', dilation=2)",
                ((2, 8, 10, 10),),
                (2, 16, 10, 10),
                1168,
                460_800,
                230_400,
            ),
        ),
    ),
    _conv(
        3,
        (
            # 4·6·6·6 outputs × (2·(2·27) − 1) = 864 · 107
            Example(
                "nn.Conv3d(2, 4, 3, padding=1, bias=False)", ((1, 2, 6, 6, 6),), (1, 4, 6, 6, 6), 216, 92_448, 46_656
            ),
        ),
    ),
)


# ---------------------------------------------------------------- transposed convolutions
def conv_transpose_out_size(size: int, kernel: int, stride: int, padding: int, dilation: int, extra: int) -> int:
    """torch's formula: (in − 1)·s − 2p + d·(k − 1) + output_padding + 1."""
    return (size - 1) * stride - 2 * padding + dilation * (kernel - 1) + extra + 1


def covered_positions(size: int, out: int, kernel: int, stride: int, padding: int, dilation: int) -> int:
    """Output positions along one dimension that receive at least one product: all of them when the
    stride is at most the (dilated) kernel, fewer when the kernel leaves gaps."""
    hit = {i * stride - padding + k * dilation for i in range(size) for k in range(kernel)}
    return sum(1 for position in hit if 0 <= position < out)


def _conv_transpose_attributes(n: int) -> Any:
    def attributes(bound: dict[str, Any]) -> dict[str, Any]:
        _check_groups(bound)
        return {
            "in_channels": bound["in_channels"],
            "out_channels": bound["out_channels"],
            "kernel_size": ntuple(bound["kernel_size"], n, "kernel_size"),
            "stride": ntuple(bound["stride"], n, "stride"),
            "padding": ntuple(bound["padding"], n, "padding"),
            "dilation": ntuple(bound["dilation"], n, "dilation"),
            "transposed": True,
            "output_padding": ntuple(bound["output_padding"], n, "output_padding"),
            "groups": bound["groups"],
            "padding_mode": bound["padding_mode"],
            "bias": bool(bound["bias"]),
        }

    return attributes


def _conv_transpose_parameters(h: Hyper) -> dict[str, Shape | None]:
    weight = (h["in_channels"], h["out_channels"] // h["groups"], *h["kernel_size"])
    return {"weight": weight, "bias": (h["out_channels"],) if h["bias"] else None}


def _conv_transpose_output(n: int) -> Any:
    def output(h: Hyper, inputs: list[Shape]) -> Shape:
        (x,) = inputs
        name = f"ConvTranspose{n}d"
        require(len(x) in (n + 1, n + 2), f"{name} expects a {n + 1}D or {n + 2}D input, got shape {list(x)}")
        channels = x[-n - 1]
        require(
            channels == h["in_channels"],
            f"{name} expects {h['in_channels']} input channels (in_channels), but the input has {channels}",
        )
        requested = h.get(FORWARD, {}).get("output_size")
        padding = h["output_padding"] if requested is None else (0,) * n
        out = tuple(
            conv_transpose_out_size(size, k, s, p, d, e)
            for size, k, s, p, d, e in zip(
                x[-n:], h["kernel_size"], h["stride"], h["padding"], h["dilation"], padding, strict=True
            )
        )
        if requested is not None:
            out = _requested_size(name, tuple(requested), len(x) - n, out, h["stride"])
        require(all(size >= 1 for size in out), f"{name} output would be {list(out)}", SF203)
        return (*x[: -n - 1], h["out_channels"], *out)

    return output


def _requested_size(name: str, requested: Shape, leading: int, smallest: Shape, stride: Shape) -> Shape:
    """forward()'s `output_size` (torch's `_output_padding`): the spatial sizes, after the batch and channel
    ones when given; each between the smallest output and `stride − 1` more (the output padding it implies)."""
    n = len(smallest)
    if len(requested) == leading + n:
        requested = requested[leading:]
    require(len(requested) == n, f"{name}: output_size must have {n} or {leading + n} elements (got {len(requested)})")
    largest = [low + step - 1 for low, step in zip(smallest, stride, strict=True)]
    valid = all(low <= size <= high for size, low, high in zip(requested, smallest, largest, strict=True))
    require(valid, f"{name}: requested an output size of {list(requested)}, but valid sizes range from "
            f"{list(smallest)} to {largest}")  # fmt: skip
    return requested


def _conv_transpose_work(h: Hyper, inputs: list[Shape], out: Shape) -> Work:
    """Every input element meets (Cout/groups)·∏K weights: MACs = N·Cin·∏in·(Cout/groups)·∏K."""
    x = inputs[0]
    n = len(h["kernel_size"])
    taps = (h["out_channels"] // h["groups"]) * numel(h["kernel_size"])
    covered = numel(out[:-n]) * numel(
        tuple(
            covered_positions(size, o, k, s, p, d)
            for size, o, k, s, p, d in zip(
                x[-n:], out[-n:], h["kernel_size"], h["stride"], h["padding"], h["dilation"], strict=True
            )
        )
    )
    return Work(
        WorkKind.CONV_TRANSPOSE,
        outputs=numel(out),
        macs=numel(x) * taps,
        bias=h["bias"] is not None,
        covered=covered,
        inputs=numel(x),
        window=(h["in_channels"] // h["groups"]) * numel(h["kernel_size"]),
    )


def _conv_transpose(n: int, examples: tuple[Example, ...] = ()) -> LayerSpec:
    return LayerSpec(
        f"torch.nn.ConvTranspose{n}d",
        init=signature(
            "in_channels, out_channels, kernel_size, stride, padding, output_padding, groups, bias, dilation, "
            "padding_mode, device, dtype",
            stride=1,
            padding=0,
            output_padding=0,
            groups=1,
            bias=True,
            dilation=1,
            padding_mode="zeros",
            device=None,
            dtype=None,
        ),
        attributes=_conv_transpose_attributes(n),
        parameters=_conv_transpose_parameters,
        output=_conv_transpose_output(n),
        work=_conv_transpose_work,
        forward=signature("input, output_size", output_size=None),
        examples=examples,
    )


TRANSPOSED = (
    # 4·5 inputs × 2·3 taps = 120 MACs; all 2·11 outputs covered, with bias: 2·120 − 22 + 22 = 240
    _conv_transpose(1, (Example("nn.ConvTranspose1d(4, 2, 3, stride=2)", ((1, 4, 5),), (1, 2, 11), 26, 240, 120),)),
    _conv_transpose(
        2,
        (
            # the reference figures: 16·8·8 inputs × 8·16 taps = 131,072 MACs; every one of the 8·16·16
            # outputs is covered: 2·131,072 − 2,048 + 2,048 (bias) = 262,144
            Example(
                "nn.ConvTranspose2d(16, 8, 4, stride=2, padding=1)",
                ((1, 16, 8, 8),),
                (1, 8, 16, 16),
                2056,
                262_144,
                131_072,
            ),
            Example(
                "nn.ConvTranspose2d(16, 8, 4, stride=2, padding=1, bias=False)",
                ((1, 16, 8, 8),),
                (1, 8, 16, 16),
                2048,
                260_096,
                131_072,
            ),
            # stride 3 > kernel 2: gaps; 4 inputs cover 8 of 11 positions per dimension
            Example(
                "nn.ConvTranspose2d(1, 1, 2, stride=3, bias=False)", ((1, 1, 4, 4),), (1, 1, 11, 11), 4, 2 * 64 - 64, 64
            ),
        ),
    ),
    # 2·8 inputs × 2·8 taps = 256 MACs; stride = kernel: each of the 2·64 outputs gets one product: 512 − 128
    _conv_transpose(
        3,
        (
            Example(
                "nn.ConvTranspose3d(2, 2, 2, stride=2, bias=False)", ((1, 2, 2, 2, 2),), (1, 2, 4, 4, 4), 32, 384, 256
            ),
        ),
    ),
)


def _lazy_conv(n: int, examples: tuple[Example, ...] = ()) -> LayerSpec:
    return LayerSpec(
        f"torch.nn.LazyConv{n}d",
        init=signature(
            "out_channels, kernel_size, stride, padding, dilation, groups, bias, padding_mode, device, dtype",
            stride=1, padding=0, dilation=1, groups=1, bias=True, padding_mode="zeros", device=None, dtype=None,
        ),
        attributes=_conv_attributes(n),
        parameters=_conv_parameters,
        output=_conv_output(n),
        work=_conv_work,
        infer=lambda shapes: {"in_channels": shapes[0][-n - 1]},
        forward=signature("input, output_size", output_size=None),
        examples=examples,
    )  # fmt: skip


LAZY = (
    # in_channels 2: 4·8 outputs × 2·6 with bias
    _lazy_conv(1, (Example("nn.LazyConv1d(4, 3)", ((1, 2, 10),), (1, 4, 8), 28, 384, 192),)),
    # in_channels 3 from the input: 8·30·30 outputs × 2·27
    _lazy_conv(2, (Example("nn.LazyConv2d(8, 3)", ((1, 3, 32, 32),), (1, 8, 30, 30), 224, 388_800, 194_400),)),
    # in_channels 3, 1×1×1 kernel: 2·8 outputs × (2·3 − 1)
    _lazy_conv(3, (Example("nn.LazyConv3d(2, 1, bias=False)", ((1, 3, 2, 2, 2),), (1, 2, 2, 2, 2), 6, 80, 48),)),
)


def _lazy_conv_transpose(n: int, examples: tuple[Example, ...]) -> LayerSpec:
    return LayerSpec(
        f"torch.nn.LazyConvTranspose{n}d",
        init=signature(
            "out_channels, kernel_size, stride, padding, output_padding, groups, bias, dilation, padding_mode, "
            "device, dtype",
            stride=1, padding=0, output_padding=0, groups=1, bias=True, dilation=1, padding_mode="zeros", device=None,
            dtype=None,
        ),
        attributes=_conv_transpose_attributes(n),
        parameters=_conv_transpose_parameters,
        output=_conv_transpose_output(n),
        work=_conv_transpose_work,
        infer=lambda shapes: {"in_channels": shapes[0][-n - 1]},
        forward=signature("input, output_size", output_size=None),
        examples=examples,
    )  # fmt: skip


LAZY_TRANSPOSED = (
    # in_channels 4 from the input, as nn.ConvTranspose1d(4, 2, 3, stride=2) above
    _lazy_conv_transpose(1, (Example("nn.LazyConvTranspose1d(2, 3, stride=2)", ((1, 4, 5),), (1, 2, 11), 26, 240,
                                     120),)),
    # in_channels 1, as nn.ConvTranspose2d(1, 1, 2, stride=3, bias=False) above
    _lazy_conv_transpose(2, (Example("nn.LazyConvTranspose2d(1, 2, stride=3, bias=False)", ((1, 1, 4, 4),),
                                     (1, 1, 11, 11), 4, 2 * 64 - 64, 64),)),
    # in_channels 2, as nn.ConvTranspose3d(2, 2, 2, stride=2, bias=False) above
    _lazy_conv_transpose(3, (Example("nn.LazyConvTranspose3d(2, 2, stride=2, bias=False)", ((1, 2, 2, 2, 2),),
                                     (1, 2, 4, 4, 4), 32, 384, 256),)),
)  # fmt: skip


# ---------------------------------------------------------------- F.conv*d, F.conv_transpose*d
def _functional_hyper(bound: dict[str, Any], n: int, transposed: bool) -> dict[str, Any]:
    """The attributes a layer with this weight would have: the layer's shape rule and work then apply."""
    weight, groups = bound["weight"], bound["groups"]
    require(len(weight) == n + 2, f"the weight of a {n}D convolution must be {n + 2}D, got {list(weight)}")
    in_channels, out_channels = (weight[0], weight[1] * groups) if transposed else (weight[1] * groups, weight[0])
    padding = bound["padding"]
    return {
        "in_channels": in_channels,
        "out_channels": out_channels,
        "kernel_size": tuple(weight[2:]),
        "stride": ntuple(bound["stride"], n, "stride"),
        "padding": padding if isinstance(padding, str) else ntuple(padding, n, "padding"),
        "dilation": ntuple(bound["dilation"], n, "dilation"),
        "output_padding": ntuple(bound.get("output_padding", 0), n, "output_padding"),
        "groups": groups,
        "bias": bound["bias"],
    }


def _functional_conv(n: int, transposed: bool, examples: tuple[Example, ...]) -> OpSpec:
    rule, work = (_conv_transpose_output(n), _conv_transpose_work) if transposed else (_conv_output(n), _conv_work)
    params = (
        "input, weight, bias, stride, padding, output_padding, groups, dilation"
        if transposed
        else "input, weight, bias, stride, padding, dilation, groups"
    )
    return OpSpec(
        f"torch.nn.functional.conv{'_transpose' if transposed else ''}{n}d",
        signature(params, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1),
        ("input", "weight", "bias"),
        output=lambda b: rule(_functional_hyper(b, n, transposed), [b["input"]]),
        work=lambda b, out: work(_functional_hyper(b, n, transposed), [b["input"]], out),
        examples=examples,
    )


FUNCTIONS = (
    # 2·4·8 outputs × (2·3·3 − 1 + 1) with the bias
    _functional_conv(1, False, (Example("F.conv1d(x, y, z)", ((2, 3, 10), (4, 3, 3), (4,)), (2, 4, 8), 0, 1152, 576),)),
    # the reference document's 3×3 on 5×5 without bias: 9 × (2·9 − 1)
    _functional_conv(2, False, (Example("F.conv2d(x, y)", ((1, 1, 5, 5), (1, 1, 3, 3)), (1, 1, 3, 3), 0, 153, 81),)),
    # groups 2: each output sums (4/2)·8 products: 8·8 outputs × (2·16 − 1)
    _functional_conv(3, False, (Example("F.conv3d(x, y, groups=2)", ((1, 4, 3, 3, 3), (8, 2, 2, 2, 2)),
                                        (1, 8, 2, 2, 2), 0, 1984, 1024),)),
    # 4·5 inputs × 2·3 taps, all 2·11 outputs covered, with bias: 2·120 − 22 + 22
    _functional_conv(1, True, (Example("F.conv_transpose1d(x, y, z, stride=2)", ((1, 4, 5), (4, 2, 3), (2,)),
                                       (1, 2, 11), 0, 240, 120),)),
    # 16·64 inputs × 8·16 taps = 131,072 MACs into 8·16·16 outputs, all covered
    _functional_conv(2, True, (Example("F.conv_transpose2d(x, y, stride=2, padding=1)", ((1, 16, 8, 8), (16, 8, 4, 4)),
                                       (1, 8, 16, 16), 0, 260_096, 131_072),)),
    # 2·8 inputs × 2·8 taps = 256 MACs; every output gets one product: 512 − 128
    _functional_conv(3, True, (Example("F.conv_transpose3d(x, y, stride=2)", ((1, 2, 2, 2, 2), (2, 2, 2, 2, 2)),
                                       (1, 2, 4, 4, 4), 0, 384, 256),)),
)  # fmt: skip

SPECS = (*CONVS, *TRANSPOSED, *LAZY, *LAZY_TRANSPOSED, *FUNCTIONS)
