"""`abc`: abstract base classes are ordinary base classes to the interpreter."""

from __future__ import annotations

from typing import Any

from staticflops.interpreter.stdlib._support import identity_decorator
from staticflops.interpreter.values import ClassObject, Namespace


def abc_module(interp: Any) -> Namespace:
    abc_class = ClassObject("ABC", (interp.builtins["object"],), {}, qualname="abc.ABC")
    meta = ClassObject("ABCMeta", (interp.builtins["object"],), {}, qualname="abc.ABCMeta")
    return Namespace(
        "abc",
        {
            "ABC": abc_class,
            "ABCMeta": meta,
            "abstractmethod": identity_decorator("abc.abstractmethod"),
            "abstractproperty": interp.builtins["property"],
        },
    )
