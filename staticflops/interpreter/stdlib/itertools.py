"""`itertools`: Python's own functions over the materialized items (bounded by the collection
budget); the ones taking a function call it through the interpreter."""

from __future__ import annotations

import ast
import itertools
from typing import Any

from staticflops.interpreter.stdlib._support import Args, Kwargs
from staticflops.interpreter.values import ClassObject, Namespace, NativeFunction, StaticMethod, Unknown
from staticflops.source import Location

OVER_ITEMS = (
    "chain",
    "product",
    "repeat",
    "zip_longest",
    "combinations",
    "combinations_with_replacement",
    "permutations",
    "islice",
    "pairwise",
    "compress",
    "batched",
)
"""Functions whose arguments are iterables and numbers, never functions."""
ENDLESS = ("count", "cycle")
"""Infinite iterators: left lazy, so the loop budget bounds whoever consumes them."""


def _over_items(name: str) -> NativeFunction:
    function = getattr(itertools, name, None)

    def impl(i: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        if function is None:
            return Unknown(f"itertools.{name} is not in this Python", site)
        if name == "repeat":  # its first argument is the value repeated, not an iterable
            lists = list(args)
        elif name == "islice":  # its iterable may be endless (`islice(count(), n)`): consumed lazily
            lists = [args[0] if isinstance(args[0], Unknown) else i.iterate(args[0], site), *args[1:]]
        else:
            lists = [a if isinstance(a, (int, float)) or a is None else bounded(i, a, site) for a in args]
        if name in ENDLESS or (name == "repeat" and len(args) == 1 and "times" not in kwargs):
            return function(*lists, **kwargs)
        i.budget.charge(f"itertools.{name}", lists, kwargs)
        result = list(itertools.islice(function(*lists, **kwargs), i.limits.collection_size + 1))
        i.budget.check_size(len(result))
        return result

    return NativeFunction(f"itertools.{name}", impl)


def bounded(i: Any, iterable: Any, site: Location) -> list[Any]:
    """The items of `iterable`, refusing (as the collection budget does) an endless one."""
    items = list(itertools.islice(i.iterate(iterable, site), i.limits.collection_size + 1))
    i.budget.check_size(len(items))
    return items


def _accumulate(i: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    items = list(i.iterate(args[0], site))
    function = args[1] if len(args) > 1 else kwargs.get("func")
    result: list[Any] = []
    total: Any = kwargs.get("initial")
    if total is not None:
        result.append(total)
    for item in items:
        if total is None and not result:
            total = item
        elif function is None:
            total = i.binary(ast.Add, total, item, site)
        else:
            total = i.call(function, [total, item], {}, site)
        result.append(total)
    return result


def _with_predicate(name: str) -> NativeFunction:
    def impl(i: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        predicate, iterable = args[0], list(i.iterate(args[1], site))
        keep = [i.truth(i.call(predicate, [item], {}, site), site) for item in iterable]
        if None in keep:
            return Unknown(f"itertools.{name} over unknown conditions", site)
        if name == "filterfalse":
            return [item for item, k in zip(iterable, keep, strict=True) if not k]
        pairs = zip(iterable, keep, strict=True)
        chosen = itertools.takewhile if name == "takewhile" else itertools.dropwhile
        return [item for item, _ in chosen(lambda pair: pair[1], pairs)]

    return NativeFunction(f"itertools.{name}", impl)


def _starmap(i: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    return [i.call(args[0], list(i.iterate(row, site)), {}, site) for row in i.iterate(args[1], site)]


def _groupby(i: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    items = list(i.iterate(args[0], site))
    key = args[1] if len(args) > 1 else kwargs.get("key")
    groups: list[tuple[Any, list[Any]]] = []
    for item in items:
        k = item if key is None else i.call(key, [item], {}, site)
        if groups and groups[-1][0] == k:
            groups[-1][1].append(item)
        else:
            groups.append((k, [item]))
    return groups


def itertools_module(interp: Any) -> Namespace:
    attrs: dict[str, Any] = {name: _over_items(name) for name in (*OVER_ITEMS, *ENDLESS)}
    chain = attrs["chain"]
    attrs["chain"] = ClassObject(
        "chain",
        (),
        {
            "__sf_construct__": NativeFunction("itertools.chain", lambda i, c, a, k, s: chain.impl(i, a, k, s)),
            "from_iterable": StaticMethod(
                NativeFunction(
                    "itertools.chain.from_iterable", lambda i, a, k, s: chain.impl(i, bounded(i, a[0], s), {}, s)
                )
            ),
        },
        qualname="itertools.chain",
    )
    attrs["accumulate"] = NativeFunction("itertools.accumulate", _accumulate)
    attrs["starmap"] = NativeFunction("itertools.starmap", _starmap)
    attrs["groupby"] = NativeFunction("itertools.groupby", _groupby)
    for name in ("filterfalse", "takewhile", "dropwhile"):
        attrs[name] = _with_predicate(name)
    return Namespace("itertools", attrs)
