"""SARIF 2.1.0 for GitHub code scanning and other SARIF consumers.

Rules come from the diagnostic registry; each diagnostic with a file is a result with a
physical location (paths relative to the working directory, under %SRCROOT%).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from typing import Any

from staticflops import __version__
from staticflops.diagnostics import CODES, Diagnostic, Severity
from staticflops.results import Analysis

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _uri(path: str) -> str:
    relative = os.path.relpath(path) if os.path.isabs(path) else path
    return relative.replace(os.sep, "/")


def sarif_log(diagnostics: Iterable[Diagnostic]) -> dict[str, Any]:
    rules = list(CODES.values())
    index = {code.code: i for i, code in enumerate(rules)}
    results = []
    for diagnostic in diagnostics:
        result: dict[str, Any] = {
            "ruleId": diagnostic.code.code,
            "ruleIndex": index[diagnostic.code.code],
            "level": LEVELS[diagnostic.severity],
            "message": {"text": diagnostic.message},
        }
        if diagnostic.file:
            region = {"startLine": diagnostic.line or 1, "startColumn": (diagnostic.column or 0) + 1}
            result["locations"] = [{
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(diagnostic.file), "uriBaseId": "%SRCROOT%"},
                    "region": region,
                }
            }]  # fmt: skip
        results.append(result)
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "staticflops",
                "version": __version__,
                "informationUri": "https://github.com/staticflops/staticflops",
                "rules": [{
                    "id": code.code,
                    "name": code.name,
                    "shortDescription": {"text": code.summary},
                    "help": {"text": code.fix},
                    "defaultConfiguration": {"level": LEVELS[code.severity]},
                } for code in rules],
            }},
            "results": results,
        }],
    }  # fmt: skip


def render(analysis: Analysis) -> str:
    return json.dumps(sarif_log(analysis.diagnostics), indent=2)


def render_diagnostics(diagnostics: Iterable[Diagnostic]) -> str:
    return json.dumps(sarif_log(diagnostics), indent=2)
