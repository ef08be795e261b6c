"""MONAI's networks, a library staticflops was not built against: every case of benchmarks/monai_suite.py
gives torch's parameters and FlopCounterMode total exactly (figures in benchmarks/monai_reference.tsv,
measured with torch 2.14.1 and MONAI 1.6.1). Slow: it downloads MONAI's wheel (no torch needed)."""

from __future__ import annotations

import sys

import pytest

from tests.conftest import ROOT


@pytest.mark.slow
def test_every_monai_case_is_exact() -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import monai_suite
    finally:
        sys.path.pop(0)
    root = monai_suite.fetch_sources()
    truth = monai_suite.reference()
    wrong = []
    for module, call, shape in monai_suite.CASES:
        params, flops, complete, warnings = monai_suite.measure(module, call, shape, root)
        if not complete or (params, flops) != truth[module]:
            wrong.append((module, params, flops, truth[module], warnings[:2]))
    assert not wrong
