"""The per-layer table a person reads in a terminal (rich)."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from staticflops.report.units import human, shape
from staticflops.results import Analysis, LayerResult, ModelResult, Symbolic


@dataclass
class Row:
    path: str
    type: str
    line: str
    inputs: str
    output: str
    params: int
    flops: int | None


def rows(model: ModelResult, depth: int | None) -> list[Row]:
    """One row per leaf call, or per module path truncated to `depth` components."""
    if depth is None:
        return [_leaf_row(layer) for layer in model.layers]
    grouped: dict[str, list[LayerResult]] = {}
    for layer in model.layers:
        key = ".".join(layer.path.split(".")[:depth])
        grouped.setdefault(key, []).append(layer)
    result = []
    for key, layers in grouped.items():
        if len(layers) == 1 and layers[0].path == key:
            result.append(_leaf_row(layers[0]))
            continue
        unknown = any(layer.flops is None for layer in layers)
        result.append(
            Row(
                path=key,
                type=f"{len(layers)} calls",
                line=str(min(layer.line for layer in layers)),
                inputs=shape(layers[0].inputs[0] if layers[0].inputs else None),
                output=shape(layers[-1].output),
                params=_unique_params(layers),
                flops=None if unknown else sum(layer.flops or 0 for layer in layers),
            )
        )
    return result


def _unique_params(layers: Iterable[LayerResult]) -> int:
    seen: dict[str, int] = {}
    for layer in layers:
        seen[layer.path] = layer.params
    return sum(seen.values())


def _leaf_row(layer: LayerResult) -> Row:
    line = str(layer.line) if layer.line == layer.call_line else f"{layer.line} ({layer.call_line})"
    return Row(
        layer.path,
        layer.type,
        line,
        ", ".join(shape(s) for s in layer.inputs),
        shape(layer.output),
        layer.params,
        layer.flops,
    )


MAX_ROWS = 1000
"""More rows than a person reads, and rich lays out a table at about 4 ms a row: a generated model of 10,000
layers would print for a minute. The rows past it are summed into one; `--depth` groups rows by module, and
the other formats list every call."""


def _rest(hidden: list[Row]) -> Row:
    """The rows not shown, as one: their count, parameters and FLOPs, so that the table still adds up."""
    unknown = any(row.flops is None for row in hidden)
    return Row(
        path=f"… {len(hidden):,} more rows",
        type="(--format csv: all)",
        line="",
        inputs="",
        output="",
        params=sum(row.params for row in hidden),
        flops=None if unknown else sum(row.flops or 0 for row in hidden),
    )


def model_table(model: ModelResult, depth: int | None, unit: str) -> Table:
    inputs = ", ".join(shape(s) for s in model.inputs) or "?"
    title = f"{model.name}  ({Path(model.file).name}:{model.line})  input {inputs} [{model.input_source}]"
    table = Table(title=Text(title), title_justify="left", header_style="bold")
    for column, justify in (
        ("Layer", "left"),
        ("Type", "left"),
        ("Line", "right"),
        ("Input", "left"),
        ("Output", "left"),
        ("Params", "right"),
        (unit, "right"),
        ("Share", "right"),
    ):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    total = model.flops or 1
    shown = rows(model, depth)
    if len(shown) > MAX_ROWS:
        shown = [*shown[:MAX_ROWS], _rest(shown[MAX_ROWS:])]
    for row in shown:
        share = "" if row.flops is None else f"{100 * row.flops / total:.1f}%"
        table.add_row(
            row.path,
            row.type,
            row.line,
            row.inputs,
            row.output,
            human(row.params) if row.params else "",
            human(row.flops),
            share,
        )
    lower = "≥ " if not model.flops_complete else ""
    params_lower = "≥ " if not model.params_complete else ""
    table.add_section()
    table.add_row(
        Text("Total", style="bold"),
        "",
        "",
        "",
        "",
        Text(params_lower + human(model.params), style="bold"),
        Text(lower + human(model.flops), style="bold"),
        "100%",
    )
    return table


def formula_lines(symbolic: Symbolic, unit: str) -> list[str]:
    """The symbolic run under the table: the totals' formulas, those of the costliest layers, where they hold."""
    dims = ", ".join(f"{name}={value}" for name, value in symbolic.dims.items()) or "none"
    lines = [f"  formulas in {', '.join(symbolic.inputs)} (traced at {dims}):"]
    width = max(len(name) for name in (unit, "params", "macs", "activations"))
    for name, quantity in symbolic.quantities.items():
        label = unit if name == "flops" else name
        text = quantity.expr if quantity.expr is not None else "(no exact formula: see SF308)"
        lines.append(f"    {label:<{width}}  {text}")
    if symbolic.layers:
        lines.append(f"  costliest layers ({unit}):")
        path_width = max(len(path) for path, _, _ in symbolic.layers)
        lines.extend(f"    {path:<{path_width}}  {expr}" for path, expr, _ in symbolic.layers)
    if symbolic.conditions:
        lines.append("  where " + "; ".join(f"{text} ({at})" if at else text for text, at in symbolic.conditions))
    checked = "; ".join(", ".join(f"{k}={v}" for k, v in env.items()) for env in symbolic.checked)
    verdict = "exact" if symbolic.exact else "NOT exact"
    lines.append(f"  {verdict}: checked against concrete traces at {checked or 'no other size'}")
    return lines


def console() -> Console:
    """A console for stdout; when it is not a terminal, wide enough that shapes are never cut."""
    return Console(highlight=False, width=None if sys.stdout.isatty() else 160)


def render(analysis: Analysis, console: Console, depth: int | None = None) -> None:
    unit = "MACs" if analysis.convention == "macs" else "FLOPs"
    for model in analysis.models:
        console.print(model_table(model, depth, unit))
        console.print(
            f"  params {model.params:,}   {unit.lower()} {model.flops:,}   macs {model.macs:,}"
            f"   convention {analysis.convention}"
        )
        if model.symbolic is not None:
            for line in formula_lines(model.symbolic, unit.lower()):
                console.print(Text(line))
        console.print()
    for file in analysis.files:
        for name, reason in file.skipped:
            console.print(Text(f"{file.path}: skipped '{name}': {reason}", style="dim"))
