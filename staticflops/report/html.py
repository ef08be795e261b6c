"""A self-contained HTML page (`--format html`): a zoomable treemap of the cost by module path, the
layer graph laid out top to bottom, the sortable table, and every diagnostic with its source line.

The page is the JSON renderer's data (`report.json.to_json`), plus what drawing needs that the JSON
leaves to the reader: the module tree with each leaf's FLOPs, parameters and activation elements,
each layer's family (its colour), and the graph's coordinates (`report.layout`). The data goes into
the page as JSON; a small hand-written script (`assets/report.js`) draws it as SVG. Nothing is
fetched when the page is viewed: no network, no framework.
"""

from __future__ import annotations

import json
import math
import tokenize
from importlib import resources
from typing import Any

from staticflops.catalog import WorkKind
from staticflops.gitdiff import Diff
from staticflops.graph import INPUT, heat, layer_graph
from staticflops.report import diffs
from staticflops.report.json import to_json
from staticflops.report.layout import layered
from staticflops.results import Analysis, LayerResult, ModelResult

FAMILIES: dict[WorkKind | None, str] = {
    WorkKind.CONV: "convolution",
    WorkKind.CONV_TRANSPOSE: "convolution",
    WorkKind.LINEAR: "linear",
    WorkKind.MATMUL: "matmul",
    WorkKind.NORM: "normalization",
    WorkKind.NORM_STATS: "normalization",
    WorkKind.ACTIVATION: "activation",
    WorkKind.SOFTMAX: "activation",
    WorkKind.MAX_POOL: "pooling",
    WorkKind.AVG_POOL: "pooling",
    WorkKind.ELEMENTWISE: "elementwise",
    WorkKind.REDUCE_SUM: "reduction",
    WorkKind.REDUCE_MEAN: "reduction",
    WorkKind.REDUCE_MAX: "reduction",
    WorkKind.FREE: "shape",
    None: "mixed or unknown",
}
"""A layer's family, by the kind of its work: what the treemap and the graph colour it by."""

COLOURS: dict[str, str] = {
    "convolution": "#4e79a7",
    "linear": "#f28e2b",
    "matmul": "#e15759",
    "normalization": "#76b7b2",
    "activation": "#59a14f",
    "pooling": "#edc948",
    "elementwise": "#b07aa1",
    "reduction": "#ff9da7",
    "shape": "#bab0ac",
    "mixed or unknown": "#9c755f",
    "other parameters": "#d4d4d4",
}
"""Tableau's ten colours, one per family; `other parameters` are those no traced call owns."""

OTHER_PARAMETERS = "(other parameters)"
"""The params treemap's leaf for parameters no traced call accounts for (a class token, a position
embedding read in forward()): without it the areas would not add up to the model's parameters."""


def activations(layer: LayerResult) -> int:
    """Elements of the call's output: what it writes to memory."""
    return 0 if layer.output is None else math.prod(layer.output)


def _name(parts: list[str]) -> str:
    """A container's index says nothing on its own: `layer1.0`, `mlp.0`, not `0`."""
    return ".".join(parts[-2:]) if parts[-1].isdigit() and len(parts) > 1 else parts[-1]


def module_tree(model: ModelResult) -> dict[str, Any]:
    """The module paths as a tree whose leaves are the calls, each with `v` = [FLOPs, params,
    activations]. A module called several times has one leaf per call and its parameters on the first,
    and a weight tied to an earlier layer's counts there (`LayerResult.first_params`): a treemap of
    parameters then adds up to the model's parameters, each counted once as torch counts them."""
    root: dict[str, Any] = {"name": model.name, "path": "", "children": []}
    groups: dict[str, dict[str, Any]] = {"": root}
    calls: dict[str, int] = {}
    for layer in model.layers:
        parts = layer.path.split(".")
        parent = root
        for depth in range(1, len(parts)):
            path = ".".join(parts[:depth])
            if path not in groups:
                groups[path] = {"name": _name(parts[:depth]), "path": path, "children": []}
                parent["children"].append(groups[path])
            parent = groups[path]
        seen = calls.get(layer.path, 0)
        calls[layer.path] = seen + 1
        name = _name(parts) if not seen else f"{_name(parts)} #{seen + 1}"
        parent["children"].append(
            {
                "name": name,
                "path": layer.path,
                "layer": layer.index,
                "v": [layer.flops or 0, layer.first_params, activations(layer)],
            }
        )
    owned = sum(leaf["v"][1] for leaf in leaves(root))
    if model.params > owned:
        other = {"name": OTHER_PARAMETERS, "path": "", "layer": None, "v": [0, model.params - owned, 0]}
        root["children"].append(other)
    return root


def leaves(node: dict[str, Any]) -> list[dict[str, Any]]:
    if "children" not in node:
        return [node]
    return [leaf for child in node["children"] for leaf in leaves(child)]


def graph_json(model: ModelResult, unit: str) -> dict[str, Any]:
    """Nodes with their centres and fill (the DOT renderer's heat of their FLOPs share), and edges."""
    graph = layer_graph(model, unit)
    layout = layered(graph)
    nodes = []
    for node, data in graph.nodes(data=True):
        x, y = layout.positions[node]
        nodes.append(
            {
                "id": node,
                "layer": None if node == INPUT else int(node[1:]),
                "x": round(x, 1),
                "y": round(y, 1),
                "label": data["label"],
                "fill": heat(data["share"]),
            }
        )
    return {
        "nodes": nodes,
        "edges": [[a, b] for a, b in graph.edges],
        "width": round(layout.width, 1),
        "height": round(layout.height, 1),
    }


class SourceLines:
    """The text of a line of an analyzed file, for a diagnostic; read (never run) once per file.
    A file that cannot be read gives no line rather than an error: the page is still worth having."""

    def __init__(self) -> None:
        self._files: dict[str, list[str]] = {}

    def line(self, file: str | None, line: int | None) -> str | None:
        if not file or not line:
            return None
        if file not in self._files:
            try:
                with tokenize.open(file) as handle:  # honours a PEP 263 coding line, as the analysis did
                    self._files[file] = handle.read().splitlines()
            except (OSError, SyntaxError, UnicodeDecodeError):
                self._files[file] = []
        lines = self._files[file]
        return lines[line - 1].rstrip() if 0 < line <= len(lines) else None


def _with_source(diagnostics: list[dict[str, Any]], sources: SourceLines) -> list[dict[str, Any]]:
    return [{**d, "source": sources.line(d["file"], d["line"])} for d in diagnostics]


def page_data(analysis: Analysis) -> dict[str, Any]:
    """The JSON contract, each model extended with its tree, graph and per-layer family, activations
    and share; each diagnostic with its source line."""
    unit = "MACs" if analysis.convention == "macs" else "FLOPs"
    data = to_json(analysis)
    sources = SourceLines()
    for entry, model in zip(data["models"], analysis.models, strict=True):
        total = model.flops or 1
        for row, layer in zip(entry["layers"], model.layers, strict=True):
            row["index"] = layer.index
            row["family"] = FAMILIES.get(layer.kind, FAMILIES[None])
            row["activations"] = activations(layer)
            row["share"] = None if layer.flops is None else layer.flops / total
        entry["input_note"] = model.input_note
        entry["tree"] = module_tree(model)
        entry["graph"] = graph_json(model, unit)
        entry["diagnostics"] = _with_source(entry["diagnostics"], sources)
    data["diagnostics"] = _with_source(data["diagnostics"], sources)
    data["unit"] = unit
    data["colours"] = COLOURS
    data["kind"] = "analysis"
    return data


def _asset(name: str) -> str:
    return resources.files("staticflops.report").joinpath("assets", name).read_text(encoding="utf-8")


def _script_json(data: dict[str, Any]) -> str:
    """JSON that cannot end its `<script>` element early: every `<`, `>` and `&` escaped."""
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def page(data: dict[str, Any], title: str) -> str:
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_escape(title)}</title>\n"
        f"<style>\n{_asset('report.css')}</style>\n</head>\n"
        '<body>\n<div id="app"><noscript>This report draws itself with JavaScript.</noscript></div>\n'
        f'<script type="application/json" id="report-data">{_script_json(data)}</script>\n'
        f"<script>\n{_asset('report.js')}</script>\n</body>\n</html>"
    )


def path_tree(name: str, costs: dict[str, tuple[int, int]]) -> dict[str, Any]:
    """The module-path tree of `staticflops diff`'s per-path costs (params, FLOPs): leaves carry
    `v` = [FLOPs, params, 0], as `module_tree`'s do, so the page draws both alike."""
    root: dict[str, Any] = {"name": name, "path": "", "children": []}
    groups: dict[str, dict[str, Any]] = {"": root}
    for full, (params, flops) in costs.items():
        parts = full.split(".")
        parent = root
        for depth in range(1, len(parts)):
            path = ".".join(parts[:depth])
            if path not in groups:
                groups[path] = {"name": _name(parts[:depth]), "path": path, "children": []}
                parent["children"].append(groups[path])
            parent = groups[path]
        parent["children"].append({"name": _name(parts), "path": full, "layer": None, "v": [flops, params, 0]})
    return root


def diff_data(diff: Diff) -> dict[str, Any]:
    """`staticflops diff`'s JSON with every layer (unchanged ones too: they fill the picture) and
    each side's tree of FLOPs by module path."""
    data = diffs.to_json(diff)
    for entry, model in zip(data["models"], diff.models, strict=True):
        entry["layers"] = [
            {
                "path": layer.path,
                "type": layer.type,
                "status": layer.status,
                "line": layer.line,
                "base": diffs.cost_json(layer.base),
                "head": diffs.cost_json(layer.head),
            }
            for layer in model.layers
        ]
        entry["trees"] = {
            side: None
            if getattr(model, side) is None
            else path_tree(
                model.name,
                {
                    layer.path: (getattr(layer, side).params, getattr(layer, side).flops)
                    for layer in model.layers
                    if getattr(layer, side) is not None
                },
            )
            for side in ("base", "head")
        }
    # no source lines: a diagnostic's file may be the base revision's, read from a checkout now gone
    data["unit"] = "MACs" if diff.convention == "macs" else "FLOPs"
    data["colours"] = COLOURS
    data["kind"] = "diff"
    return data


def render_diff(diff: Diff) -> str:
    return page(diff_data(diff), f"staticflops diff: {diff.base} → {diff.head}")


def render(analysis: Analysis) -> str:
    names = ", ".join(model.name for model in analysis.models) or "no model"
    return page(page_data(analysis), f"staticflops: {names}")
