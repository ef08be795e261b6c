"""`staticflops scale`: one dimension swept over a range, from the formulas of one symbolic run.

Each point is the formula evaluated at that size when every condition of the formula holds there; a point
outside them is traced concretely (`traced`), so no number of the sweep is extrapolated. The order of
growth is the formula's power of the swept dimension; the layers that dominate at each end are those whose
FLOPs formulas are largest there.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from staticflops.diagnostics import SF005, Diagnostic
from staticflops.errors import StaticFlopsError
from staticflops.results import ModelResult

TOP = 3
"""Layers named as dominating at each end of the sweep."""


@dataclass(frozen=True)
class Point:
    size: int
    params: int
    flops: int
    activations: int
    source: str
    """`formula`, or `traced` where a condition of the formula does not hold at this size."""
    top: tuple[tuple[str, int], ...] = ()


@dataclass
class Sweep:
    model: str
    dim: str
    dims: dict[str, int]
    points: list[Point]
    orders: dict[str, int] = field(default_factory=dict)
    """quantity → the power of the swept dimension it grows with."""


def parse_range(text: str) -> tuple[str, int, int]:
    """`L=128..32768`."""
    match = re.fullmatch(r"\s*([A-Za-z_]\w*)\s*=\s*(\d+)\s*\.\.\s*(\d+)\s*", text)
    if match is None or int(match[2]) < 1 or int(match[3]) < int(match[2]):
        message = f"cannot read --dim '{text}': write NAME=LOW..HIGH, e.g. L=128..32768"
        raise StaticFlopsError(Diagnostic(SF005, message))
    return match[1], int(match[2]), int(match[3])


def log_spaced(low: int, high: int, count: int) -> list[int]:
    """`count` sizes from low to high, evenly spaced in log (rounded, each once)."""
    if count <= 1 or low == high:
        return [low] if low == high or count <= 1 else [low, high]
    ratio = math.log(high / low)
    return sorted({round(low * math.exp(ratio * i / (count - 1))) for i in range(count)})


def sweep(
    model: ModelResult, dim: str, sizes: list[int], trace_at: Callable[[dict[str, int]], ModelResult | None]
) -> Sweep:
    """The sweep of `model` (a symbolic run's result) over `sizes` of `dim`; `trace_at` analyzes the model
    concretely at the given dimension values (for points outside the formula's conditions)."""
    symbolic = model.symbolic
    if symbolic is None or dim not in symbolic.dims:
        names = ", ".join(symbolic.dims) if symbolic is not None and symbolic.dims else "none"
        message = f"'{dim}' is not a dimension of '{model.name}' (its dimensions: {names})"
        raise StaticFlopsError(Diagnostic(SF005, message))
    if not {"params", "flops", "activations"} <= set(symbolic.formulas):
        raise StaticFlopsError(
            Diagnostic(SF005, f"'{model.name}' has no exact formula to sweep (see its SF308 diagnostics)")
        )
    points: list[Point] = []
    for size in sizes:
        env = {**symbolic.dims, dim: size}
        if all(guard.holds(env) for guard in symbolic.guards):
            values = {q: int(symbolic.formulas[q].evaluate(env)) for q in ("params", "flops", "activations")}
            layers = [(path, int(expr.evaluate(env))) for path, expr in symbolic.layer_formulas]
            points.append(Point(size, *values.values(), "formula", _top(layers)))
            continue
        traced = trace_at(env)
        if traced is None:
            continue
        activations = sum(math.prod(layer.output) for layer in traced.layers if layer.output is not None)
        layers = [(layer.path, layer.flops or 0) for layer in traced.layers]
        points.append(Point(size, traced.params, traced.flops, activations, "traced", _top(layers)))
    orders = {q: symbolic.quantities[q].orders.get(dim, 0) for q in ("params", "flops", "activations")}
    return Sweep(model.name, dim, dict(symbolic.dims), points, orders)


def _top(layers: list[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(layers, key=lambda item: -item[1])[:TOP])


def text(result: Sweep, human: Callable[[int | None], str]) -> str:
    """The sweep as a plain-text table, its orders of growth and the layers that dominate at each end."""
    header = f"{result.dim:>8}  {'params':>10}  {'FLOPs':>10}  {'activations':>12}  source"
    lines = [f"{result.model}: {result.dim} swept (other sizes: {_others(result)})", header]
    for point in result.points:
        lines.append(
            f"{point.size:>8}  {human(point.params):>10}  {human(point.flops):>10}  "
            f"{human(point.activations):>12}  {point.source}"
        )
    orders = ", ".join(f"{q} ~ {_order(result.dim, n)}" for q, n in result.orders.items())
    lines.append(f"order of growth in {result.dim}: {orders}")
    if result.points:
        for label, point in (("smallest", result.points[0]), ("largest", result.points[-1])):
            total = point.flops or 1
            shown = ", ".join(f"{path} {100 * flops / total:.1f}%" for path, flops in point.top)
            lines.append(f"dominating at {result.dim}={point.size} ({label}): {shown}")
    return "\n".join(lines) + "\n"


def _others(result: Sweep) -> str:
    return ", ".join(f"{k}={v}" for k, v in result.dims.items() if k != result.dim) or "none"


def _order(dim: str, power: int) -> str:
    return "constant" if power == 0 else dim if power == 1 else f"{dim}^{power}"


def svg(result: Sweep) -> str:
    """A log-log plot of FLOPs and activations against the swept size, as a self-contained SVG."""
    width, height, margin = 640, 400, 60
    series = [("FLOPs", "#4e79a7", [p.flops for p in result.points]),
              ("activations", "#f28e2b", [p.activations for p in result.points])]  # fmt: skip
    xs = [p.size for p in result.points]
    values = [v for _, _, ys in series for v in ys if v > 0]
    if not xs or not values:
        return (
            '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="80">'
            '<text x="10" y="40">no points</text></svg>\n'
        )
    x_low, x_high = math.log10(min(xs)), math.log10(max(xs))
    y_low, y_high = math.floor(math.log10(min(values))), math.ceil(math.log10(max(values)))
    x_span, y_span = max(x_high - x_low, 1e-9), max(y_high - y_low, 1)

    def x_at(size: float) -> float:
        return margin + (math.log10(size) - x_low) / x_span * (width - 2 * margin)

    def y_at(value: float) -> float:
        return height - margin - (math.log10(value) - y_low) / y_span * (height - 2 * margin)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        'font-family="sans-serif" font-size="12">',
        f"<title>{_escape(result.model)}: cost against {_escape(result.dim)}</title>",
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<line x1="{margin}" y1="{height - margin}" x2="{width - margin}" y2="{height - margin}" stroke="black"/>',
        f'<line x1="{margin}" y1="{margin}" x2="{margin}" y2="{height - margin}" stroke="black"/>',
    ]
    for exponent in range(y_low, y_high + 1):
        y = y_at(10**exponent)
        parts.append(f'<line x1="{margin}" y1="{y:.1f}" x2="{width - margin}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{margin - 6}" y="{y + 4:.1f}" text-anchor="end">1e{exponent}</text>')
    for size in xs:
        parts.append(f'<text x="{x_at(size):.1f}" y="{height - margin + 16}" text-anchor="middle">{size}</text>')
    for index, (name, colour, ys) in enumerate(series):
        points = " ".join(f"{x_at(x):.1f},{y_at(y):.1f}" for x, y in zip(xs, ys, strict=True) if y > 0)
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for x, y in zip(xs, ys, strict=True):
            if y > 0:
                parts.append(f'<circle cx="{x_at(x):.1f}" cy="{y_at(y):.1f}" r="3" fill="{colour}"/>')
        parts.append(f'<text x="{width - margin}" y="{margin - 24 + 14 * index}" text-anchor="end" fill="{colour}">'
                     f"{name} ~ {_order(result.dim, result.orders.get(name.lower(), 0))}</text>")  # fmt: skip
    label = f"{_escape(result.dim)} ({_escape(_others(result))})"
    parts.append(f'<text x="{width / 2}" y="{height - 16}" text-anchor="middle">{label}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
