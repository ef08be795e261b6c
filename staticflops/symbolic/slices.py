"""`len(range(*slice.indices(size)))` in plain arithmetic and comparisons, so that a symbolic size
(`x[:, :T]`, a full slice of a dimension B) keeps its expression; `slice.indices` is a C function that
would take only its value. The same numbers as Python's for plain ints (tests/test_symbolic.py)."""

from __future__ import annotations

from typing import Any


def slice_length(item: slice, size: Any) -> Any:
    step = 1 if item.step is None else item.step
    if step == 0:
        raise ValueError("slice step cannot be zero")
    if item.start is None and item.stop is None and step == 1:
        return size  # `:`: the whole dimension, with no condition on it
    if step > 0:
        start = _clamp(0 if item.start is None else item.start, size, 0, size)
        stop = _clamp(size if item.stop is None else item.stop, size, 0, size)
        return (stop - start + step - 1) // step if stop > start else 0
    start = _clamp(size - 1 if item.start is None else item.start, size, -1, size - 1)
    stop = -1 if item.stop is None else _clamp(item.stop, size, -1, size - 1)
    return (start - stop - step - 1) // (-step) if start > stop else 0


def _clamp(bound: Any, size: Any, low: Any, high: Any) -> Any:
    """A bound as `slice.indices` makes it: negative ones counted from the end, then kept in [low, high]."""
    if bound < 0:
        bound = bound + size
        if bound < low:
            return low
        return bound
    if bound > high:
        return high
    return bound
