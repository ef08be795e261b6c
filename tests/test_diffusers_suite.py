"""diffusers' models, a library staticflops was not built against: every case of
benchmarks/diffusers_suite.py (our own user-style files in benchmarks/diffusers_models/, each building a
small diffusers model and calling it under `__main__`) gives torch's parameters, seed FLOPs of its
convolutions and linear layers, and FlopCounterMode total exactly (figures in
benchmarks/diffusers_reference.json, measured with torch 2.14.1 and diffusers 0.35.2 by
benchmarks/diffusers_truth.py). Slow: it downloads diffusers' wheel (no torch needed), and is skipped when
the wheel cannot be fetched."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT


@pytest.mark.slow
def test_every_diffusers_case_is_exact() -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import diffusers_suite
    finally:
        sys.path.pop(0)
    try:
        root = diffusers_suite.fetch_sources()
    except (subprocess.CalledProcessError, OSError, StopIteration) as error:
        pytest.skip(f"diffusers {diffusers_suite.VERSION}'s wheel could not be fetched: {error}")
    truth = diffusers_suite.reference()
    wrong = []
    for case in diffusers_suite.CASES:
        score = diffusers_suite.measure(case, root)
        want = truth[case.name]
        got = (score.params, score.seed_conv_linear_flops, score.torch_flops)
        if not score.complete or got != (want["params"], want["seed_conv_linear_flops"], want["torch_flops"]):
            wrong.append((case.name, got, want, score.problems[:2]))
    assert not wrong
