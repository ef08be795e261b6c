"""`abc`: abstract base classes are ordinary base classes to the interpreter, except that a class
leaving an `@abstractmethod` unimplemented cannot be instantiated (statements.py records which)."""

from __future__ import annotations

from typing import Any

from staticflops.interpreter.values import (
    ClassMethod,
    ClassObject,
    Function,
    Namespace,
    NativeFunction,
    Property,
    StaticMethod,
)
from staticflops.source import Location


def _abstractmethod(interp: Any, args: list[Any], kwargs: dict[str, Any], site: Location) -> Any:
    """Marks the function `__isabstractmethod__`, as Python does; anything else is returned as is."""
    target = args[0] if args else None
    inner = target
    while isinstance(inner, (ClassMethod, StaticMethod)):
        inner = inner.function
    if isinstance(inner, Property):
        inner = inner.fget
    if isinstance(inner, Function):
        inner.attrs["__isabstractmethod__"] = True
    return target


def abc_module(interp: Any) -> Namespace:
    abc_class = ClassObject("ABC", (interp.builtins["object"],), {}, qualname="abc.ABC", metadata={"abc": True})
    meta = ClassObject("ABCMeta", (interp.builtins["object"],), {}, qualname="abc.ABCMeta", metadata={"abc": True})
    return Namespace(
        "abc",
        {
            "ABC": abc_class,
            "ABCMeta": meta,
            "abstractmethod": NativeFunction("abc.abstractmethod", _abstractmethod),
            "abstractproperty": interp.builtins["property"],
        },
    )
