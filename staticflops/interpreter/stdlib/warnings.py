"""`warnings`: warnings are outside what a model costs; every function does nothing."""

from __future__ import annotations

from typing import Any

from staticflops.interpreter.stdlib._support import identity_decorator, no_op
from staticflops.interpreter.values import Namespace, NativeFunction


def warnings_module(interp: Any) -> Namespace:
    def resolve(name: str) -> Any:
        return no_op(f"warnings.{name}")

    return Namespace(
        "warnings",
        {
            "deprecated": identity_decorator("warnings.deprecated"),
            "catch_warnings": NativeFunction(
                "warnings.catch_warnings", lambda i, a, k, s: i.hooks["stdlib.null_context"]
            ),
        },
        resolve=resolve,
    )
