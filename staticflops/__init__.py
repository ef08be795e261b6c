"""staticflops: static FLOPs and parameter counts for PyTorch model code."""

from staticflops.api import analyze
from staticflops.conventions import Convention
from staticflops.errors import StaticFlopsError
from staticflops.results import Analysis, FileResult, LayerResult, ModelResult

__version__ = "0.1.0"

__all__ = [
    "Analysis",
    "Convention",
    "FileResult",
    "LayerResult",
    "ModelResult",
    "StaticFlopsError",
    "__version__",
    "analyze",
]
