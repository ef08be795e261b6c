"""`operator`: the functional forms of Python's operators, evaluated by the interpreter's own
operators so that they work on tensors and analyzed objects as `a + b` would."""

from __future__ import annotations

import ast
from typing import Any

from staticflops.interpreter.stdlib._support import Args, Kwargs
from staticflops.interpreter.values import Namespace, NativeFunction, Unknown
from staticflops.source import Location

BINARY: dict[str, type[ast.operator]] = {
    "add": ast.Add,
    "sub": ast.Sub,
    "mul": ast.Mult,
    "truediv": ast.Div,
    "floordiv": ast.FloorDiv,
    "mod": ast.Mod,
    "pow": ast.Pow,
    "matmul": ast.MatMult,
    "and_": ast.BitAnd,
    "or_": ast.BitOr,
    "xor": ast.BitXor,
    "lshift": ast.LShift,
    "rshift": ast.RShift,
}
COMPARE: dict[str, type[ast.cmpop]] = {
    "eq": ast.Eq,
    "ne": ast.NotEq,
    "lt": ast.Lt,
    "le": ast.LtE,
    "gt": ast.Gt,
    "ge": ast.GtE,
}


def _binary(name: str, op: type[ast.operator]) -> NativeFunction:
    return NativeFunction(f"operator.{name}", lambda i, a, k, s: i.binary(op, a[0], a[1], s))


def _compare(name: str, op: type[ast.cmpop]) -> NativeFunction:
    return NativeFunction(f"operator.{name}", lambda i, a, k, s: i.compare(op, a[0], a[1], s))


def _getter(kind: str) -> NativeFunction:
    """`itemgetter(*keys)` / `attrgetter(*names)`: one key gives a value, several a tuple."""

    def make(interp: Any, keys: Args, kwargs: Kwargs, site: Location) -> NativeFunction:
        def get(i: Any, args: Args, k: Kwargs, s: Location) -> Any:
            def one(key: Any) -> Any:
                if kind == "item":
                    return i.get_item(args[0], key, s)
                value = args[0]
                for part in str(key).split("."):
                    value = i.get_attribute(value, part, s)
                return value

            values = [one(key) for key in keys]
            return values[0] if len(values) == 1 else tuple(values)

        return NativeFunction(f"operator.{kind}getter.<getter>", get)

    return NativeFunction(f"operator.{kind}getter", make)


def _equal_items(interp: Any, sequence: Any, value: Any, site: Location) -> list[Any]:
    """Whether each item of `sequence` is `value` or equal to it (None when unknown)."""
    return [
        item is value or interp.truth(interp.compare(ast.Eq, item, value, site), site)
        for item in interp.iterate(sequence, site)
    ]


def _count_of(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    found = _equal_items(interp, args[0], args[1], site)
    return Unknown("operator.countOf() over unknown values", site) if None in found else sum(found)


def _index_of(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    for index, equal in enumerate(_equal_items(interp, args[0], args[1], site)):
        if equal is None:
            return Unknown("operator.indexOf() over unknown values", site)
        if equal:
            return index
    interp.raise_error("ValueError", "sequence.index(x): x not in sequence", site)


def _methodcaller(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    """`methodcaller(name, *args, **kwargs)(obj)` is `obj.name(*args, **kwargs)`."""
    name, *bound = args
    if not isinstance(name, str):
        interp.raise_error("TypeError", "method name must be a string", site)
    return NativeFunction(
        f"operator.methodcaller({name!r})",
        lambda i, a, k, s: i.call(i.get_attribute(a[0], name, s), list(bound), dict(kwargs), s),
    )


def operator_module(interp: Any) -> Namespace:
    attrs: dict[str, Any] = {name: _binary(name, op) for name, op in BINARY.items()}
    attrs.update({name: _compare(name, op) for name, op in COMPARE.items()})
    attrs["neg"] = NativeFunction("operator.neg", lambda i, a, k, s: i.unary(ast.USub, a[0], s))
    attrs["not_"] = NativeFunction("operator.not_", lambda i, a, k, s: i.unary(ast.Not, a[0], s))
    attrs["getitem"] = NativeFunction("operator.getitem", lambda i, a, k, s: i.get_item(a[0], a[1], s))
    attrs["itemgetter"] = _getter("item")
    attrs["attrgetter"] = _getter("attr")
    attrs["index"] = NativeFunction("operator.index", lambda i, a, k, s: i.builtins["int"].constructor(i, a, k, s))
    attrs["pos"] = NativeFunction("operator.pos", lambda i, a, k, s: i.unary(ast.UAdd, a[0], s))
    attrs["invert"] = attrs["inv"] = NativeFunction(
        "operator.invert", lambda i, a, k, s: i.unary(ast.Invert, a[0], s)
    )
    attrs["abs"] = NativeFunction("operator.abs", lambda i, a, k, s: i.builtins["abs"].impl(i, a, k, s))
    attrs["truth"] = NativeFunction("operator.truth", lambda i, a, k, s: i.builtins["bool"].constructor(i, a, k, s))
    attrs["concat"] = _binary("concat", ast.Add)
    attrs["is_"] = _compare("is_", ast.Is)
    attrs["is_not"] = _compare("is_not", ast.IsNot)
    # `contains(a, b)` is `b in a`, `countOf`/`indexOf` count and find by ==
    attrs["contains"] = NativeFunction("operator.contains", lambda i, a, k, s: i.compare(ast.In, a[1], a[0], s))
    attrs["countOf"] = NativeFunction("operator.countOf", _count_of)
    attrs["indexOf"] = NativeFunction("operator.indexOf", _index_of)
    attrs["setitem"] = NativeFunction("operator.setitem", lambda i, a, k, s: i.set_item(a[0], a[1], a[2], s))
    attrs["methodcaller"] = NativeFunction("operator.methodcaller", _methodcaller)
    return Namespace("operator", attrs)
