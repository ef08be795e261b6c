"""The per-layer table a person reads in a terminal (rich)."""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from rich.cells import cell_len
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
    return list(_rows(model, depth))


def _rows(model: ModelResult, depth: int | None) -> Iterator[Row]:
    if depth is None:
        yield from (_leaf_row(layer) for layer in model.layers)
        return
    grouped: dict[str, list[LayerResult]] = {}
    for layer in model.layers:
        key = ".".join(layer.path.split(".")[:depth])
        grouped.setdefault(key, []).append(layer)
    for key, layers in grouped.items():
        if len(layers) == 1 and layers[0].path == key:
            yield _leaf_row(layers[0])
            continue
        unknown = any(layer.flops is None for layer in layers)
        yield Row(
            path=key,
            type=f"{len(layers)} calls",
            line=str(min(layer.line for layer in layers)),
            inputs=shape(layers[0].inputs[0] if layers[0].inputs else None),
            output=shape(layers[-1].output),
            params=_unique_params(layers),
            flops=None if unknown else sum(layer.flops or 0 for layer in layers),
        )


def shown_rows(model: ModelResult, depth: int | None) -> list[Row]:
    """The table's rows: the first `MAX_ROWS`, then the rest summed into one. The text of a row past
    them is never made: a run of tens of thousands of calls shows a thousand."""
    made = _rows(model, depth)
    shown = list(itertools.islice(made, MAX_ROWS))
    hidden, params, flops = 0, 0, 0
    for row in made:
        hidden += 1
        params += row.params
        flops = None if flops is None or row.flops is None else flops + row.flops
    return [*shown, _rest(hidden, params, flops)] if hidden else shown


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
"""More rows than a person reads, and rich lays out a row of its own in about a millisecond (blocks of
rows, `_add_rows`, about 0.2 ms): a generated model of 10,000 layers would print for seconds. The rows past
it are summed into one; `--depth` groups rows by module, and the other formats list every call."""


def _rest(hidden: int, params: int, flops: int | None) -> Row:
    """The rows not shown, as one: their count, parameters and FLOPs, so that the table still adds up."""
    return Row(
        path=f"… {hidden:,} more rows",
        type="(--format csv: all)",
        line="",
        inputs="",
        output="",
        params=params,
        flops=flops,
    )


def model_table(model: ModelResult, depth: int | None, unit: str, console: Console | None = None) -> Table:
    """The table of one model; given the `console` it will print to, its rows are laid out in blocks
    (`_add_rows`), which print the same lines faster."""

    def empty() -> Table:
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
        return table

    total = model.flops or 1
    cells = [
        (
            row.path,
            row.type,
            row.line,
            row.inputs,
            row.output,
            human(row.params) if row.params else "",
            human(row.flops),
            "" if row.flops is None else f"{100 * row.flops / total:.1f}%",
        )
        for row in shown_rows(model, depth)
    ]
    table = _add_rows(empty, cells, console)
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


def _add_rows(empty: Callable[[], Table], cells: list[tuple[str, ...]], console: Console | None) -> Table:
    """A new table (`empty()`) with the rows, each run of plain one-line rows added as one row of
    multi-line cells.

    rich measures and renders every cell through several layers of objects, about a millisecond per row
    of eight cells: the 1,000 rows of a 70B model took a second. A cell holding the lines of many rows
    is measured and laid out once, and prints the same lines, provided no cell of those rows wraps: a
    row stays on its own if a cell holds markup or emoji syntax, or could wrap at the widths rich gives
    the columns (which blocks leave unchanged: a column's width comes from its longest line and its
    longest word, whichever rows hold them)."""
    plain = [console is not None and _plain(row) for row in cells]
    table = _fill(empty(), cells, plain)
    if console is None or not any(plain):
        return table
    try:  # rich's own layout of these columns, on this console
        options = console.options
        widths = table._calculate_column_widths(console, options.update_width(options.max_width - table._extra_width))
        room = [width - table._get_padding_width(index) for index, width in enumerate(widths)]
    except Exception:  # a rich without these internals: every row on its own, as rich lays it out
        return _fill(empty(), cells, [False] * len(cells))
    fits = [in_block and _fits(row, room) for row, in_block in zip(cells, plain, strict=True)]
    return table if fits == plain else _fill(empty(), cells, fits)


def _fill(table: Table, cells: list[tuple[str, ...]], blocks: list[bool]) -> Table:
    """Rows marked in `blocks` joined into runs; the others one by one."""
    run: list[tuple[str, ...]] = []
    for row, in_block in zip(cells, blocks, strict=True):
        if in_block:
            run.append(row)
            continue
        if run:
            table.add_row(*(Text("\n".join(column)) for column in zip(*run, strict=True)))
            run = []
        table.add_row(*row)
    if run:
        table.add_row(*(Text("\n".join(column)) for column in zip(*run, strict=True)))
    return table


def _plain(row: tuple[str, ...]) -> bool:
    """No markup (`[`), emoji code (`:`) or control character: the cell's text is what rich would show."""
    return not any("[" in cell or ":" in cell or not cell.isprintable() for cell in row)


def _fits(row: tuple[str, ...], room: list[int]) -> bool:
    """Each cell fits its column (inside the padding), or is one word, which rich cuts the same way
    whether it is a line of its own or of a block: nothing wraps onto a second line."""
    return all(
        cell_len(cell) <= width or not any(ch.isspace() for ch in cell) for cell, width in zip(row, room, strict=True)
    )


def console() -> Console:
    """A console for stdout; when it is not a terminal, wide enough that shapes are never cut."""
    return Console(highlight=False, width=None if sys.stdout.isatty() else 160)


def render(analysis: Analysis, console: Console, depth: int | None = None) -> None:
    unit = "MACs" if analysis.convention == "macs" else "FLOPs"
    for model in analysis.models:
        console.print(model_table(model, depth, unit, console))
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
