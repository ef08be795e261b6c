"""Room on the host Python's own stacks for the interpreter's deep recursion.

The interpreter recurses about a dozen Python frames per analyzed call, so an analysis raises Python's
recursion limit: the call-depth budget (`Limits.depth`) must be what stops deep recursion.

CPython 3.11 to 3.13 keep frames in chunks of 16 KB, mapped when a call needs a new one and unmapped as
soon as the frame that began it returns, so code whose depth keeps crossing a chunk's edge, as a
tree-walking interpreter's does, makes an `mmap` and a `munmap` per call (CPython gh-142183, fixed in
3.14): on timm's `vision_transformer.py`, 790,000 pairs, a quarter of the run's time in the kernel. A
frame whose code declares a large evaluation stack makes CPython map one chunk big enough for it,
rounded up to a power of two; `_call_with_room` declares just over half of 2 MB, and the calls made
under it have the other half, some 4,000 frames, without crossing an edge.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from typing import Any, TypeVar

RECURSION_LIMIT = 20_000

Result = TypeVar("Result")


def _call(function: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    return function(*args, **kwargs)


_call_with_room = types.FunctionType(_call.__code__.replace(co_stacksize=131_000), globals())
"""`_call` with an evaluation stack of 131,000 slots it never uses: 8 × (131,000 + CPython's 1,000 of
overhead) bytes is just over 1 MB, so the chunk mapped for its frame is 2 MB."""


def run_deep(function: Callable[..., Result], *args: Any, **kwargs: Any) -> Result:
    """`function(*args, **kwargs)` with the recursion limit raised and a frame stack that does not thrash."""
    previous_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(previous_limit, RECURSION_LIMIT))
    try:
        return _call_with_room(function, args, kwargs)
    finally:
        sys.setrecursionlimit(previous_limit)
