from __future__ import annotations

import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from staticflops import analyze
from staticflops.results import ModelResult

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands a test runs, in its process or in subprocesses, cache under a directory of their own."""
    monkeypatch.setenv("STATICFLOPS_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def analyze_source(tmp_path: Path):
    """Analyze a dedented source snippet; returns the single model (or the Analysis with all=True)."""

    def run(
        source: str,
        *,
        model: str | None = None,
        inputs=None,
        named_inputs=None,
        convention: str = "seed",
        all: bool = False,
    ):
        path = tmp_path / "model_under_test.py"
        path.write_text(textwrap.dedent(source))
        analysis = analyze([path], model=model, inputs=inputs, named_inputs=named_inputs, convention=convention)
        if all:
            return analysis
        assert len(analysis.models) == 1, (analysis.models, analysis.diagnostics)
        return analysis.models[0]

    return run


def codes(model: ModelResult) -> list[str]:
    return [d.code.code for d in model.diagnostics]


@contextmanager
def skip_what_this_torch_lacks() -> Iterator[None]:
    """An op newer than the installed torch (CI pins 2.13.0, the catalog follows 2.14.1: `torch.linalg.polar`) is
    skipped with the reason, not failed; any other AttributeError is a failure."""
    try:
        yield
    except AttributeError as error:
        if str(error).startswith("module 'torch"):
            import torch

            pytest.skip(f"torch {torch.__version__} lacks it: {error}")
        raise
