"""What an analysis produces: plain data that renderers and the JSON contract read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from staticflops.catalog import Shape, Work, WorkKind
from staticflops.conventions import FUNCTION, Caller, Convention
from staticflops.diagnostics import Diagnostic, Severity
from staticflops.source.reads import Reads


@dataclass(slots=True)
class LayerResult:
    """One traced call. Slotted: a deep model has thousands, and each is kept until the report is written."""

    path: str
    type: str
    file: str
    line: int
    call_line: int
    inputs: list[Shape | None]
    output: Shape | None
    params: int
    flops: int | None
    """None when the layer's work is unknown (an op the catalog lacks, an unknown shape)."""
    macs: int | None
    kind: WorkKind | None
    """The kind of work, for a call that does one kind (None: unknown, or several kinds)."""
    index: int
    sources: tuple[int, ...] = ()
    works: tuple[Work, ...] = ()
    caller: Caller = FUNCTION
    """How it was called: what the exact-type rules of some conventions need to re-price it."""
    column: int = 0
    """0-based column of the layer's construction (or of the op's call)."""
    first_params: int = 0
    """Of `params`, those no earlier call's module holds: a module called again, or a weight tied to an
    earlier layer's, counts 0 here. They add up to the model's parameters (less any no call owns)."""


@dataclass
class SymbolicQuantity:
    """One total as a formula: `expr` in the documented grammar (valid Python), its value at the traced
    sizes, and the highest power of each dimension in it; expr and value are None when the formula failed
    its check against concrete traces (it is then never shown)."""

    expr: str | None
    value: int | None
    orders: dict[str, int] = field(default_factory=dict)


@dataclass
class Symbolic:
    """The result of a symbolic run (docs/symbolic.md)."""

    dims: dict[str, int]
    """The dimensions left in the formulas, with the values the trace ran at."""
    pinned: dict[str, int]
    """Named sizes the model admits only one value of (a condition `C == 3`): numbers in the formulas."""
    inputs: list[str]
    """Each input's shape with its names (`B,3,H,W`, `input_ids=B,L`)."""
    quantities: dict[str, SymbolicQuantity]
    """params, flops, macs and activations (elements of every call's output)."""
    layers: list[tuple[str, str, int]]
    """The costliest layers: path, FLOPs formula, value."""
    conditions: list[tuple[str, str | None]]
    """Where the formulas hold: each condition on the sizes the trace relied on, and where it was met."""
    exact: bool
    """Every formula agreed with a concrete trace at each size in `checked`."""
    checked: list[dict[str, int]]
    formulas: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    """The exact formulas as expressions (`symbolic.Poly`), for `staticflops scale`: quantity → expression."""
    layer_formulas: list[tuple[str, Any]] = field(default_factory=list, repr=False, compare=False)
    """Every layer's FLOPs as an expression (when the total's formula is exact), in call order."""
    guards: list[Any] = field(default_factory=list, repr=False, compare=False)
    """`conditions` as `symbolic.Guard`s, which `holds(sizes)` decides."""
    measured: list[dict[str, int]] = field(default_factory=list, repr=False, compare=False)
    """What the concrete trace at each size of `checked` gave: params, flops, macs, activations."""


@dataclass
class ModelResult:
    name: str
    file: str
    line: int
    inputs: list[Shape]
    input_source: str
    input_note: str
    params: int
    flops: int
    macs: int
    layers: list[LayerResult]
    diagnostics: list[Diagnostic]
    params_complete: bool = True
    """False when some parameter shape is unknown: `params` is then a lower bound."""
    flops_complete: bool = True
    """False when some call's work is unknown: `flops` and `macs` are then lower bounds."""
    assumptions: list[str] = field(default_factory=list)
    """`file:line` of each unknown condition whose branch was assumed while building or tracing the model:
    the numbers hold only if those assumptions do, so the result is never complete."""
    symbolic: Symbolic | None = None
    """`--symbolic` or named input sizes: the totals as formulas of them."""
    revealed: list[str] = field(default_factory=list)
    """`staticflops shapes`: `file:line: target: Tensor[...]` for each statement of the traced forward()."""


@dataclass
class FileResult:
    path: str
    models: list[ModelResult] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    """Diagnostics not tied to one model (module-level code, skipped candidates, parse errors)."""
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """Candidates not analyzed, with the reason."""


@dataclass(frozen=True)
class FileDone:
    """What a progress display hears of each finished file (plain data: it crosses from the workers)."""

    path: str
    models: int


Progress = Callable[[FileDone], None]


@dataclass
class Analysis:
    convention: Convention
    files: list[FileResult]
    parse_seconds: float = 0.0
    """Reading and parsing files; the rest of an analysis' time is interpretation (`--timings`)."""
    reads: Reads = field(default_factory=Reads)
    """What the analysis looked at on disk: a stored result is valid while all of it is unchanged."""

    @property
    def models(self) -> list[ModelResult]:
        return [model for file in self.files for model in file.models]

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """Every diagnostic once: a model's are often its file's too (the same statement, reached again)."""
        found: list[Diagnostic] = []
        seen: set[str] = set()
        for file in self.files:
            for diagnostic in [*file.diagnostics, *(d for model in file.models for d in model.diagnostics)]:
                key = diagnostic.format()
                if key not in seen:
                    seen.add(key)
                    found.append(diagnostic)
        # by place, so that a run's report does not depend on which file first imported a module
        return sorted(found, key=lambda d: (d.file or "", d.line or 0, d.column or 0, d.code.code))

    @property
    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.diagnostics)
