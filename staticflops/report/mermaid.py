"""Mermaid flowcharts of the layer graph (they render in GitHub comments and Markdown files)."""

from __future__ import annotations

from staticflops.graph import heat, layer_graph
from staticflops.results import Analysis


def _text(text: str) -> str:
    return text.replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


def flowchart(analysis: Analysis) -> list[str]:
    unit = "MACs" if analysis.convention == "macs" else "FLOPs"
    charts = []
    for model in analysis.models:
        graph = layer_graph(model, unit)
        lines = ["flowchart TD"]
        for node, data in graph.nodes(data=True):
            lines.append(f'  {node}["{"<br/>".join(_text(part) for part in data["label"])}"]')
        lines.extend(f"  {a} --> {b}" for a, b in graph.edges)
        lines.extend(f"  style {node} fill:{heat(data['share'])}" for node, data in graph.nodes(data=True))
        charts.append("\n".join(lines))
    return charts


def render(analysis: Analysis) -> str:
    return "\n\n".join(flowchart(analysis))
