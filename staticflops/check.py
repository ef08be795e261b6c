"""`staticflops check`: budgets as lint rules, for pre-commit hooks and CI gates.

Each analyzed file gets the configuration that applies to it (`[tool.staticflops]` in the
nearest pyproject.toml, merged under the command-line options); layers and models over
budget become SF1xx diagnostics at their lines. `# staticflops: ignore[SF101]` on a line
suppresses the codes it names there, `# staticflops: ignore-file[SF101]` anywhere in a file
suppresses them in the whole file, and a suppression that suppresses nothing is SF900.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from staticflops.api import analyze
from staticflops.config import Budgets, Config, load_config
from staticflops.conventions import Convention
from staticflops.diagnostics import SF004, SF101, SF102, SF103, SF104, SF900, Code, Diagnostic, Severity
from staticflops.errors import StaticFlopsError
from staticflops.paths import expand_paths
from staticflops.report.units import human
from staticflops.results import ModelResult
from staticflops.shapes import parse_shape
from staticflops.source.libraries import Libraries, find_libraries
from staticflops.source.reads import Reads

if TYPE_CHECKING:
    from staticflops.source.trees import TreeCache

SUPPRESSION = re.compile(
    r"""
    \#\s*staticflops:\s*                # the tool's comment prefix
    (?P<scope>ignore-file|ignore)       # this line, or the whole file
    (?:\[(?P<codes>[A-Z0-9,\s]*)\])?    # the codes; none means every code
    """,
    re.VERBOSE,
)


@dataclass
class Suppression:
    line: int
    column: int
    whole_file: bool
    codes: frozenset[str] | None
    """None: every code."""
    used: bool = False

    def covers(self, diagnostic: Diagnostic) -> bool:
        if not self.whole_file and diagnostic.line != self.line:
            return False
        return self.codes is None or diagnostic.code.code in self.codes


def find_suppressions(text: str) -> list[Suppression]:
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        match = SUPPRESSION.search(line)
        if match is None:
            continue
        codes = match.group("codes")
        found.append(
            Suppression(
                number,
                match.start(),
                match.group("scope") == "ignore-file",
                None if codes is None else frozenset(c.strip() for c in codes.split(",") if c.strip()),
            )
        )
    return found


@dataclass
class CheckResult:
    findings: list[Diagnostic] = field(default_factory=list)
    """Everything to show, in file and line order."""
    models: int = 0
    files: int = 0
    failing: int = 0
    """Findings that fail the check (errors, and with --strict warnings too)."""
    reads: Reads = field(default_factory=Reads)
    """What the check looked at on disk (`staticflops.cache`)."""


@dataclass(frozen=True)
class Imports:
    """Where the checked files' imports resolve from, the same for every analysis of one check."""

    search_paths: tuple[str | Path, ...]
    libraries: Libraries
    trees: TreeCache | None = None
    """Parsed files kept by content: a library module many checked files import is parsed once."""


def check(
    paths: Sequence[str | Path],
    *,
    budgets: Budgets | None = None,
    convention: str | None = None,
    model: str | None = None,
    input_shape: str | None = None,
    strict: bool = False,
    search_paths: Sequence[str | Path] = (),
    site_packages: bool = True,
    python: str | None = None,
    library_paths: Sequence[str | Path] | None = None,
    trees: TreeCache | None = None,
) -> CheckResult:
    """Check every file under `paths`; `search_paths`, the library options and `trees` are `analyze`'s."""
    budgets = budgets or Budgets()
    result = CheckResult()
    files = expand_paths(paths)
    # asked once: `--python` runs an interpreter, and each file and configured model is an analysis
    imports = Imports(tuple(search_paths), find_libraries(site_packages, python, library_paths), trees)
    for file in files:
        config = load_config(file)
        result.files += 1
        findings = _check_file(file, config, budgets, convention, model, input_shape, result, imports)
        result.findings.extend(_apply_suppressions(file, findings))
    result.findings.sort(key=lambda d: (d.file or "", d.line or 0, d.column or 0, d.code.code))
    result.failing = sum(
        1 for d in result.findings if d.severity is Severity.ERROR or (strict and d.severity is Severity.WARNING)
    )
    return result


def _check_file(
    file: Path,
    config: Config,
    budgets: Budgets,
    convention: str | None,
    model: str | None,
    input_shape: str | None,
    result: CheckResult,
    imports: Imports,
) -> list[Diagnostic]:
    entries = config.for_file(file) if model is None else []
    runs = [(e.model, e.input_shape or config.input_shape, config.budgets.merged(e.budgets)) for e in entries]
    if not runs:
        runs = [(model, config.input_shape, config.budgets)]
    findings: list[Diagnostic] = []
    for run_model, run_shape, file_budgets in runs:
        limits = file_budgets.merged(budgets)
        shape = input_shape or run_shape
        try:
            analysis = analyze(
                [file],
                model=run_model,
                inputs=[parse_shape(shape)] if shape else None,
                convention=Convention(convention or config.convention or Convention.SEED),
                search_paths=imports.search_paths,
                libraries=imports.libraries,
                trees=imports.trees,
            )
        except StaticFlopsError as error:
            findings.append(error.diagnostic)
            continue
        result.reads.merge(analysis.reads)
        for file_result in analysis.files:
            # a file without models is not a finding in a check: most files of a project have none
            findings.extend(d for d in file_result.diagnostics if d.code is not SF004 or run_model is not None)
            for model_result in file_result.models:
                result.models += 1
                findings.extend(d for d in model_result.diagnostics if d.severity is not Severity.INFO)
                findings.extend(over_budget(model_result, limits, analysis.convention))
    return findings


def over_budget(model: ModelResult, limits: Budgets, convention: Convention) -> list[Diagnostic]:
    unit = "MACs" if convention is Convention.MACS else "FLOPs"
    found: list[Diagnostic] = []

    def add(code: Code, message: str, file: str, line: int, column: int) -> None:
        found.append(Diagnostic(code, message, file, line, column))

    seen_params: set[str] = set()
    for layer in model.layers:
        name = f"layer '{layer.path}' ({layer.type}) of '{model.name}'"
        if limits.layer_flops is not None and (layer.flops or 0) > limits.layer_flops:
            add(
                SF101,
                f"{name} costs {human(layer.flops, unit)}, over the {human(limits.layer_flops, unit)} limit",
                layer.file,
                layer.line,
                layer.column,
            )
        if limits.layer_params is not None and layer.params > limits.layer_params and layer.path not in seen_params:
            seen_params.add(layer.path)
            add(
                SF102,
                f"{name} has {human(layer.params)} parameters, over the {human(limits.layer_params)} limit",
                layer.file,
                layer.line,
                layer.column,
            )
    lower = "" if model.flops_complete else "at least "
    if limits.model_flops is not None and model.flops > limits.model_flops:
        add(
            SF103,
            f"model '{model.name}' costs {lower}{human(model.flops, unit)}, over the "
            f"{human(limits.model_flops, unit)} limit",
            model.file,
            model.line,
            0,
        )
    if limits.model_params is not None and model.params > limits.model_params:
        add(
            SF104,
            f"model '{model.name}' has {human(model.params)} parameters, over the {human(limits.model_params)} limit",
            model.file,
            model.line,
            0,
        )
    return found


def _apply_suppressions(file: Path, findings: list[Diagnostic]) -> list[Diagnostic]:
    try:
        text = file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return findings
    suppressions = find_suppressions(text)
    if not suppressions:
        return findings
    kept = []
    for finding in findings:
        matching = [s for s in suppressions if finding.file == str(file) and s.covers(finding)]
        for suppression in matching:
            suppression.used = True
        if not matching:
            kept.append(finding)
    for suppression in suppressions:
        if not suppression.used:
            what = ", ".join(sorted(suppression.codes)) if suppression.codes else "every code"
            kept.append(
                Diagnostic(
                    SF900,
                    f"this suppression of {what} suppresses nothing",
                    str(file),
                    suppression.line,
                    suppression.column,
                )
            )
    return kept
