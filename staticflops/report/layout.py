"""A top-to-bottom layered layout of a layer graph, computed here so that the HTML report needs no
layout library in the browser.

The classic Sugiyama steps, kept simple: each node's layer is its longest path from a source (a
call sits below everything it reads), then the nodes of each layer are ordered by the mean position
of their neighbours in the layer above and below (barycentres), a few sweeps down and up, which
removes most crossings of a network's branches and skips. Coordinates are the nodes' centres.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Hashable

    import networkx as nx

SWEEPS = 4
"""Down-and-up ordering passes; more rarely changes a network's order."""


@dataclass(frozen=True)
class Spacing:
    column: float = 190.0
    """Distance between the centres of neighbours in one layer."""
    row: float = 56.0
    """Distance between the centres of consecutive layers."""
    margin: float = 100.0
    """From the drawing's edge to the first centre (half a node's width, and some)."""


@dataclass(frozen=True)
class Layout:
    positions: dict[Hashable, tuple[float, float]]
    width: float
    height: float


def ranks(graph: nx.DiGraph) -> dict[Hashable, int]:
    """Longest-path layering: 0 for a node with no predecessor, else one more than its lowest predecessor."""
    import networkx as nx

    rank: dict[Hashable, int] = {}
    for node in nx.topological_sort(graph):
        rank[node] = max((rank[p] + 1 for p in graph.predecessors(node)), default=0)
    return rank


def _order(graph: nx.DiGraph, rows: list[list[Hashable]]) -> list[list[Hashable]]:
    """Barycentric ordering: sweep down (by predecessors' places), then up (by successors')."""
    place = {node: i for row in rows for i, node in enumerate(row)}

    def by(neighbours, row: list[Hashable]) -> list[Hashable]:
        def key(item: tuple[int, Hashable]) -> tuple[float, int]:
            i, node = item
            near = [place[n] for n in neighbours(node) if n in place]
            return (sum(near) / len(near) if near else float(i), i)

        ordered = [node for _, node in sorted(enumerate(row), key=key)]
        place.update({node: i for i, node in enumerate(ordered)})
        return ordered

    for _ in range(SWEEPS):
        for r in range(1, len(rows)):
            rows[r] = by(graph.predecessors, rows[r])
        for r in range(len(rows) - 2, -1, -1):
            rows[r] = by(graph.successors, rows[r])
    return rows


def layered(graph: nx.DiGraph, spacing: Spacing = Spacing()) -> Layout:
    """Each layer centred on the widest one; y grows downwards, as in SVG."""
    rank = ranks(graph)
    rows: list[list[Hashable]] = [[] for _ in range(max(rank.values(), default=-1) + 1)]
    for node in graph.nodes:  # insertion order: call order, the best first guess
        rows[rank[node]].append(node)
    rows = _order(graph, rows)
    widest = max((len(row) for row in rows), default=0)
    positions = {}
    for r, row in enumerate(rows):
        offset = (widest - len(row)) * spacing.column / 2
        for i, node in enumerate(row):
            positions[node] = (spacing.margin + offset + i * spacing.column, spacing.margin / 2 + r * spacing.row)
    width = 2 * spacing.margin + max(widest - 1, 0) * spacing.column
    height = spacing.margin + max(len(rows) - 1, 0) * spacing.row
    return Layout(positions, width, height)
