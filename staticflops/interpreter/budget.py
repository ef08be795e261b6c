"""Limits that make every analysis terminate, and say where they were hit."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any


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


class BudgetExhausted(Exception):
    """Raised inside the interpreter; caught at the model boundary and reported as SF303."""

    def __init__(self, what: str, limit: float) -> None:
        super().__init__(f"{what} budget of {limit:g} exhausted")
        self.what = what
        self.limit = limit
        self.location: Any = None
        """The statement being run when it ran out; set by the interpreter."""


@dataclass
class Budget:
    limits: Limits = field(default_factory=Limits)
    steps: int = 0
    depth: int = 0
    started: float = field(default_factory=time.monotonic)

    def tick(self) -> None:
        self.steps += 1
        if self.steps & 0xFFF == 0:
            if self.steps > self.limits.steps:
                raise BudgetExhausted("step", self.limits.steps)
            if time.monotonic() - self.started > self.limits.seconds:
                raise BudgetExhausted("time (seconds)", self.limits.seconds)

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
