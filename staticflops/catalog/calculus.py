"""Numerical integration and differentiation: `torch.trapezoid` (and its old name `trapz`),
`torch.cumulative_trapezoid`, `torch.gradient`.

The trapezoidal rule over n samples along `dim` sums n − 1 trapezoids, each a pair's sum times its width: under
the seed convention `n − 1` additions of pairs, `n − 1` products by the widths (the widths' `n − 1`
subtractions more when the sample points `x` are given), the `n − 2` additions of the sum and the halving:
`3n − 4` per output (`+ n − 1` with `x`); the cumulative form halves each trapezoid and adds up the running
sums: `4n − 5` per line (`+ n − 1`). `gradient` takes a difference and divides by the spacing at every element
of every dimension it differentiates: 2 per element per dimension. No matrix product: 0 under `torch`.
"""

from __future__ import annotations

from typing import Any

from staticflops.catalog.spec import Example, OpSpec, Shape, Work, WorkKind, normalize_dim, numel, require
from staticflops.interpreter.calls import signature


def _samples(bound: dict[str, Any]) -> tuple[int, int]:
    """(the integrated dimension, its sample count); `x` must be 1-D of that many points or y's shape."""
    y, x = bound["y"], bound.get("x")
    require(bool(y), "trapezoid: y must have at least one dimension")
    at = normalize_dim(bound["dim"], len(y))
    if isinstance(x, tuple):
        require(x in ((y[at],), y) or len(x) == len(y), f"trapezoid: There must be one `x` value for each sample "
                f"point, got x {list(x)} for y {list(y)} along dimension {at}")  # fmt: skip
    return at, y[at]


def trapezoid_shape(bound: dict[str, Any]) -> Shape:
    at, _ = _samples(bound)
    y = bound["y"]
    return y[:at] + y[at + 1 :]


def cumulative_shape(bound: dict[str, Any]) -> Shape:
    at, n = _samples(bound)
    y = bound["y"]
    return (*y[:at], max(n - 1, 0), *y[at + 1 :])


def _integrated(cumulative: bool) -> Any:
    def work(bound: dict[str, Any], out: Shape) -> Work:
        _, n = _samples(bound)
        lines = numel(bound["y"]) // n if n else 0
        if n < 2:
            return Work(WorkKind.ELEMENTWISE, outputs=0)
        per_line = (4 * n - 5 if cumulative else 3 * n - 4) + (n - 1 if isinstance(bound.get("x"), tuple) else 0)
        return Work(WorkKind.ELEMENTWISE, outputs=lines, per_output=per_line)

    return work


def _gradient_dims(bound: dict[str, Any]) -> list[int]:
    x, dim = bound["input"], bound["dim"]
    dims = list(range(len(x))) if dim is None else [dim] if isinstance(dim, int) else list(dim)
    at = [normalize_dim(d, len(x)) for d in dims]
    for d in at:
        require(x[d] >= bound["edge_order"] + 1, "torch.gradient expected each dimension size to be at least "
                "edge_order+1")  # fmt: skip
    return at


def gradient_shape(bound: dict[str, Any]) -> list[Shape]:
    """One derivative of the input's shape per differentiated dimension."""
    require(bound["edge_order"] in (1, 2), "torch.gradient only supports edge_order=1 and edge_order=2.")
    return [bound["input"]] * len(_gradient_dims(bound))


def _spec(qualname: str, params: str, output: Any, cumulative: bool, example: Example, **defaults: Any) -> OpSpec:
    return OpSpec(qualname, signature(params, **defaults), ("y", "x"), output, _integrated(cumulative), (example,))


SPECS = (
    # 2 rows of 5 samples: 2 · (3·5 − 4) = 22
    _spec("torch.trapezoid", "y, x, *, dx, dim", trapezoid_shape, False,
          Example("torch.trapezoid(x)", ((2, 5),), (2,), 0, 22, 0), x=None, dx=None, dim=-1),
    # with the sample points: 2 · (11 + 4) = 30
    _spec("torch.trapz", "y, x, *, dx, dim", trapezoid_shape, False,
          Example("torch.trapz(x, y)", ((2, 5), (5,)), (2,), 0, 30, 0), x=None, dx=None, dim=-1),
    # 2 rows of 5 samples: 2 · (4·5 − 5) = 30
    _spec("torch.cumulative_trapezoid", "y, x, *, dx, dim", cumulative_shape, True,
          Example("torch.cumulative_trapezoid(x)", ((2, 5),), (2, 4), 0, 30, 0), x=None, dx=None, dim=-1),
    # both dimensions of a 4×5 input: 2 · 2 · 20 = 80
    OpSpec(
        "torch.gradient",
        signature("input, *, spacing, dim, edge_order", spacing=1, dim=None, edge_order=1),
        ("input",),
        gradient_shape,
        lambda b, out: Work(WorkKind.ELEMENTWISE, outputs=numel(b["input"]) * len(out), per_output=2),
        (Example("torch.gradient(x)", ((4, 5),), (4, 5), 0, 80, 0),),
    ),
)
