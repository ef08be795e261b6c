"""`functools`: `partial` (a value the interpreter calls with the arguments merged), `reduce`,
`wraps`/`update_wrapper`, and the caching decorators, which change nothing a model's cost sees."""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from staticflops.interpreter.stdlib._support import Args, Kwargs, identity_decorator
from staticflops.interpreter.values import (
    REQUIRED,
    ClassObject,
    Function,
    Namespace,
    NativeFunction,
    NativeValue,
    Property,
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
    if isinstance(wrapper, (Function, CachedFunction)):
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


@dataclass(eq=False)
class CachedFunction(NativeFunction):
    """`lru_cache(f)` / `cache(f)`: calls with equal (hashable) arguments return the first call's result
    without running `f` again, as Python's cache does; `attrs` carries `__wrapped__`, `__name__`."""

    attrs: dict[str, Any] = field(default_factory=dict)


def _cached(interp: Any, function: Any, site: Location) -> Any:
    if not isinstance(function, (Function, NativeFunction, ClassObject, NativeValue)):
        return function
    memo: dict[Any, Any] = {}

    def impl(i: Any, args: Args, kwargs: Kwargs, s: Location) -> Any:
        if any(isinstance(v, (Unknown, NativeValue)) for v in (*args, *kwargs.values())):
            return i.call(function, args, kwargs, s)  # an unknown or a tensor: no key to cache by
        key = (tuple(args), tuple(kwargs.items()))
        try:
            hit = key in memo
        except TypeError as exc:
            i.raise_error("TypeError", str(exc), s)
        if not hit:
            memo[key] = i.call(function, args, kwargs, s)
        return memo[key]

    cached = CachedFunction(getattr(function, "name", "cached"), impl)
    cached.attrs["__wrapped__"] = function
    cached.attrs["cache_clear"] = NativeFunction("cache_clear", lambda *_: memo.clear())
    _copy_identity(interp, cached, function, site)
    return cached


def _lru_cache(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    """`@lru_cache`, `@lru_cache()`, `@lru_cache(maxsize=None)` and `@cache` alike (no eviction: the
    analyzed program computes the same values with any cache size)."""
    if len(args) == 1 and not isinstance(args[0], (int, type(None))) and not kwargs:
        return _cached(interp, args[0], site)
    return NativeFunction("functools.lru_cache.<decorator>", lambda i, a, k, s: _cached(i, a[0], s))


def _cached_property(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    """`cached_property(f)`: computed on first read, then kept in the instance's `__dict__` (where
    assignment also writes), as Python's descriptor does."""
    function = args[0]
    name = getattr(function, "name", None)

    def get(i: Any, a: Args, k: Kwargs, s: Location) -> Any:
        obj = a[0]
        store = getattr(obj, "attrs", None)
        if not isinstance(store, dict) or name is None:
            return i.call(function, [obj], {}, s)
        if name not in store:
            store[name] = i.call(function, [obj], {}, s)
        return store[name]

    def put(i: Any, a: Args, k: Kwargs, s: Location) -> None:
        store = getattr(a[0], "attrs", None)
        if isinstance(store, dict) and name is not None:
            store[name] = a[1]

    return Property(NativeFunction(f"cached_property({name})", get), NativeFunction(f"{name}.setter", put))


Derive = Callable[[bool, Callable[[], bool]], bool]
TOTAL_ORDER: dict[str, dict[str, Derive]] = {
    "__lt__": {
        "__gt__": lambda r, eq: not r and not eq(),
        "__le__": lambda r, eq: r or eq(),
        "__ge__": lambda r, eq: not r,
    },
    "__le__": {
        "__ge__": lambda r, eq: not r or eq(),
        "__lt__": lambda r, eq: r and not eq(),
        "__gt__": lambda r, eq: not r,
    },
    "__gt__": {
        "__lt__": lambda r, eq: not r and not eq(),
        "__ge__": lambda r, eq: r or eq(),
        "__le__": lambda r, eq: not r,
    },
    "__ge__": {
        "__le__": lambda r, eq: not r or eq(),
        "__gt__": lambda r, eq: r and not eq(),
        "__lt__": lambda r, eq: not r,
    },
}
"""For the root comparison a class defines (the first of these it has, as Python picks it), how
`total_ordering` derives each missing one from the root's result and `==`: `a > b` from `<` is
`not a < b and a != b`. Equality is asked only when the formula needs it, as in Python."""


def _total_ordering(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    """`@total_ordering`: the comparisons a class lacks, derived from the one it defines and `==`."""
    cls = args[0]
    if not isinstance(cls, ClassObject):
        return cls
    root = next((name for name in TOTAL_ORDER if cls.lookup(name) is not REQUIRED), None)
    if root is None:
        interp.raise_error("ValueError", "must define at least one ordering operation: < > <= >=", site)
    for name, derive in TOTAL_ORDER[root].items():
        if cls.lookup(name) is not REQUIRED:
            continue

        def derived(i: Any, a: Args, k: Kwargs, s: Location, derive: Derive = derive, root: str = root) -> Any:
            left, right = a
            result = i.call(i.get_attribute(left, root, s), [right], {}, s)
            if result is NotImplemented:
                return result
            truth = i.truth(result, s)
            if truth is None:
                return Unknown("total_ordering comparison of an unknown value", s)

            def equal() -> bool:
                known = i.truth(i.compare(ast.Eq, left, right, s), s)
                if known is None:
                    raise _UnknownOrder
                return known

            try:
                return derive(truth, equal)
            except _UnknownOrder:
                return Unknown("total_ordering comparison of an unknown value", s)

        cls.namespace[name] = NativeFunction(f"{cls.name}.{name}", derived)
    return cls


class _UnknownOrder(Exception):
    """Equality was needed and is unknown."""


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
            "lru_cache": NativeFunction("functools.lru_cache", _lru_cache),
            "cache": NativeFunction("functools.cache", _lru_cache),
            "total_ordering": NativeFunction("functools.total_ordering", _total_ordering),
            "singledispatch": identity_decorator("functools.singledispatch"),
            "cached_property": NativeFunction("functools.cached_property", _cached_property),
        },
    )
