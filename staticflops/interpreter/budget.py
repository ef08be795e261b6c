"""Limits that make every analysis terminate, and say where they were hit."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import Any

from staticflops.interpreter.costs import Args, Kwargs, describe, price


@dataclass(frozen=True)
class Limits:
    """Configurable ceilings; defaults leave ample room for real model code."""

    steps: int = 5_000_000
    """Statements and expressions evaluated in one model's analysis."""
    depth: int = 200
    """Nested calls (user functions, forward() calls)."""
    loop_iterations: int = 100_000
    """Iterations of a single loop."""
    seconds: float = 60.0
    """Wall time for one model."""
    collection_size: int = 1_000_000
    """Elements a list, string or range materialized by the analyzed code may hold."""
    integer_bits: int = 1_000_000
    """Binary digits of an integer the analyzed code computes (about 300,000 decimal digits)."""
    native_work: int = 500_000_000
    """Time one native operation (`math.factorial`, big-integer division) may take, in units of
    about a nanosecond (see `interpreter/costs.py`)."""
    built_bytes: int = 128_000_000
    """Bytes the priced native operations of one analysis may build in total."""


class BudgetExhausted(Exception):
    """Raised inside the interpreter; caught at the model boundary and reported as SF303."""

    def __init__(self, what: str, limit: float, detail: str = "") -> None:
        super().__init__(f"{what} budget of {limit:g} exhausted" + (f" by {detail}" if detail else ""))
        self.what = what
        self.limit = limit
        self.location: Any = None
        """The statement being run when it ran out; set by the interpreter."""


EXHAUSTED = (BudgetExhausted, RecursionError, MemoryError)
"""What ends an analysis early, as SF303: a budget of ours, Python's stack, or the process's memory cap."""


def exhaustion_message(exc: BaseException) -> str:
    """SF303's wording for one of `EXHAUSTED`."""
    if isinstance(exc, MemoryError):
        return "the process's memory limit was reached (--max-memory, docs/reliability.md)"
    if isinstance(exc, RecursionError):
        return "Python's recursion limit was reached (a structure nested too deeply)"
    return str(exc)


@dataclass
class Budget:
    limits: Limits = field(default_factory=Limits)
    steps: int = 0
    depth: int = 0
    built: int = 0
    """Bytes built so far by priced native operations."""
    started: float = field(default_factory=time.monotonic)

    def tick(self) -> None:
        self.steps += 1
        if self.steps & 0xFFF == 0:
            if self.steps > self.limits.steps:
                raise BudgetExhausted("step", self.limits.steps)
            self.check_clock()

    def enter(self) -> None:
        self.depth += 1
        if self.depth > self.limits.depth:
            self.depth -= 1
            raise BudgetExhausted("call depth", self.limits.depth)

    def leave(self) -> None:
        self.depth -= 1

    def check_size(self, size: int) -> None:
        if size > self.limits.collection_size:
            raise BudgetExhausted("collection size", self.limits.collection_size)

    def charge(self, operation: str, args: Args, kwargs: Kwargs | None = None) -> None:
        """Refuse `operation` on these operands before it runs when its price is over a limit
        (see `interpreter/costs.py`); a costly one that fits is a moment to look at the clock."""
        cost = price(operation, args, kwargs)
        if cost.work == cost.length == cost.bits == cost.digits == 0:
            return
        limits = self.limits
        what = describe(operation)
        if cost.length > limits.collection_size:
            raise BudgetExhausted(
                "collection size", limits.collection_size, f"{what} (a result of length {cost.length:.3g})"
            )
        if cost.bits > limits.integer_bits:
            raise BudgetExhausted("integer size (bits)", limits.integer_bits, f"{what} (about {cost.bits:.3g} bits)")
        if cost.work > limits.native_work:
            raise BudgetExhausted("native work", limits.native_work, f"{what} (about {cost.work:.3g} units)")
        digit_limit = sys.get_int_max_str_digits() or limits.collection_size
        if cost.digits > digit_limit:
            raise BudgetExhausted(
                "integer-to-text digits", digit_limit, f"{what} (about {cost.digits:.3g} decimal digits)"
            )
        self.built += cost.length * cost.item_bytes + cost.bits // 8
        if self.built > limits.built_bytes:
            raise BudgetExhausted("built bytes", limits.built_bytes, f"{what}, after {self.built:.3g} bytes in all")
        if cost.work > 1_000_000 or cost.length > 100_000:
            self.check_clock()

    def check_clock(self) -> None:
        if time.monotonic() - self.started > self.limits.seconds:
            raise BudgetExhausted("time (seconds)", self.limits.seconds)
