"""The analyzer never raises anything but `StaticFlopsError` (bad input) on any source.

A deterministic sample runs by default; `scripts/fuzz.py` runs long sessions.
"""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from staticflops import StaticFlopsError, analyze
from tests.fuzzing import mutated_fixture, random_python

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def analyze_text(source: str) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "fuzzed.py"
        path.write_text(source)
        with contextlib.suppress(StaticFlopsError):  # a clear input error is a correct answer
            analyze([path])


@SETTINGS
@given(mutated_fixture())
def test_mutated_fixtures_never_crash(source: str) -> None:
    analyze_text(source)


@SETTINGS
@given(random_python())
def test_random_source_never_crashes(source: str) -> None:
    analyze_text(source)
