"""Front end: files become parsed modules, and module names the files that define them.

Its names load on first use, so that what needs only `staticflops.source.reads` or `.project` (a stored
result checked against the files it read) does not import the parser and the interpreter.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from staticflops.source.files import Location, SourceFile, load_source
    from staticflops.source.project import Project

_EXPORTS = {
    "Location": "staticflops.source.files",
    "SourceFile": "staticflops.source.files",
    "load_source": "staticflops.source.files",
    "Project": "staticflops.source.project",
}

__all__ = ["Location", "Project", "SourceFile", "load_source"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'staticflops.source' has no attribute '{name}'")
