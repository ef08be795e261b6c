"""What the command line's paths stand for: files as given, directories as the Python files under them."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from staticflops.diagnostics import SF002, Diagnostic
from staticflops.errors import StaticFlopsError


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given; directories searched for `*.py`, sorted. A missing path is an input error."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir() and (path / "config.json").is_file():  # a Hugging Face model directory
            files.append(path / "config.json")
        elif path.is_dir():
            found = sorted(p for p in path.rglob("*.py") if p.is_file())
            if not found:
                raise StaticFlopsError(Diagnostic(SF002, f"'{raw}' is a directory with no Python files", str(raw)))
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            raise StaticFlopsError(Diagnostic(SF002, f"'{raw}' does not exist", str(raw)))
    return files
