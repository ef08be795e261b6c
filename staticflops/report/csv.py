"""One row per layer call, for spreadsheets and scripts."""

from __future__ import annotations

import csv
import io

from staticflops.results import Analysis

COLUMNS = ("model", "path", "type", "file", "line", "call_line", "inputs", "output", "params", "flops", "macs")


def _shape(value: tuple[int, ...] | None) -> str:
    return "" if value is None else "x".join(str(d) for d in value)


def render(analysis: Analysis) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for model in analysis.models:
        for layer in model.layers:
            writer.writerow([
                model.name, layer.path, layer.type, layer.file, layer.line, layer.call_line,
                " ".join(_shape(s) for s in layer.inputs), _shape(layer.output), layer.params,
                "" if layer.flops is None else layer.flops, "" if layer.macs is None else layer.macs,
            ])  # fmt: skip
    return out.getvalue().rstrip("\n")
