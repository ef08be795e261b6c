"""`functools`: `partial` (a value the interpreter calls with the arguments merged), `reduce`,
`wraps`/`update_wrapper`, and the caching decorators, which change nothing a model's cost sees."""

from __future__ import annotations

from typing import Any

from staticflops.interpreter.stdlib._support import Args, Kwargs, identity_decorator
from staticflops.interpreter.values import (
    REQUIRED,
    ClassObject,
    Function,
    Namespace,
    NativeFunction,
    NativeValue,
    Unknown,
)
from staticflops.source import Location


class Partial(NativeValue):
    """`functools.partial(f, *args, **kwargs)`: calling it calls `f` with the arguments merged."""

    def __init__(self, function: Any, args: Args, kwargs: Kwargs) -> None:
        self.function = function
        self.args = args
        self.kwargs = kwargs

    def __repr__(self) -> str:
        return f"partial({self.function!r})"

    def sf_call(self, interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        return interp.call(self.function, [*self.args, *args], {**self.kwargs, **kwargs}, site)

    def sf_getattr(self, interp: Any, name: str, site: Location) -> Any:
        if name == "func":
            return self.function
        if name == "args":
            return tuple(self.args)
        if name == "keywords":
            return dict(self.kwargs)
        if name in ("__name__", "__qualname__"):
            return getattr(self.function, "name", "partial")
        raise NotImplementedError


def _partial(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    function, *rest = args
    if isinstance(function, Partial):
        return Partial(function.function, [*function.args, *rest], {**function.kwargs, **kwargs})
    return Partial(function, rest, kwargs)


def _copy_identity(interp: Any, wrapper: Any, wrapped: Any, site: Location) -> Any:
    """What `update_wrapper` copies: registries keyed by `__name__` then see the wrapped name."""
    if isinstance(wrapper, Function):
        for attribute in ("__name__", "__qualname__", "__doc__", "__module__"):
            value = interp.get_attribute(wrapped, attribute, site, missing_ok=True)
            if value is not REQUIRED and not isinstance(value, Unknown):
                wrapper.attrs[attribute] = value
        wrapper.attrs["__wrapped__"] = wrapped
    return wrapper


def _wraps(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    wrapped = args[0] if args else kwargs.get("wrapped")
    return NativeFunction("functools.wraps.<decorator>", lambda i, a, k, s: _copy_identity(i, a[0], wrapped, s))


def _update_wrapper(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    return _copy_identity(interp, args[0], args[1], site)


def _reduce(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    function, iterable, *initial = args
    items = list(interp.iterate(iterable, site))
    if not items and not initial:
        interp.raise_error("TypeError", "reduce() of empty iterable with no initial value", site)
    accumulator = initial[0] if initial else items.pop(0)
    for item in items:
        accumulator = interp.call(function, [accumulator, item], {}, site)
    return accumulator


def functools_module(interp: Any) -> Namespace:
    return Namespace(
        "functools",
        {
            "partial": ClassObject(
                "partial",
                (),
                {"__sf_construct__": NativeFunction("functools.partial", lambda i, c, a, k, s: _partial(i, a, k, s))},
                qualname="functools.partial",
                metadata={"instancecheck": lambda value: isinstance(value, Partial)},
            ),
            "partialmethod": NativeFunction("functools.partialmethod", _partial),
            "reduce": NativeFunction("functools.reduce", _reduce),
            "wraps": NativeFunction("functools.wraps", _wraps),
            "update_wrapper": NativeFunction("functools.update_wrapper", _update_wrapper),
            "lru_cache": identity_decorator("functools.lru_cache"),
            "cache": identity_decorator("functools.cache"),
            "total_ordering": identity_decorator("functools.total_ordering"),
            "singledispatch": identity_decorator("functools.singledispatch"),
            "cached_property": NativeFunction(
                "functools.cached_property", lambda i, a, k, s: i.builtins["property"].impl(i, a, k, s)
            ),
        },
    )
