"""staticflops: static FLOPs and parameter counts for PyTorch model code.

The names below load on first use: the command replays a stored result without importing the analyzer
(`staticflops.launch`), and `import staticflops` should not cost what `staticflops.analyze` does.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from staticflops.api import analyze
    from staticflops.conventions import Convention
    from staticflops.errors import StaticFlopsError
    from staticflops.results import Analysis, FileResult, LayerResult, ModelResult

__version__ = "0.1.0"

_EXPORTS = {
    "analyze": "staticflops.api",
    "Convention": "staticflops.conventions",
    "StaticFlopsError": "staticflops.errors",
    "Analysis": "staticflops.results",
    "FileResult": "staticflops.results",
    "LayerResult": "staticflops.results",
    "ModelResult": "staticflops.results",
}

__all__ = ["Analysis", "Convention", "FileResult", "LayerResult", "ModelResult", "StaticFlopsError", "__version__",
           "analyze"]  # fmt: skip


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'staticflops' has no attribute '{name}'")
