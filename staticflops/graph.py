"""The layer graph of a traced model: one node per call, edges where tensors flow.

networkx is imported here only, and only when a graph format is asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from staticflops.report.units import human, shape
from staticflops.results import ModelResult

if TYPE_CHECKING:
    import networkx as nx

INPUT = "input"


def layer_graph(model: ModelResult, unit: str = "FLOPs") -> nx.DiGraph:
    """Nodes carry `label` lines and `share` (of the model's FLOPs); the `input` node feeds calls that
    read no traced call's output."""
    import networkx as nx

    graph = nx.DiGraph(name=model.name)
    inputs = ", ".join(shape(s) for s in model.inputs) or "?"
    graph.add_node(INPUT, label=["input", inputs], share=0.0)
    total = model.flops or 1
    for layer in model.layers:
        node = f"n{layer.index}"
        cost = human(layer.flops, unit)
        graph.add_node(
            node, label=[layer.path, layer.type, shape(layer.output), cost], share=(layer.flops or 0) / total
        )
        sources = [f"n{s}" for s in layer.sources if graph.has_node(f"n{s}")]
        for source in sources or [INPUT]:
            graph.add_edge(source, node)
    return graph


def heat(share: float) -> str:
    """White for no share of the FLOPs, through orange, to red for all of them."""
    share = max(0.0, min(1.0, share)) ** 0.5
    green = round(255 - 175 * share)
    blue = round(255 - 215 * share)
    return f"#ff{green:02x}{blue:02x}"
