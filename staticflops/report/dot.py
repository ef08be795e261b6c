"""Graphviz DOT: the layer graph, nodes labelled with path, type, output shape and cost, filled by
their share of the model's FLOPs."""

from __future__ import annotations

from staticflops.graph import heat, layer_graph
from staticflops.results import Analysis


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(analysis: Analysis) -> str:
    unit = "MACs" if analysis.convention == "macs" else "FLOPs"
    blocks = []
    for model in analysis.models:
        graph = layer_graph(model, unit)
        lines = [
            f"digraph {_quote(model.name)} {{",
            "  rankdir=TB;",
            '  node [shape=box, style="rounded,filled", fontname="Helvetica"];',
        ]
        for node, data in graph.nodes(data=True):
            label = "\\n".join(data["label"]).replace('"', '\\"')
            lines.append(f'  {node} [label="{label}", fillcolor="{heat(data["share"])}"];')
        lines.extend(f"  {a} -> {b};" for a, b in graph.edges)
        lines.append("}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
