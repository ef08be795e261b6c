"""Diagnostic codes and the diagnostics the analyzer emits.

Codes are registry objects, grouped as in the design: SF0xx input, SF1xx budgets,
SF2xx shapes, SF3xx analysis limits. A message is a template plus its arguments and
never carries the location, so JSON and SARIF fields stay stable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    severity: Severity
    summary: str
    """One sentence: what the analyzer saw."""
    fix: str
    """One sentence: what the user can do about it."""


CODES: dict[str, Code] = {}


def _code(code: str, name: str, severity: Severity, summary: str, fix: str) -> Code:
    if code in CODES:
        raise RuntimeError(f"diagnostic code {code} registered twice")
    entry = Code(code, name, severity, summary, fix)
    CODES[code] = entry
    return entry


SF001 = _code(
    "SF001",
    "syntax-error",
    Severity.ERROR,
    "The file is not valid Python.",
    "Fix the syntax error; staticflops parses files exactly as Python would.",
)
SF002 = _code(
    "SF002",
    "file-not-found",
    Severity.ERROR,
    "A path given on the command line does not exist or is not a readable Python file, or `--python` "
    "names no interpreter that answers.",
    "Check the path; directories are searched for `*.py` files, and `--python` takes an interpreter's path.",
)
SF003 = _code(
    "SF003",
    "undecodable-source",
    Severity.ERROR,
    "The file's bytes are not valid in its declared encoding (UTF-8 by default).",
    "Save the file as UTF-8 or declare its encoding in a PEP 263 comment.",
)
SF004 = _code(
    "SF004",
    "model-not-found",
    Severity.ERROR,
    "`--model` names nothing that builds an nn.Module, or the file has no model that builds without arguments.",
    "Pass `--model` with a class, a function or a call expression such as `ResNet(Block, [2, 2])`.",
)
SF005 = _code(
    "SF005",
    "bad-input-shape",
    Severity.ERROR,
    "An `--input-shape` value could not be read.",
    "Write shapes as `1,3,224,224` or `3x224x224` (batch 1 is prepended to the second form).",
)
SF006 = _code(
    "SF006",
    "bad-config",
    Severity.ERROR,
    "`[tool.staticflops]` in pyproject.toml, or a budget option, cannot be read.",
    "Fix the key or value named in the message; see docs/integrations.md for every key.",
)
SF007 = _code(
    "SF007",
    "too-complex",
    Severity.ERROR,
    "The file nests brackets deeper than Python allows, or holds an expression too long to parse in reasonable time.",
    "Generated code: split the expression; hand-written code: this is almost certainly not a model definition.",
)
SF008 = _code(
    "SF008",
    "bad-model-config",
    Severity.ERROR,
    "A Hugging Face `config.json` cannot be priced: it is not valid JSON, has no `model_type`, names a "
    "`model_type` or architecture the installed `transformers` does not have, or `transformers` is not installed.",
    "Fix the file as the message says, install `transformers` (no torch needed), or pass `--model` with "
    "the architecture's class name (docs/transformers.md).",
)
SF101 = _code(
    "SF101",
    "layer-flops",
    Severity.ERROR,
    "One call of a layer costs more FLOPs than `max-layer-flops` allows.",
    "Make the layer cheaper (fewer channels, a stride, a depthwise convolution), raise the budget, or "
    "suppress it with `# staticflops: ignore[SF101]` on the layer's line.",
)
SF102 = _code(
    "SF102",
    "layer-params",
    Severity.ERROR,
    "A layer has more parameters than `max-layer-params` allows.",
    "Shrink the layer, raise the budget, or suppress it with `# staticflops: ignore[SF102]` on its line.",
)
SF103 = _code(
    "SF103",
    "model-flops",
    Severity.ERROR,
    "A model costs more FLOPs in total than `max-model-flops` allows.",
    "Make the model cheaper or raise the budget; the per-layer table (`staticflops FILE`) shows where the cost is.",
)
SF104 = _code(
    "SF104",
    "model-params",
    Severity.ERROR,
    "A model has more parameters in total than `max-model-params` allows.",
    "Make the model smaller or raise the budget; the per-layer table shows where the parameters are.",
)
SF201 = _code(
    "SF201",
    "shape-mismatch",
    Severity.ERROR,
    "A layer received a tensor whose size disagrees with how the layer was built.",
    "Fix the layer's size or the input shape; the message names both numbers.",
)
SF202 = _code(
    "SF202",
    "invalid-reshape",
    Severity.ERROR,
    "A view/reshape/flatten asks for a shape the tensor's element count cannot fill.",
    "Check the target shape against the number of elements named in the message.",
)
SF203 = _code(
    "SF203",
    "empty-output",
    Severity.ERROR,
    "A layer's output would have a dimension below 1: the input is too small for it.",
    "Use a larger input shape (`--input-shape`) or less downsampling.",
)
SF204 = _code(
    "SF204",
    "broadcast-mismatch",
    Severity.ERROR,
    "An elementwise operation combines tensors whose shapes do not broadcast.",
    "Make the shapes agree; the message names both.",
)
SF205 = _code(
    "SF205",
    "invalid-index",
    Severity.ERROR,
    "Indexing a tensor (`x[...]`, `x[...] = v`) with an index its shape cannot take: an integer out of bounds, "
    "more indices than dimensions, a boolean mask of another shape, index tensors that do not broadcast "
    "together, or a value that does not broadcast to the indexed shape.",
    "Fix the index or the shape; the message is the error PyTorch would raise.",
)
SF301 = _code(
    "SF301",
    "unknown-value",
    Severity.WARNING,
    "A value the analyzer cannot know statically was used where it matters.",
    "Usually a third-party call, a dynamic construct, or a shape that depends on the data (indexing by a "
    "boolean mask, `torch.where(condition)`, a detector's post-processing); the report marks what it could not "
    "count.",
)
SF302 = _code(
    "SF302",
    "unsupported-construct",
    Severity.WARNING,
    "A Python construct the interpreter does not model was met.",
    "Rewrite it in plain Python or report it; analysis continued past it with an unknown value.",
)
SF303 = _code(
    "SF303",
    "budget-exhausted",
    Severity.WARNING,
    "The interpreter's step, depth, loop or time budget ran out.",
    "The code likely loops forever or recurses without end; raise the budget if it is legitimate.",
)
SF304 = _code(
    "SF304",
    "assumption",
    Severity.INFO,
    "The analyzer had to choose without knowing (a branch on an unknown condition, a default input shape, an "
    "environment variable taken as unset), or stopped a long loop that only computes local values (whatever it "
    "wrote is unknown from there, and reported where it matters). A model built or traced past an unknown "
    "condition also gets one at its definition listing those conditions: its numbers hold only if they went "
    "the assumed way, and its JSON result lists them under `assumptions` and is never `complete`.",
    "Give the missing fact (`--input-shape`, `--model` arguments, a value the analysis could not see) to remove "
    "the assumption.",
)
SF305 = _code(
    "SF305",
    "unknown-op",
    Severity.WARNING,
    "`forward()` calls a layer or op the catalog does not know; its cost is not counted. A second message at the "
    "same line says how many later layers are left without a cost because their inputs flow from it; everything "
    "else is still counted exactly.",
    "Totals are lower bounds; the op's name and line tell what is missing.",
)
SF306 = _code(
    "SF306",
    "raise-reached",
    Severity.ERROR,
    "Building or running the model reached a `raise` (or an error Python would raise) on the path the analyzer "
    "followed; the model could not be analyzed.",
    "The model as configured would fail when built or run: check its arguments and the input shape. If it runs "
    "in PyTorch, the analyzer took a wrong path: report it.",
)
SF307 = _code(
    "SF307",
    "module-code-failed",
    Severity.WARNING,
    "A top-level statement, a class-body statement or a parameter default of an analyzed or imported file could "
    "not be evaluated; only the names it defines are unknown, and the rest of the file is evaluated.",
    "Usually harmless (registration code, optional imports); it matters only if a model uses those names.",
)

SF308 = _code(
    "SF308",
    "symbolic-inexact",
    Severity.WARNING,
    "A symbolic run (`--symbolic`, named input sizes) could not give a formula: the formula read from the "
    "symbolic trace disagreed with a concrete trace at another size that meets every condition (a size went "
    "through a computation that kept only its value) or the trace was incomplete. The formula in question is "
    "not reported; the numbers at the traced size are.",
    "Report the model: the message names the quantity and the size where they disagree.",
)


SF900 = _code(
    "SF900",
    "unused-suppression",
    Severity.WARNING,
    "A `# staticflops: ignore[...]` comment suppresses nothing.",
    "Remove the comment, or fix the code it names; suppressions that outlive their reason hide new problems.",
)


@dataclass(frozen=True)
class Diagnostic:
    code: Code
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def severity(self) -> Severity:
        return self.code.severity

    def format(self) -> str:
        """`path:line:col: SF201 [shape-mismatch] message`, as ruff and flake8 print."""
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}:{(self.column or 0) + 1}"
        return f"{where}: {self.code.code} [{self.code.name}] {self.message}"

    def to_json(self) -> dict[str, object]:
        return {
            "code": self.code.code,
            "name": self.code.name,
            "severity": str(self.severity),
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": None if self.column is None else self.column + 1,
        }
