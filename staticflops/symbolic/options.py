"""What a symbolic run is asked for: which input sizes are named, and the values they take in the trace."""

from __future__ import annotations

import re
from dataclasses import dataclass

from staticflops.diagnostics import SF005, Diagnostic
from staticflops.errors import StaticFlopsError

Pattern = tuple[int | str, ...]
"""An input shape whose sizes are numbers or dimension names: `("B", 3, "H", "W")`."""


@dataclass(frozen=True)
class SymbolicOptions:
    """`inputs`/`named`: the shapes as written with names (empty with `--symbolic` alone: every size of the
    inferred or given inputs is named, and those the model pins are put back as numbers); `dims`: the
    values `--dim NAME=VALUE` gives; `checks`: how many other sizes the formula is checked at."""

    inputs: tuple[Pattern, ...] = ()
    named: tuple[tuple[str, Pattern], ...] = ()
    dims: tuple[tuple[str, int], ...] = ()
    checks: int = 2

    @property
    def auto(self) -> bool:
        return not self.inputs and not self.named


def has_names(text: str) -> bool:
    """`B,3,H,W` or `input_ids=B,L`: an input shape with at least one size named."""
    spec = text.split("=", 1)[1] if "=" in text else text
    return any(part.strip().isidentifier() for part in spec.strip("()[] ").split(","))


def parse_pattern(text: str) -> tuple[str | None, Pattern]:
    """`input_ids=B,L` → ("input_ids", ("B", "L")); `B,3,H,W` → (None, ("B", 3, "H", "W"))."""
    name, _, spec = text.partition("=") if "=" in text else ("", "", text)
    name = name.strip()
    parts = [part.strip() for part in spec.strip().strip("()[]").rstrip(",").split(",")]
    sizes: list[int | str] = []
    for part in parts:
        if re.fullmatch(r"\d+", part):
            sizes.append(int(part))
        elif part.isidentifier():
            sizes.append(part)
        else:
            raise StaticFlopsError(
                Diagnostic(SF005, f"cannot read input shape '{text}': write sizes as numbers or names, e.g. B,3,H,W")
            )
    if name and not name.isidentifier():
        raise StaticFlopsError(Diagnostic(SF005, f"cannot read input '{text}': '{name}' is not an argument name"))
    return name or None, tuple(sizes)


def parse_dim(text: str) -> tuple[str, int]:
    """`--dim H=224`."""
    name, _, value = text.partition("=")
    name, value = name.strip(), value.strip()
    if not name.isidentifier() or not re.fullmatch(r"\d+", value) or int(value) < 1:
        raise StaticFlopsError(Diagnostic(SF005, f"cannot read --dim '{text}': write NAME=SIZE, e.g. H=224"))
    return name, int(value)


def concrete(pattern: Pattern, dims: dict[str, int]) -> tuple[int, ...] | None:
    """The shape with every name replaced by its value, or None when a name has none."""
    if any(isinstance(size, str) and size not in dims for size in pattern):
        return None
    return tuple(dims[size] if isinstance(size, str) else size for size in pattern)
