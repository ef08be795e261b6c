"""What the modelled standard-library modules share: calls of Python's own functions on
constant data, and decorators that leave what they decorate as written.

Calling CPython's implementation is safe when every argument is plain data (numbers,
strings, tuples, lists and dicts of them): it is constant folding, and no analyzed code can
run, because the interpreter's functions and classes are not Python callables.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from staticflops.interpreter.values import ClassObject, Function, Instance, NativeFunction, NativeValue, Unknown
from staticflops.source import Location

Args = list[Any]
Kwargs = dict[str, Any]

PLAIN = (int, float, complex, str, bytes, bool, type(None), range, slice)


def is_plain(value: Any, depth: int = 0) -> bool:
    """Whether `value` is constant data all the way down (a bounded walk)."""
    if isinstance(value, PLAIN):
        return True
    if depth > 8:
        return False
    if isinstance(value, (list, tuple, set, frozenset)):
        return all(is_plain(item, depth + 1) for item in value)
    if isinstance(value, dict):
        return all(is_plain(k, depth + 1) and is_plain(v, depth + 1) for k, v in value.items())
    return False


def pure(
    name: str, function: Callable[..., Any], check: Callable[[Args, Kwargs], str | None] | None = None
) -> NativeFunction:
    """`function` run by Python itself when every argument is constant, `Unknown` otherwise.

    `check` may refuse arguments that would make Python's own code too slow (it returns why).
    Errors the function raises become the analyzed program's exceptions.
    """

    def impl(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        for value in (*args, *kwargs.values()):
            if isinstance(value, Unknown):
                return Unknown(f"{name}() of an unknown value ({value.reason})", value.location or site)
            if not is_plain(value):
                return Unknown(f"{name}() of a value that is not constant", site)
        interp.budget.charge(name, args, kwargs)
        refusal = check(args, kwargs) if check is not None else None
        if refusal is not None:
            return Unknown(f"{name}() not evaluated: {refusal}", site)
        try:
            result = function(*args, **kwargs)
        except (TypeError, ValueError, OverflowError, ZeroDivisionError, IndexError, KeyError) as exc:
            interp.raise_error(type(exc).__name__, str(exc), site)
        if isinstance(result, (str, list, tuple, bytes)):
            interp.budget.check_size(len(result))
        return result

    return NativeFunction(name, impl)


def identity_decorator(name: str) -> NativeFunction:
    """A decorator (with or without arguments) that leaves the function or class as written."""

    def impl(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        if len(args) == 1 and not kwargs and isinstance(args[0], (Function, ClassObject, NativeFunction, NativeValue)):
            return args[0]
        return NativeFunction(name, lambda i, a, k, s: a[0] if a else None)

    return NativeFunction(name, impl)


def no_op(name: str) -> NativeFunction:
    """A function called for its side effects outside the model (`warnings.warn`, `logger.info`)."""
    return NativeFunction(name, lambda i, a, k, s: None)


def plain_object(interp: Any, attrs: dict[str, Any]) -> Instance:
    """An instance of `object` carrying `attrs`, as `types.SimpleNamespace` builds."""
    return Instance(interp.builtins["object"], dict(attrs))
