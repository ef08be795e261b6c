"""The diagnostics a run prints on stderr, as a person reads them.

Everything is in the JSON output; on a terminal, what the user can act on comes first. A run over
a library-heavy model (timm's ViT reads 40 files) meets dozens of assumptions inside code the user
did not name: `condition unknown; assumed true` for feature probes such as
`_has_silu = 'silu' in dir(F)`. Those are listed only with `--verbose`, and counted in one line.
Shown by default: every diagnostic of a file named on the command line (directories expanded), and
every warning and error met while building or tracing a model, wherever its code lives (they change
the numbers: an unknown op, a budget that ran out). Warnings from the module-level code of a library
(a statement that raised, a loop over `importlib.metadata` skipped) matter only through a name a
model then uses, and that use is reported where it happens.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from staticflops.diagnostics import Diagnostic, Severity


@dataclass(frozen=True)
class Notes:
    shown: list[Diagnostic]
    hidden: list[Diagnostic]


def select(
    diagnostics: Sequence[Diagnostic], named: Collection[str], in_models: Collection[Diagnostic], verbose: bool = False
) -> Notes:
    """Split `diagnostics` into those printed by default and those only `--verbose` prints; `in_models` are
    the ones met while building or tracing a model."""
    if verbose:
        return Notes(list(diagnostics), [])
    shown: list[Diagnostic] = []
    hidden: list[Diagnostic] = []
    for diagnostic in diagnostics:
        own = diagnostic.file is None or diagnostic.file in named
        changes_numbers = diagnostic.severity is not Severity.INFO and diagnostic in in_models
        (shown if own or changes_numbers else hidden).append(diagnostic)
    return Notes(shown, hidden)


def render(
    diagnostics: Sequence[Diagnostic], named: Collection[str], in_models: Collection[Diagnostic], verbose: bool = False
) -> str:
    """`path:line:col: CODE [name] message` lines; the same message repeated in one file prints once,
    with the other lines it was met at; then one line counting what was left out."""
    notes = select(diagnostics, named, in_models, verbose)
    lines = [_collapsed(group) for group in _repeats(notes.shown)]
    if notes.hidden:
        files = len({diagnostic.file for diagnostic in notes.hidden})
        lines.append(
            f"staticflops: {_count(len(notes.hidden), 'note')} from {_count(files, 'file')} not named on the command "
            "line left out (assumptions, and what their module-level code could not evaluate); "
            "--verbose lists them, --format json keeps them"
        )
    return "".join(line + "\n" for line in lines)


def _repeats(diagnostics: Sequence[Diagnostic]) -> list[list[Diagnostic]]:
    """Runs of the same code and message in the same file (the list is sorted by place)."""
    groups: list[list[Diagnostic]] = []
    for diagnostic in diagnostics:
        last = groups[-1][0] if groups else None
        if (
            last is not None
            and last.file == diagnostic.file
            and last.code == diagnostic.code
            and last.message == diagnostic.message
            and diagnostic.line is not None
        ):
            groups[-1].append(diagnostic)
        else:
            groups.append([diagnostic])
    return groups


def _collapsed(group: list[Diagnostic]) -> str:
    first = group[0].format()
    if len(group) == 1:
        return first
    lines = sorted({diagnostic.line for diagnostic in group[1:] if diagnostic.line is not None})
    listed = ", ".join(str(line) for line in lines[:8]) + (", ..." if len(lines) > 8 else "")
    return f"{first} (×{len(group)}: also line{'s' if len(lines) != 1 else ''} {listed})"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}"
