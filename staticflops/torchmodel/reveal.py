"""What `staticflops shapes` prints: the tensor shape each statement of a traced `forward()`
produced, in the style of a type checker's reveal."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from staticflops.source import Location
from staticflops.torchmodel.state import torch_state
from staticflops.torchmodel.tensor import Tensor


@dataclass
class Revealed:
    file: str
    line: int
    target: str
    """The assigned expression's source (`x`, `q, k, v`), or `return`."""
    shapes: list[str] = field(default_factory=list)
    """Each distinct value seen there, in order (a block called twice may see two shapes)."""


def describe(value: Any) -> str | None:
    """How a revealed value prints: tensors by shape, sizes by value; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) or (isinstance(value, tuple) and value and all(type(v) is int for v in value)):
        return repr(value)
    if isinstance(value, Tensor):
        return "Tensor[?]" if value.shape is None else f"Tensor[{', '.join(str(d) for d in value.shape)}]"
    if isinstance(value, (tuple, list)) and value and all(isinstance(v, Tensor) or v is None for v in value):
        inner = ", ".join(describe(v) or "None" for v in value)
        return f"({inner})"
    return None


class Revealer:
    """Collects reveals while a trace is active; install with `interp.hooks["reveal"] = revealer`."""

    def __init__(self) -> None:
        self.found: dict[tuple[str, int, str], Revealed] = {}

    def __call__(self, interp: Any, where: Location, target: ast.expr | None, value: Any) -> None:
        if not torch_state(interp).trace.active:
            return
        text = describe(value)
        if text is None:
            return
        name = "return" if target is None else where.source.code_for_node(target)
        key = (where.file, where.line, name)
        entry = self.found.setdefault(key, Revealed(where.file, where.line, name))
        if text not in entry.shapes:
            entry.shapes.append(text)

    def lines(self) -> list[str]:
        return [f"{r.file}:{r.line}: {r.target}: {' | '.join(r.shapes)}" for r in self.found.values()]
