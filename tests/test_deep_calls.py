"""`run_deep`: an analysis runs with room for the interpreter's deep recursion, and leaves the process as
it found it."""

from __future__ import annotations

import sys

import pytest

from staticflops.deep_calls import RECURSION_LIMIT, run_deep


def _depth(n: int) -> int:
    return 0 if n == 0 else 1 + _depth(n - 1)


def test_a_recursion_deeper_than_pythons_default_limit_runs_and_the_limit_is_restored() -> None:
    before = sys.getrecursionlimit()
    assert run_deep(_depth, RECURSION_LIMIT // 2) == RECURSION_LIMIT // 2
    assert sys.getrecursionlimit() == before


def test_arguments_pass_through_and_exceptions_propagate() -> None:
    assert run_deep(dict, [("a", 1)], b=2) == {"a": 1, "b": 2}
    with pytest.raises(ZeroDivisionError):
        run_deep(lambda: 1 // 0)
