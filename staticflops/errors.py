"""The one exception type that crosses the API boundary: bad input, not a bug."""

from __future__ import annotations

from staticflops.diagnostics import Diagnostic


class StaticFlopsError(Exception):
    """A usage or input error (missing file, syntax error, bad option). Exit code 2."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.format())
        self.diagnostic = diagnostic
