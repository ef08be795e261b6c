"""Line and column numbers for the nodes a report mentions.

libcst nodes carry no positions. Its `PositionProvider` computes them for every node by
re-generating the code and splitting every token on newlines, which costs about twice the
parse (measured on torchvision's resnet.py: parse 35 ms, PositionProvider 73 ms, plain
codegen 12 ms). We run the plain codegen of a file, top-level statement by top-level statement, as
far as the nodes asked for need, remembering only the token index at which each node's syntactic
part starts; a requested node's line and column then come from its token's character offset.
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
    """The positions of one module's nodes, resolved on demand by a codegen that goes only as far as asked.

    The codegen's tokens concatenate to the file's text, so a token index is a character offset
    (their running lengths) and a line is found by bisecting the offsets where lines start: each
    request costs its own nodes only, however many requests a file gets (one per model of a timm file
    with a hundred registered models; a scan of the tokens before the nodes made that quadratic).
    The top-level statements are generated in order until every requested node has been met, and the
    rest waits for a later request: what a library file reports is mostly near its top (its imports
    and the guards around them), and its remaining hundreds of statements are then never generated.
    """

    def __init__(self, module: cst.Module) -> None:
        self._module = module
        self._state = _MarkingState(module)
        self._starts = self._state.starts
        self._offsets = [0]
        self._lines = [0]
        self._generated = 0
        """Top-level statements generated so far; the footer follows the last."""
        for header in module.header:
            header._codegen(self._state)
        self._measure()

    def resolve(self, keys: Iterable[int]) -> dict[int, tuple[int, int]]:
        """`id(node)` → (1-based line, 0-based column) for the given nodes."""
        wanted = list(keys)
        self._generate_until({key for key in wanted if key not in self._starts})
        positions: dict[int, tuple[int, int]] = {}
        for key in wanted:
            index = self._starts.get(key)
            if index is None:
                continue
            offset = self._offsets[index]
            line = bisect_right(self._lines, offset)
            positions[key] = (line, offset - self._lines[line - 1])
        return positions

    def _generate_until(self, missing: set[int]) -> None:
        body = self._module.body
        while missing and self._generated < len(body):
            body[self._generated]._codegen(self._state)
            self._generated += 1
            missing = {key for key in missing if key not in self._starts}
        if missing and self._generated == len(body):
            for footer in self._module.footer:
                footer._codegen(self._state)
            self._generated += 1
        self._measure()

    def _measure(self) -> None:
        """Offsets of the tokens generated since the last call, and where their lines start."""
        tokens = self._state.tokens
        done = len(self._offsets) - 1
        if done == len(tokens):
            return
        base = self._offsets[-1]
        self._offsets.extend(list(accumulate(map(len, tokens[done:]), initial=base))[1:])
        text = "".join(tokens[done:])
        self._lines.extend(base + match.end() for match in _NEWLINE.finditer(text))


def compute_positions(module: cst.Module, wanted: set[int]) -> dict[int, tuple[int, int]]:
    """Positions of `wanted` node ids (a convenience for one-off use; SourceFile keeps a `Positions`)."""
    return Positions(module).resolve(wanted)
