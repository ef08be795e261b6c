"""Line and column numbers for the nodes a report mentions.

libcst nodes carry no positions. Its `PositionProvider` computes them for every node by
re-generating the code and splitting every token on newlines, which costs about twice the
parse (measured on torchvision's resnet.py: parse 35 ms, PositionProvider 73 ms, plain
codegen 12 ms). We run the plain codegen once per file, the first time a position in it is
asked for, remembering only the token index at which each node's syntactic part starts;
a requested node's line and column then come from its token's character offset.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from contextlib import nullcontext
from itertools import accumulate

import libcst as cst
from libcst._nodes.internal import CodegenState

_NOTHING = nullcontext()
_NEWLINE = re.compile(r"\r\n|\r|\n")


class _MarkingState(CodegenState):
    """Codegen state that records the token index where each node's syntactic part starts."""

    def __init__(self, module: cst.Module) -> None:
        super().__init__(default_indent=module.default_indent, default_newline=module.default_newline)
        self.starts: dict[int, int] = {}

    def record_syntactic_position(
        self,
        node: cst.CSTNode,
        *,
        start_node: cst.CSTNode | None = None,
        end_node: cst.CSTNode | None = None,
    ) -> nullcontext[None]:
        # called for every node: a shared do-nothing context manager instead of a generator-based one,
        # which costs a third of the codegen
        self.starts.setdefault(id(node), len(self.tokens))
        return _NOTHING


class Positions:
    """The positions of one module's nodes, resolved on demand after a single codegen.

    The codegen's tokens concatenate to the file's text, so a token index is a character offset
    (their running lengths) and a line is found by bisecting the offsets where lines start: each
    request costs its own nodes only, however many requests a file gets (one per model of a timm file
    with a hundred registered models; a scan of the tokens before the nodes made that quadratic).
    """

    def __init__(self, module: cst.Module) -> None:
        state = _MarkingState(module)
        module._codegen(state)
        self._starts = state.starts
        self._offsets = list(accumulate(map(len, state.tokens), initial=0))
        text = "".join(state.tokens)
        self._lines = [0, *(match.end() for match in _NEWLINE.finditer(text))]

    def resolve(self, keys: Iterable[int]) -> dict[int, tuple[int, int]]:
        """`id(node)` → (1-based line, 0-based column) for the given nodes."""
        positions: dict[int, tuple[int, int]] = {}
        for key in keys:
            index = self._starts.get(key)
            if index is None:
                continue
            offset = self._offsets[index]
            line = bisect_right(self._lines, offset)
            positions[key] = (line, offset - self._lines[line - 1])
        return positions


def compute_positions(module: cst.Module, wanted: set[int]) -> dict[int, tuple[int, int]]:
    """Positions of `wanted` node ids (a convenience for one-off use; SourceFile keeps a `Positions`)."""
    return Positions(module).resolve(wanted)
