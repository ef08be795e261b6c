"""Line and column numbers for the few nodes a report mentions.

libcst nodes carry no positions. Its `PositionProvider` computes one for every node
by re-generating the code and splitting every token on newlines, which costs about
twice the parse (measured on torchvision's resnet.py: parse 35 ms, PositionProvider
73 ms, plain codegen 12 ms). We only need positions for reported nodes, so we run the
plain codegen once, remember the token index at which each wanted node's syntactic
part starts, and turn those indexes into line/column in a single pass over the tokens.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import libcst as cst
from libcst._nodes.internal import CodegenState


class _MarkingState(CodegenState):
    """Codegen state that records the token index where each wanted node starts."""

    def __init__(self, module: cst.Module, wanted: set[int]) -> None:
        super().__init__(default_indent=module.default_indent, default_newline=module.default_newline)
        self.wanted = wanted
        self.starts: dict[int, int] = {}

    @contextmanager
    def record_syntactic_position(
        self,
        node: cst.CSTNode,
        *,
        start_node: cst.CSTNode | None = None,
        end_node: cst.CSTNode | None = None,
    ) -> Iterator[None]:
        key = id(node)
        if key in self.wanted and key not in self.starts:
            self.starts[key] = len(self.tokens)
        yield


def compute_positions(module: cst.Module, wanted: set[int]) -> dict[int, tuple[int, int]]:
    """Map `id(node)` of each wanted node to its 1-based line and 0-based column."""
    state = _MarkingState(module, wanted)
    module._codegen(state)
    by_index = sorted((index, key) for key, index in state.starts.items())
    positions: dict[int, tuple[int, int]] = {}
    line, column, cursor = 1, 0, 0
    tokens = state.tokens
    for index, key in by_index:
        while cursor < index:
            token = tokens[cursor]
            newlines = token.count("\n") + token.count("\r") - token.count("\r\n")
            if newlines:
                line += newlines
                column = len(token) - max(token.rfind("\n"), token.rfind("\r")) - 1
            else:
                column += len(token)
            cursor += 1
        positions[key] = (line, column)
    return positions
