"""Pooling: `nn.MaxPool*`, `nn.AvgPool*`, `nn.AdaptiveAvgPool*`, `nn.AdaptiveMaxPool*` and their
functional forms.

The catalog records how many input elements each output combines (`reduced`, summed
over outputs): a max over n elements is n − 1 comparisons, an average n − 1 additions
and one division.
"""

from __future__ import annotations

import math
from typing import Any

from staticflops.catalog.spec import (
    FORWARD,
    FREE,
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


def pool_out_size(size: int, kernel: int, stride: int, padding: int, dilation: int, ceil_mode: bool) -> int:
    """torch's pooling size rule, including ceil_mode's 'last window must start inside' correction."""
    span = size + 2 * padding - dilation * (kernel - 1) - 1
    out = (-(-span // stride) if ceil_mode else span // stride) + 1
    if ceil_mode and (out - 1) * stride >= size + padding:
        out -= 1
    return out


def _window_attributes(n: int, *, max_pool: bool) -> Any:
    def attributes(bound: dict[str, Any]) -> dict[str, Any]:
        kernel = bound["kernel_size"]
        stride = bound["stride"] if bound["stride"] not in (None, [], ()) else kernel
        result = {
            "kernel_size": kernel,
            "stride": stride,
            "padding": bound["padding"],
            "ceil_mode": bool(bound["ceil_mode"]),
        }
        if max_pool:
            result["dilation"] = bound["dilation"]
            result["return_indices"] = bool(bound["return_indices"])
        else:
            result["count_include_pad"] = bool(bound["count_include_pad"])
            if "divisor_override" in bound:
                result["divisor_override"] = bound["divisor_override"]
        # torch checks padding <= kernel/2 when the layer is called; we check it when built
        kernel_t, padding_t = ntuple(kernel, n, "kernel_size"), ntuple(bound["padding"], n, "padding")
        if any(p * 2 > k for p, k in zip(padding_t, kernel_t, strict=True)):
            raise ShapeError(
                SF201, f"pad should be at most half of effective kernel size, got padding {list(padding_t)}"
            )
        return result

    return attributes


def _window_output(n: int, name: str) -> Any:
    def output(h: Hyper, inputs: list[Shape]) -> Shape:
        (x,) = inputs
        require(len(x) in (n + 1, n + 2), f"{name} expects a {n + 1}D or {n + 2}D input, got {list(x)}")
        kernel = ntuple(h["kernel_size"], n, "kernel_size")
        stride = ntuple(h["stride"], n, "stride")
        padding = ntuple(h["padding"], n, "padding")
        dilation = ntuple(h.get("dilation", 1), n, "dilation")
        spatial = x[-n:]
        out = tuple(
            pool_out_size(size, k, s, p, d, h["ceil_mode"])
            for size, k, s, p, d in zip(spatial, kernel, stride, padding, dilation, strict=True)
        )
        require(
            all(size >= 1 for size in out),
            f"{name} output would be {list(out)}: the input {list(spatial)} is too small for kernel {list(kernel)}",
            SF203,
        )
        return (*x[:-n], *out)

    return output


def _window_work(n: int, kind: WorkKind) -> Any:
    def work(h: Hyper, inputs: list[Shape], out: Shape) -> Work:
        window = numel(ntuple(h["kernel_size"], n, "kernel_size"))
        return Work(kind, outputs=numel(out), reduced=numel(out) * window, inputs=numel(inputs[0]), window=window)

    return work


def _with_indices(output: Any, work: Any) -> tuple[Any, Any]:
    """`return_indices=True`: the values and their indices, both of the pooled shape (the work is the values')."""

    def with_indices(h: Hyper, inputs: list[Shape]) -> Any:
        shape = output(h, inputs)
        return [shape, shape] if h.get("return_indices") else shape

    def values_work(h: Hyper, inputs: list[Shape], out: Any) -> Work:
        return work(h, inputs, out[0] if isinstance(out, list) else out)

    return with_indices, values_work


def _max_pool(n: int, examples: tuple[Example, ...] = ()) -> LayerSpec:
    output, work = _with_indices(_window_output(n, f"MaxPool{n}d"), _window_work(n, WorkKind.MAX_POOL))
    return LayerSpec(
        f"torch.nn.MaxPool{n}d",
        init=signature(
            "kernel_size, stride, padding, dilation, return_indices, ceil_mode",
            stride=None,
            padding=0,
            dilation=1,
            return_indices=False,
            ceil_mode=False,
        ),
        attributes=_window_attributes(n, max_pool=True),
        parameters=lambda h: {},
        output=output,
        work=work,
        examples=examples,
    )


def _avg_pool(n: int, examples: tuple[Example, ...] = ()) -> LayerSpec:
    init = (
        signature(
            "kernel_size, stride, padding, ceil_mode, count_include_pad",
            stride=None,
            padding=0,
            ceil_mode=False,
            count_include_pad=True,
        )
        if n == 1
        else signature(
            "kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override",
            stride=None,
            padding=0,
            ceil_mode=False,
            count_include_pad=True,
            divisor_override=None,
        )
    )
    return LayerSpec(
        f"torch.nn.AvgPool{n}d",
        init=init,
        attributes=_window_attributes(n, max_pool=False),
        parameters=lambda h: {},
        output=_window_output(n, f"AvgPool{n}d"),
        work=_window_work(n, WorkKind.AVG_POOL),
        examples=examples,
    )


def _lp_pool_attributes(bound: dict[str, Any]) -> dict[str, Any]:
    stride = bound["stride"] if bound["stride"] not in (None, [], ()) else bound["kernel_size"]
    return {"norm_type": bound["norm_type"], "kernel_size": bound["kernel_size"], "stride": stride, "padding": 0,
            "ceil_mode": bool(bound["ceil_mode"])}  # fmt: skip


def _lp_pool_work(n: int) -> Any:
    """torch's `lp_pool`: `x^p` per input element, an average pool of it, then per output the sign,
    absolute value, ReLU, their product, the window's size and the `1/p`-th power (6)."""
    average = _window_work(n, WorkKind.AVG_POOL)

    def work(h: Hyper, inputs: list[Shape], out: Shape) -> tuple[Work, ...]:
        elements = numel(inputs[0])
        return (
            Work(WorkKind.ELEMENTWISE, outputs=elements, inputs=elements),
            average(h, inputs, out),
            Work(WorkKind.ELEMENTWISE, outputs=numel(out), inputs=numel(out), per_output=6),
        )

    return work


def _lp_pool(n: int, example: Example) -> LayerSpec:
    return LayerSpec(
        f"torch.nn.LPPool{n}d",
        init=signature("norm_type, kernel_size, stride, ceil_mode", stride=None, ceil_mode=False),
        attributes=_lp_pool_attributes,
        parameters=lambda h: {},
        output=_window_output(n, f"LPPool{n}d"),
        work=_lp_pool_work(n),
        examples=(example,),
    )


LP_POOLS = (
    # 2·4·8 input elements powered (64), 2·4·4 windows of 2 averaged (64), 6 per output (192)
    _lp_pool(1, Example("nn.LPPool1d(2, 2)", ((2, 4, 8),), (2, 4, 4), 0, 64 + 64 + 192, 0)),
    # 1·2·4·4 powered (32), 2·2·2 windows of 4 (32), 6 per output (48)
    _lp_pool(2, Example("nn.LPPool2d(2, 2)", ((1, 2, 4, 4),), (1, 2, 2, 2), 0, 32 + 32 + 48, 0)),
    # 1·1·2·2·2 powered (8), one window of 8 (8), 6 for the output
    _lp_pool(3, Example("nn.LPPool3d(1.5, 2)", ((1, 1, 2, 2, 2),), (1, 1, 1, 1, 1), 0, 8 + 8 + 6, 0)),
)


def adaptive_bins(size: int, out: int) -> list[int]:
    """Sizes of the bins torch's adaptive pooling uses: [floor(i·in/out), ceil((i+1)·in/out))."""
    return [math.ceil((i + 1) * size / out) - (i * size) // out for i in range(out)]


def _adaptive_output(n: int, name: str) -> Any:
    def output(h: Hyper, inputs: list[Shape]) -> Shape:
        (x,) = inputs
        require(len(x) in (n + 1, n + 2), f"{name} expects a {n + 1}D or {n + 2}D input, got {list(x)}")
        target = ntuple(h["output_size"], n, "output_size")
        spatial = x[-n:]
        out = tuple(size if t is None else t for size, t in zip(spatial, target, strict=True))
        require(all(size >= 1 for size in out), f"{name} output size must be positive, got {list(out)}", SF203)
        return (*x[:-n], *out)

    return output


def _adaptive_work(n: int, kind: WorkKind) -> Any:
    def work(h: Hyper, inputs: list[Shape], out: Shape) -> Work:
        x = inputs[0]
        per_plane = math.prod(sum(adaptive_bins(size, o)) for size, o in zip(x[-n:], out[-n:], strict=True))
        planes = numel(out[:-n])
        nominal = math.prod(size // o for size, o in zip(x[-n:], out[-n:], strict=True))
        return Work(kind, outputs=numel(out), reduced=planes * per_plane, inputs=numel(x), window=nominal)

    return work


def _adaptive(n: int, kind: WorkKind, examples: tuple[Example, ...] = ()) -> LayerSpec:
    prefix = "AdaptiveMax" if kind is WorkKind.MAX_POOL else "AdaptiveAvg"
    init = (
        signature("output_size, return_indices", return_indices=False)
        if kind is WorkKind.MAX_POOL
        else signature("output_size")
    )
    output, work = _with_indices(_adaptive_output(n, f"{prefix}Pool{n}d"), _adaptive_work(n, kind))
    return LayerSpec(
        f"torch.nn.{prefix}Pool{n}d",
        init=init,
        attributes=dict,
        parameters=lambda h: {},
        output=output,
        work=work,
        examples=examples,
    )


LAYERS = (
    # 3·4 outputs, max of 2: 1 comparison each
    _max_pool(1, (Example("nn.MaxPool1d(2)", ((1, 3, 9),), (1, 3, 4), 0, 12, 0),)),
    # 64·56·56 outputs, each the max of 9: 8 comparisons
    _max_pool(
        2,
        (
            Example("nn.MaxPool2d(3, stride=2, padding=1)", ((1, 64, 112, 112),), (1, 64, 56, 56), 0, 1_605_632, 0),
            # ceil_mode keeps a partial last window: 13 → 7
            Example("nn.MaxPool2d(2, ceil_mode=True)", ((1, 1, 13, 13),), (1, 1, 7, 7), 0, 147, 0),
            # with its indices, (values, indices): 3·2·2 values of 4 elements, 3 comparisons each
            Example("nn.MaxPool2d(2, return_indices=True)", ((1, 3, 4, 4),), (1, 3, 2, 2), 0, 36, 0),
        ),
    ),
    # 2·8 outputs, max of 8: 7 comparisons each
    _max_pool(3, (Example("nn.MaxPool3d(2)", ((1, 2, 4, 4, 4),), (1, 2, 2, 2, 2), 0, 112, 0),)),
    # 2·4 outputs, mean of 3
    _avg_pool(1, (Example("nn.AvgPool1d(3, stride=1)", ((1, 2, 6),), (1, 2, 4), 0, 24, 0),)),
    # 8·4·4 outputs, each the mean of 4: 3 additions and 1 division
    _avg_pool(2, (Example("nn.AvgPool2d(2)", ((1, 8, 8, 8),), (1, 8, 4, 4), 0, 512, 0),)),
    # 8 outputs, mean of 8
    _avg_pool(3, (Example("nn.AvgPool3d(2)", ((1, 1, 4, 4, 4),), (1, 1, 2, 2, 2), 0, 64, 0),)),
    # 7 → 3 bins of 3, 3, 3 (overlapping): 9 per plane, 2 planes
    _adaptive(1, WorkKind.AVG_POOL, (Example("nn.AdaptiveAvgPool1d(3)", ((1, 2, 7),), (1, 2, 3), 0, 18, 0),)),
    # global average of 512 planes of 7·7: 49 per output
    _adaptive(
        2,
        WorkKind.AVG_POOL,
        (
            Example("nn.AdaptiveAvgPool2d((1, 1))", ((1, 512, 7, 7),), (1, 512, 1, 1), 0, 25_088, 0),
            # uneven bins: 5 → 3 uses bins of 2, 3, 2 (overlapping): 7·7 = 49 per plane
            Example("nn.AdaptiveAvgPool2d(3)", ((1, 2, 5, 5),), (1, 2, 3, 3), 0, 98, 0),
        ),
    ),
    # one bin of 2·3·4 per plane, 2 planes
    _adaptive(
        3, WorkKind.AVG_POOL, (Example("nn.AdaptiveAvgPool3d(1)", ((1, 2, 2, 3, 4),), (1, 2, 1, 1, 1), 0, 48, 0),)
    ),
    # 5 → 2 bins of 3 and 3: 6 elements per plane, 3 planes, minus one per output (6)
    _adaptive(1, WorkKind.MAX_POOL, (Example("nn.AdaptiveMaxPool1d(2)", ((1, 3, 5),), (1, 3, 2), 0, 12, 0),)),
    # 4×4 → 2×2 bins of 2×2: 16 elements − 4 outputs
    _adaptive(
        2, WorkKind.MAX_POOL, (Example("nn.AdaptiveMaxPool2d((2, 2))", ((1, 1, 4, 4),), (1, 1, 2, 2), 0, 12, 0),)
    ),
    # one bin of 8 per plane, 2 planes: 16 − 2
    _adaptive(
        3, WorkKind.MAX_POOL, (Example("nn.AdaptiveMaxPool3d(1)", ((1, 2, 2, 2, 2),), (1, 2, 1, 1, 1), 0, 14, 0),)
    ),
)


def _f_window(n: int, kind: WorkKind) -> OpSpec:
    max_pool = kind is WorkKind.MAX_POOL
    name = f"max_pool{n}d" if max_pool else f"avg_pool{n}d"
    params = (
        signature(
            "input, kernel_size, stride, padding, dilation, ceil_mode, return_indices",
            stride=None,
            padding=0,
            dilation=1,
            ceil_mode=False,
            return_indices=False,
        )
        if max_pool
        else signature(
            "input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override",
            stride=None,
            padding=0,
            ceil_mode=False,
            count_include_pad=True,
            divisor_override=None,
        )
    )
    shape_rule, work_rule = _with_indices(_window_output(n, f"F.{name}"), _window_work(n, kind))

    def hyper(bound: dict[str, Any]) -> dict[str, Any]:
        stride = bound["stride"] if bound["stride"] not in (None, [], ()) else bound["kernel_size"]
        return {**bound, "stride": stride}

    # (1, 2, 4, ...) by 2: 2·2ⁿ outputs of 2ⁿ elements each; n − 1 comparisons, or n − 1 additions and a division
    outputs, window = 2 * 2**n, 2**n
    example = Example(
        f"F.{name}(x, 2)", ((1, 2, *[4] * n),), (1, 2, *[2] * n), 0, outputs * (window - 1 if max_pool else window), 0
    )
    return OpSpec(
        f"torch.nn.functional.{name}",
        params,
        ("input",),
        output=lambda b: shape_rule(hyper(b), [b["input"]]),
        work=lambda b, out: work_rule(hyper(b), [b["input"]], out),
        examples=(example,),
    )


def _f_adaptive(n: int, kind: WorkKind) -> OpSpec:
    name = f"adaptive_max_pool{n}d" if kind is WorkKind.MAX_POOL else f"adaptive_avg_pool{n}d"
    params = (
        signature("input, output_size, return_indices", return_indices=False)
        if kind is WorkKind.MAX_POOL
        else signature("input, output_size")
    )
    shape_rule, work_rule = _with_indices(_adaptive_output(n, f"F.{name}"), _adaptive_work(n, kind))
    # (1, 2, 4, ...) to one value per plane: 2 outputs of 4ⁿ elements each
    reduced = 2 * 4**n
    example = Example(
        f"F.{name}(x, 1)",
        ((1, 2, *[4] * n),),
        (1, 2, *[1] * n),
        0,
        reduced - 2 if kind is WorkKind.MAX_POOL else reduced,
        0,
    )
    return OpSpec(
        f"torch.nn.functional.{name}",
        params,
        ("input",),
        output=lambda b: shape_rule(b, [b["input"]]),
        work=lambda b, out: work_rule(b, [b["input"]], out),
        examples=(example,),
    )


OPS = tuple(
    spec
    for n in (1, 2, 3)
    for spec in (
        _f_window(n, WorkKind.MAX_POOL),
        _f_window(n, WorkKind.AVG_POOL),
        _f_adaptive(n, WorkKind.MAX_POOL),
        _f_adaptive(n, WorkKind.AVG_POOL),
    )
)


def _unpool(n: int) -> OpSpec:
    """`F.max_unpool{n}d(input, indices, ...)`: each value written back where its maximum was, zeros elsewhere
    (a scatter, no arithmetic); the size is `output_size`'s last n, else `(in − 1)·stride − 2·padding + kernel`."""

    def output(bound: dict[str, Any]) -> Shape:
        x = bound["input"]
        require(len(x) in (n + 1, n + 2), f"max_unpool{n}d expects a {n + 1}D or {n + 2}D input, got {list(x)}")
        if bound["output_size"] is not None:
            size = tuple(bound["output_size"])[-n:]
        else:
            kernel = ntuple(bound["kernel_size"], n, "kernel_size")
            stride = ntuple(bound["stride"] if bound["stride"] is not None else bound["kernel_size"], n, "stride")
            padding = ntuple(bound["padding"], n, "padding")
            size = tuple((i - 1) * s - 2 * p + k for i, k, s, p in zip(x[-n:], kernel, stride, padding, strict=True))
        return (*x[:-n], *size)

    return OpSpec(
        f"torch.nn.functional.max_unpool{n}d",
        signature(
            "input, indices, kernel_size, stride, padding, output_size", stride=None, padding=0, output_size=None
        ),
        ("input", "indices"),
        output,
        lambda b, out: FREE,
        # (1, 2, 2, ...) by 2: back to (1, 2, 4, ...)
        (Example(f"F.max_unpool{n}d(x, y.long(), 2)", ((1, 2, *[2] * n),) * 2, (1, 2, *[4] * n), 0, 0, 0),),
    )


def _fractional(n: int) -> OpSpec:
    """`F.fractional_max_pool{n}d`: the max of a `kernel_size` window at pseudo-random places, to `output_size`
    (or `output_ratio` of the input): window − 1 comparisons per output, as a max pool."""

    def output(bound: dict[str, Any]) -> Any:
        x = bound["input"]
        require(
            len(x) in (n + 1, n + 2), f"fractional_max_pool{n}d expects a {n + 1}D or {n + 2}D input, got {list(x)}"
        )
        if bound["output_size"] is not None:
            size = ntuple(bound["output_size"], n, "output_size")
        else:
            require(bound["output_ratio"] is not None, "fractional_max_pool requires output_size or output_ratio")
            ratio = ntuple(bound["output_ratio"], n, "output_ratio")
            size = tuple(int(i * r) for i, r in zip(x[-n:], ratio, strict=True))
        shape = (*x[:-n], *size)
        return [shape, shape] if bound["return_indices"] else shape

    def work(bound: dict[str, Any], out: Any) -> Work:
        values = out[0] if isinstance(out, list) else out
        window = numel(ntuple(bound["kernel_size"], n, "kernel_size"))
        return Work(WorkKind.MAX_POOL, outputs=numel(values), reduced=numel(values) * window,
                    inputs=numel(bound["input"]), window=window)  # fmt: skip

    return OpSpec(
        f"torch.nn.functional.fractional_max_pool{n}d",
        signature(
            "input, kernel_size, output_size, output_ratio, return_indices, _random_samples",
            output_size=None,
            output_ratio=None,
            return_indices=False,
            _random_samples=None,
        ),
        ("input",),
        output,
        work,
        # (1, 2, 5, ...) to 2 per side with windows of 2: 2·2ⁿ outputs, 2ⁿ − 1 comparisons each
        (
            Example(
                f"F.fractional_max_pool{n}d(x, 2, output_size=2)",
                ((1, 2, *[5] * n),),
                (1, 2, *[2] * n),
                0,
                2 * 2**n * (2**n - 1),
                0,
            ),
        ),
    )


FRACTIONAL = tuple(_fractional(n) for n in (2, 3))


def _fractional_attributes(n: int) -> Any:
    """torch's `FractionalMaxPool{n}d.__init__`: sizes as n-tuples, exactly one of `output_size` and `output_ratio`
    (each ratio in (0, 1)); `_random_samples` (where each window goes) is a buffer, whose values change no shape."""

    def attributes(bound: dict[str, Any]) -> dict[str, Any]:
        size, ratio = bound["output_size"], bound["output_ratio"]
        name = f"FractionalMaxPool{n}d"
        require(size is not None or ratio is not None, f"{name} requires specifying either an output size, or a "
                "pooling ratio")  # fmt: skip
        require(size is None or ratio is None, "only one of output_size and output_ratio may be specified")
        ratio = None if ratio is None else ntuple(ratio, n, "output_ratio")
        require(ratio is None or all(0 < r < 1 for r in ratio), f"output_ratio must be between 0 and 1 (got {ratio})")
        samples = bound["_random_samples"]
        return {
            "kernel_size": ntuple(bound["kernel_size"], n, "kernel_size"),
            "return_indices": bool(bound["return_indices"]),
            "_random_samples": getattr(samples, "shape", None),
            "output_size": None if size is None else ntuple(size, n, "output_size"),
            "output_ratio": ratio,
        }

    return attributes


def _fractional_layer(n: int, function: OpSpec, example: Example) -> LayerSpec:
    """`nn.FractionalMaxPool{n}d`: its forward() calls `F.fractional_max_pool{n}d` with its attributes."""
    return LayerSpec(
        f"torch.nn.FractionalMaxPool{n}d",
        init=signature(
            "kernel_size, output_size, output_ratio, return_indices, _random_samples",
            output_size=None,
            output_ratio=None,
            return_indices=False,
            _random_samples=None,
        ),
        attributes=_fractional_attributes(n),
        parameters=lambda h: {},
        buffers=lambda h: {} if h["_random_samples"] is None else {"_random_samples": h["_random_samples"]},
        output=lambda h, inputs: function.output({**h, "input": inputs[0]}),
        work=lambda h, inputs, out: function.work({**h, "input": inputs[0]}, out),
        examples=(example,),
    )


FRACTIONAL_LAYERS = (
    # (1, 2, 5, 7) to half its size, (2, 3): 12 outputs, windows of 2·2 (3 comparisons each)
    _fractional_layer(
        2,
        FRACTIONAL[0],
        Example("nn.FractionalMaxPool2d(2, output_ratio=0.5)", ((1, 2, 5, 7),), (1, 2, 2, 3), 0, 12 * 3, 0),
    ),
    # (2, 6, 6, 6) to 3 per side with windows of 2, 2, 3: 2·27 outputs, 11 comparisons each
    _fractional_layer(
        3,
        FRACTIONAL[1],
        Example("nn.FractionalMaxPool3d((2, 2, 3), output_size=3)", ((2, 6, 6, 6),), (2, 3, 3, 3), 0, 54 * 11, 0),
    ),
)

UNPOOLS = tuple(_unpool(n) for n in (1, 2, 3))


def _unpool_layer(n: int, function: OpSpec, example: Example) -> LayerSpec:
    """`nn.MaxUnpool{n}d`: its forward(input, indices, output_size) calls `F.max_unpool{n}d` with its sizes."""

    def attributes(bound: dict[str, Any]) -> dict[str, Any]:
        stride = bound["stride"] if bound["stride"] is not None else bound["kernel_size"]
        return {"kernel_size": ntuple(bound["kernel_size"], n, "kernel_size"), "stride": ntuple(stride, n, "stride"),
                "padding": ntuple(bound["padding"], n, "padding")}  # fmt: skip

    def bound(h: Hyper, inputs: list[Shape]) -> dict[str, Any]:
        return {**h, "input": inputs[0], "indices": inputs[1], "output_size": h[FORWARD].get("output_size")}

    return LayerSpec(
        f"torch.nn.MaxUnpool{n}d",
        init=signature("kernel_size, stride, padding", stride=None, padding=0),
        attributes=attributes,
        parameters=lambda h: {},
        output=lambda h, inputs: function.output(bound(h, inputs)),
        work=lambda h, inputs, out: function.work(bound(h, inputs), out),
        forward=signature("input, indices, output_size", output_size=None),
        examples=(example,),
    )


UNPOOL_LAYERS = tuple(
    # (1, 2, 2, ...) by 2: back to (1, 2, 4, ...); a scatter, no arithmetic
    _unpool_layer(n, UNPOOLS[n - 1], Example(f"nn.MaxUnpool{n}d(2)", ((1, 2, *[2] * n),) * 2, (1, 2, *[4] * n), 0,
                                              0, 0))
    for n in (1, 2, 3)
)  # fmt: skip

SPECS = LAYERS + LP_POOLS + OPS + UNPOOLS + UNPOOL_LAYERS + FRACTIONAL + FRACTIONAL_LAYERS
