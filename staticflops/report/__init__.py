"""Renderers: one module per output format.

`render(analysis, fmt)` returns the text of every format but the table, which prints to a
rich console. The table below is the only registry: adding a format is one module and one line.
"""

from __future__ import annotations

import importlib
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

    from staticflops.results import Analysis


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"
    SARIF = "sarif"
    GITHUB = "github"
    DOT = "dot"
    MERMAID = "mermaid"
    HTML = "html"


RENDERERS: dict[OutputFormat, str] = {
    OutputFormat.JSON: "staticflops.report.json",
    OutputFormat.CSV: "staticflops.report.csv",
    OutputFormat.MARKDOWN: "staticflops.report.markdown",
    OutputFormat.SARIF: "staticflops.report.sarif",
    OutputFormat.GITHUB: "staticflops.report.github",
    OutputFormat.DOT: "staticflops.report.dot",
    OutputFormat.MERMAID: "staticflops.report.mermaid",
    OutputFormat.HTML: "staticflops.report.html",
}
"""Format → the module whose `render(analysis)` produces it (imported only when used)."""


def render(analysis: Analysis, fmt: OutputFormat) -> str:
    return importlib.import_module(RENDERERS[fmt]).render(analysis)


def chunks(analysis: Analysis, fmt: OutputFormat) -> Iterator[str]:
    """The text of `render` in pieces, for writing out as it is made: a format whose module has a
    `chunks(analysis)` (JSON: a layer at a time) never holds its whole document."""
    renderer = importlib.import_module(RENDERERS[fmt])
    if hasattr(renderer, "chunks"):
        return iter(renderer.chunks(analysis))
    return iter([renderer.render(analysis)])
