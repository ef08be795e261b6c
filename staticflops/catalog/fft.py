"""Fourier transforms with a real result: `torch.fft.irfft*` and `hfft*` (a Hermitian half-spectrum to a
real signal), and `torch.stft` with `return_complex=False` (its complex result as real pairs; with
`return_complex=True` a complex tensor).

The seed convention prices a transform by the classic radix-2 estimate FFT benchmarks use (FFTW's): a
complex transform of N points costs `5·N·log₂N` real operations (log₂N stages of N/2 butterflies, each a
complex product and two complex additions), a transform between a real signal and its half-spectrum half of
that, `2.5·N·log₂N`, with N the signal's points over all transformed dimensions (a multi-dimensional
transform is one of ∏Nᵢ points: the dimensions' counts add up to it); each transform of a batch once, the
call's total rounded to an integer. NB: for sizes that are not powers of two the library's algorithms differ
(mixed radix, Bluestein), the estimate does not. `norm` scales every output element: one more operation each
(`"forward"`, `"ortho"`; irfft's default `"backward"` divides by N). FlopCounterMode has no formula for an FFT
(`aten._fft_c2r`, `aten._fft_r2c`): 0 under `torch`.
"""

from __future__ import annotations

import math
from typing import Any

from staticflops.catalog.complex import COMPLEX_OF, REAL_OF
from staticflops.catalog.spec import Example, OpSpec, Shape, Work, WorkKind, normalize_dim, numel, require, spelled
from staticflops.interpreter.calls import signature


def real_transform_ops(points: int, transforms: int) -> int:
    """`transforms` real-signal FFTs of `points` points: 2.5·N·log₂N each."""
    return round(5 * transforms * points * math.log2(points) / 2) if points > 1 else 0


def _dims(x: Shape, s: Any, dim: Any, default: Any) -> list[int]:
    """The transformed dimensions: `dim`, else the last `len(s)` ones, else `default` (all, or the last two)."""
    if dim is not None:
        dims = [dim] if isinstance(dim, int) else list(dim)
    elif s is not None:
        dims = list(range(len(x) - len(s), len(x)))
    else:
        dims = list(range(len(x))) if default is None else list(default)
    require(bool(dims) or not x, "the transform needs at least one dimension")
    at = [normalize_dim(d, len(x)) for d in dims]
    require(len(set(at)) == len(at), f"FFT dims must be unique, got {list(dims)}")
    return at


def real_output_shape(x: Shape, s: Any, dim: Any, default: Any, name: str) -> Shape:
    """A half-spectrum to a real signal: each transformed dimension takes its size from `s` (or keeps the
    input's), the last one `2·(n − 1)` points when `s` does not say."""
    at = _dims(x, s, dim, default)
    sizes = list(s) if s is not None else [None] * len(at)
    require(len(sizes) == len(at), f"{name}: when given, dim and shape arguments must have the same length")
    out = list(x)
    for position, (d, size) in enumerate(zip(at, sizes, strict=True)):
        last = position == len(at) - 1
        if size is None or size == -1:
            size = 2 * (x[d] - 1) if last else x[d]
        require(size >= 1, f"Invalid number of data points ({size}) specified")
        out[d] = size
    return tuple(out)


SCALED = {"irfft": ("backward", "ortho"), "hfft": ("forward", "ortho")}
"""The `norm`s that scale the output, by direction: irfft is an inverse transform (by default divided by N),
hfft a forward one (by default not scaled); `"ortho"` divides both by √N."""


def _transform_work(name: str, points_of: Any) -> Any:
    scaling = SCALED[name.rstrip("2n")]

    def work(bound: dict[str, Any], out: Shape) -> Work:
        points = points_of(bound, out)
        transforms = numel(out) // points if points else 0
        scaled = numel(out) if (bound["norm"] or "backward") in scaling else 0
        return Work(WorkKind.ELEMENTWISE, outputs=real_transform_ops(points, transforms) + scaled)

    return work


def _real_dtype(dtype: str) -> str:
    return REAL_OF.get(dtype, dtype)


def _inverse_real(name: str, params: str, default: Any, one: bool, example: Example, **defaults: Any) -> OpSpec:
    if one:  # irfft(input, n, dim): one dimension

        def output(b: dict[str, Any]) -> Shape:
            require(bool(b["input"]), f"{name}: expects a tensor of at least one dimension")
            return real_output_shape(b["input"], None if b["n"] is None else (b["n"],), b["dim"], None, name)

        def points(b: dict[str, Any], out: Shape) -> int:
            return out[normalize_dim(b["dim"], len(out))]
    else:

        def output(b: dict[str, Any]) -> Shape:
            return real_output_shape(b["input"], b["s"], b["dim"], default, name)

        def points(b: dict[str, Any], out: Shape) -> int:
            return numel(tuple(out[d] for d in _dims(b["input"], b["s"], b["dim"], default)))

    return OpSpec(
        f"torch.fft.{name}",
        signature(params, norm=None, **defaults),
        ("input",),
        output,
        _transform_work(name, points),
        (example,),
        result_dtype=_real_dtype,
    )


def stft_shape(bound: dict[str, Any]) -> Shape:
    """`(B?, n_fft // 2 + 1 or n_fft, frames)` of a 1-D or 2-D signal, and a trailing 2 for real pairs; the
    signal is padded by `n_fft // 2` on each side when `center`."""
    x, n_fft = bound["input"], bound["n_fft"]
    require(len(x) in (1, 2), f"stft: expected a 1D or 2D tensor, got {len(x)}D")
    require(bound["return_complex"] is not None, "stft requires the return_complex parameter be given for real "
            "inputs, and will further require that return_complex=True in a future PyTorch release.")  # fmt: skip
    hop = bound["hop_length"] if bound["hop_length"] is not None else n_fft // 4
    win = bound["win_length"] if bound["win_length"] is not None else n_fft
    length = x[-1] + (2 * (n_fft // 2) if bound["center"] else 0)
    require(0 < n_fft <= length, f"stft: expected 0 < n_fft <= {length}, but got n_fft={n_fft}")
    require(hop > 0, f"stft: expected hop_length > 0, but got hop_length={hop}")
    require(0 < win <= n_fft, f"stft: expected 0 < win_length <= n_fft, but got win_length={win}")
    window = bound["window"]
    require(window is None or window == (win,), f"stft: expected a 1D window tensor of size equal to win_length="
            f"{win}, but got window with size {list(window or ())}")  # fmt: skip
    frames = 1 + (length - n_fft) // hop
    onesided = bound["onesided"] if bound["onesided"] is not None else True
    shape = (*x[:-1], n_fft // 2 + 1 if onesided else n_fft, frames)
    return shape if bound["return_complex"] else (*shape, 2)


def _stft_work(bound: dict[str, Any], out: Shape) -> Work:
    """A real FFT of `n_fft` points per frame, after the frame is multiplied by the window (when one is given);
    `normalized` scales each output element."""
    x, n_fft = bound["input"], bound["n_fft"]
    frames = out[len(x)] if bound["return_complex"] else out[-2]
    transforms = frames * numel(x[:-1])
    windowed = transforms * n_fft if bound["window"] is not None else 0
    scaled = numel(out) if bound["normalized"] else 0
    return Work(WorkKind.ELEMENTWISE, outputs=real_transform_ops(n_fft, transforms) + windowed + scaled)


def _stft_dtype(bound: dict[str, Any], dtype: str) -> str:
    return COMPLEX_OF.get(dtype, "complex64") if bound.get("return_complex") else dtype


STFT = signature(
    "input, n_fft, hop_length, win_length, window, center, pad_mode, normalized, onesided, return_complex",
    hop_length=None, win_length=None, window=None, center=True, pad_mode="reflect", normalized=False, onesided=None,
    return_complex=None,
)  # fmt: skip
ONE = "input, n, dim, norm"
MANY = "input, s, dim, norm"

SPECS = (
    # 2·(7 − 1) = 12 points per row, 5·6 = 30 rows: 2.5·12·log₂12·30 ≈ 3226.5 → 3226, and the default norm
    # ("backward") divides the 360 outputs by N: 3586
    _inverse_real("irfft", ONE, None, True, Example("torch.fft.irfft(x)", ((5, 6, 7),), (5, 6, 12), 0, 3586, 0),
                  n=None, dim=-1),
    # 8 points along dim 1, 5·7 = 35 columns: 2.5·8·3·35 = 2100; a forward transform, not scaled by default
    _inverse_real("hfft", ONE, None, True, Example("torch.fft.hfft(x, n=8, dim=1)", ((5, 6, 7),), (5, 8, 7), 0, 2100,
                  0), n=None, dim=-1),
    # a (3, 10) transform: 30 points, 5 of them; 2.5·30·log₂30·5 ≈ 1840.0, and 150 divisions (irfft2)
    _inverse_real("irfft2", MANY, (-2, -1), False,
                  Example("torch.fft.irfft2(x, s=(3, 10), dim=(1, 2))", ((5, 6, 7),), (5, 3, 10), 0, 1990, 0),
                  s=None, dim=(-2, -1)),
    _inverse_real("hfft2", MANY, (-2, -1), False,
                  Example("torch.fft.hfft2(x, s=(3, 10), dim=(1, 2))", ((5, 6, 7),), (5, 3, 10), 0, 1840, 0),
                  s=None, dim=(-2, -1)),
    # every dimension: 5·6·12 = 360 points, 2.5·360·log₂360 ≈ 7643.2, and 360 divisions (irfftn)
    _inverse_real("irfftn", MANY, None, False, Example("torch.fft.irfftn(x)", ((5, 6, 7),), (5, 6, 12), 0, 8003, 0),
                  s=None, dim=None),
    _inverse_real("hfftn", MANY, None, False, Example("torch.fft.hfftn(x)", ((5, 6, 7),), (5, 6, 12), 0, 7643, 0),
                  s=None, dim=None),
    # 100 samples padded to 116, hop 4: 26 frames of 16 points; 2.5·16·4·26 = 4160 and 16·26 = 416 for the window
    *(
        OpSpec(
            qualname,
            STFT,
            ("input", "window"),
            stft_shape,
            _stft_work,
            (Example(spelled(qualname, "16, window=y, return_complex=False"), ((100,), (16,)), (9, 26, 2), 0, 4576,
                     0),),
            call_dtype=_stft_dtype,
        )
        for qualname in ("torch.stft", "torch.Tensor.stft")
    ),
)
