"""Positions computed for reported nodes agree with libcst's PositionProvider."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from staticflops.source.positions import compute_positions
from tests.conftest import FIXTURES


class _Collect(cst.CSTVisitor):
    def __init__(self) -> None:
        self.nodes: list[cst.CSTNode] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, (cst.Call, cst.ClassDef, cst.FunctionDef, cst.SimpleStatementLine, cst.Name)):
            self.nodes.append(node)
        return True


def test_positions_match_libcst_for_every_fixture() -> None:
    for path in sorted(FIXTURES.glob("*.py")):
        module = cst.parse_module(path.read_text().replace("\n", "\r\n") if path.stem == "mlp" else path.read_text())
        collector = _Collect()
        module.visit(collector)
        ours = compute_positions(module, {id(node) for node in collector.nodes})
        reference = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
        for node in collector.nodes:
            start = reference[node].start
            assert ours[id(node)] == (start.line, start.column), (path.name, type(node).__name__)
