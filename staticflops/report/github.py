"""GitHub Actions workflow commands: each diagnostic becomes an annotation on its line."""

from __future__ import annotations

from collections.abc import Iterable

from staticflops.diagnostics import Diagnostic, Severity
from staticflops.results import Analysis

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(kind: str, message: str, file: str | None, line: int | None, column: int | None, title: str) -> str:
    properties = []
    if file:
        properties.append(f"file={_property(file)}")
    if line:
        properties.append(f"line={line}")
    if column is not None and line:
        properties.append(f"col={column + 1}")
    properties.append(f"title={_property(title)}")
    return f"::{kind} {','.join(properties)}::{_data(message)}"


def render_diagnostics(diagnostics: Iterable[Diagnostic]) -> str:
    return "\n".join(
        annotation(COMMANDS[d.severity], d.message, d.file, d.line, d.column, f"{d.code.code} {d.code.name}")
        for d in diagnostics
    )


def render(analysis: Analysis) -> str:
    return render_diagnostics(analysis.diagnostics)
