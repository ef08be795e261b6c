"""`math`: every function of Python's own module, folded on constant arguments."""

from __future__ import annotations

import math
from typing import Any

from staticflops.interpreter.stdlib._support import pure
from staticflops.interpreter.values import REQUIRED, Namespace


def math_module(interp: Any) -> Namespace:
    def resolve(name: str) -> Any:
        value = getattr(math, name, REQUIRED)
        if name.startswith("_") or value is REQUIRED:
            return REQUIRED
        return pure(f"math.{name}", value) if callable(value) else value

    return Namespace("math", {}, resolve=resolve)
