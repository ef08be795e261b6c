"""Python's builtins, as the interpreter offers them to analyzed code.

Each builtin works on abstract values: it returns `Unknown` when an argument is
unknown, and never runs anything of the analyzed program's except through the
interpreter. `open`, `eval`, `exec`, `compile` and `__import__` exist only to say that
they are never run.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import Any

from staticflops.interpreter.errors import AnalyzedException
from staticflops.interpreter.stdlib.importlib import dunder_import
from staticflops.interpreter.text import format_call, to_format, to_repr, to_str
from staticflops.interpreter.values import (
    REQUIRED,
    BoundMethod,
    BuiltinType,
    ClassMethod,
    ClassObject,
    Function,
    Instance,
    Namespace,
    NativeFunction,
    NativeValue,
    Property,
    StaticMethod,
    SuperProxy,
    Unknown,
)
from staticflops.source import Location

Args = list[Any]
Kwargs = dict[str, Any]


def _first_unknown(values: Any) -> Unknown | None:
    for value in values:
        if isinstance(value, Unknown):
            return value
    return None


def _known_args(name: str, args: Args, kwargs: Kwargs, site: Location) -> Unknown | None:
    unknown = _first_unknown([*args, *kwargs.values()])
    if unknown is not None:
        return Unknown(f"{name}() of an unknown value ({unknown.reason})", unknown.location or site)
    return None


SPECIAL = {"abs": "__abs__", "round": "__round__"}
"""Builtins that call their argument's special method, as Python does for any object that defines it."""


def _simple(name: str, function: Callable[..., Any]) -> NativeFunction:
    """A builtin on plain data: exact when the arguments are known, `Unknown` otherwise."""

    def impl(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        unknown = _known_args(name, args, kwargs, site)
        if unknown is not None:
            return unknown
        if name in SPECIAL and args and isinstance(args[0], (NativeValue, Instance)):
            method = interp.get_attribute(args[0], SPECIAL[name], site, missing_ok=True)
            if method is not REQUIRED:  # `abs(x)` is `type(x).__abs__(x)`: a tensor's, or a class's own
                return interp.call(method, list(args[1:]), dict(kwargs), site)
        if any(isinstance(a, (NativeValue, Instance)) for a in args):
            return Unknown(f"{name}() of a non-constant value", site)
        interp.budget.charge(name, args, kwargs)
        try:
            return function(*args, **kwargs)
        except (TypeError, ValueError, ZeroDivisionError, OverflowError, IndexError, KeyError) as exc:
            interp.raise_error(type(exc).__name__, str(exc), site)

    return NativeFunction(name, impl)


def _collect(interp: Any, value: Any, site: Location) -> list[Any]:
    items: list[Any] = []
    for item in interp.iterate(value, site):
        items.append(item)
        interp.budget.check_size(len(items))
    return items


def _pairs(interp: Any, value: Any, site: Location) -> dict[Any, Any] | Unknown:
    """`dict(iterable)`: each item a key and a value, as Python requires."""
    result: dict[Any, Any] = {}
    for index, item in enumerate(_collect(interp, value, site)):
        if isinstance(item, Unknown):
            return Unknown(f"dict() of an unknown item ({item.reason})", item.location or site)
        pair = list(interp.iterate(item, site))
        if len(pair) != 2:
            message = f"dictionary update sequence element #{index} has length {len(pair)}; 2 is required"
            interp.raise_error("ValueError", message, site)
        try:
            result[pair[0]] = pair[1]
        except TypeError:
            interp.raise_error("TypeError", f"cannot use '{type(pair[0]).__name__}' as a dict key", site)
    return result


def _constructor(name: str, pytype: type) -> BuiltinType:
    def impl(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        if not args:
            return pytype(**kwargs) if pytype is dict else pytype()
        value = args[0]
        if isinstance(value, Unknown):
            return Unknown(f"{name}() of an unknown value ({value.reason})", value.location or site)
        if pytype in (list, tuple, set, frozenset):
            return pytype(_collect(interp, value, site))
        if pytype is dict:
            value = interp.mapping(value, site)
            if isinstance(value, Unknown):
                return Unknown(f"dict() of an unknown value ({value.reason})", value.location or site)
            result = dict(value) if isinstance(value, dict) else _pairs(interp, value, site)
            if isinstance(result, Unknown):
                return result
            result.update(kwargs)
            return result
        if pytype is str:
            if len(args) > 1 or kwargs:  # str(b"...", "utf-8")
                return _simple("str", str).impl(interp, args, kwargs, site)
            return to_str(interp, value, site)
        if pytype is bool:
            truth = interp.truth(value, site)
            return Unknown("bool() of an unknown value", site) if truth is None else truth
        if isinstance(value, Instance) and pytype in CONVERSIONS:
            for dunder in CONVERSIONS[pytype]:
                method = value.cls.lookup(dunder)
                if method is not REQUIRED:
                    return interp.call(interp._bind(method, value), [], {}, site)
        number = value.sf_number() if isinstance(value, NativeValue) and pytype in (int, float, complex) else None
        if number is not None:
            args = (number, *args[1:])
        elif isinstance(value, (NativeValue, Instance)):
            return Unknown(f"{name}() of {value!r}", site)
        interp.budget.charge(name, args, kwargs)
        try:
            return pytype(*args, **kwargs)
        except (TypeError, ValueError, OverflowError) as exc:
            interp.raise_error(type(exc).__name__, str(exc), site)

    return BuiltinType(name, pytype, impl)


CONVERSIONS: dict[type, tuple[str, ...]] = {
    int: ("__int__", "__index__"),
    float: ("__float__", "__index__"),
    complex: ("__complex__", "__float__", "__index__"),
}
"""The methods `int(obj)`, `float(obj)` and `complex(obj)` call on an analyzed object, in order."""


def _range_impl(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    unknown = _known_args("range", args, kwargs, site)
    if unknown is not None:
        return unknown
    try:
        return range(*args)
    except (TypeError, ValueError) as exc:
        interp.raise_error(type(exc).__name__, str(exc), site)


def _len(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    (value,) = args
    if isinstance(value, Unknown):
        return value
    if isinstance(value, (Instance, ClassObject)):
        method = interp.get_attribute(value, "__len__", site, missing_ok=True)
        if method is not REQUIRED:
            return interp.call(method, [], {}, site)
    if isinstance(value, NativeValue):
        try:
            return value.sf_getattr(interp, "__len__", site)
        except NotImplementedError:
            return Unknown(f"len() of {value!r}", site)
    try:
        return len(value)
    except TypeError as exc:
        interp.raise_error("TypeError", str(exc), site)


def _hash(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    """`hash(x)`: an analyzed class's own `__hash__`, else identity (as `object.__hash__`)."""
    (value,) = args
    if isinstance(value, Unknown):
        return value
    if isinstance(value, Instance):
        method = value.cls.lookup("__hash__")
        if method is not REQUIRED:
            return interp.call(interp._bind(method, value), [], {}, site)
    try:
        return hash(value)
    except TypeError as exc:
        interp.raise_error("TypeError", str(exc), site)


def _keyed(interp: Any, key: Any, site: Location) -> Callable[[Any], Any]:
    if key is None:
        return lambda item: item
    return lambda item: interp.call(key, [item], {}, site)


class _SortKey:
    """A sort key holding analyzed objects: Python's `sorted`, `min` and `max` compare it through the
    interpreter, so an analyzed class's `__lt__` (or a dataclass's `order=True`) decides."""

    __slots__ = ("interp", "site", "value")

    def __init__(self, interp: Any, value: Any, site: Location) -> None:
        self.interp, self.value, self.site = interp, value, site

    def _ask(self, op: type[ast.cmpop], other: _SortKey) -> bool:
        result = self.interp.compare(op, self.value, other.value, self.site)
        truth = self.interp.truth(result, self.site)
        if truth is None:
            raise _UnknownOrder
        return truth

    def __lt__(self, other: _SortKey) -> bool:
        return self._ask(ast.Lt, other)

    def __gt__(self, other: _SortKey) -> bool:
        return self._ask(ast.Gt, other)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _SortKey) and self._ask(ast.Eq, other)

    __hash__ = None  # type: ignore[assignment]


class _UnknownOrder(Exception):
    """A comparison while sorting had an unknown result."""


def _sort_key(interp: Any, value: Any, site: Location) -> Any:
    """`value` as Python may compare it: plain data as is, tuples and lists walked, analyzed objects
    wrapped in `_SortKey`."""
    if type(value) in (tuple, list):
        return type(value)(_sort_key(interp, item, site) for item in value)
    if isinstance(value, (Instance, NativeValue, ClassObject)):
        return _SortKey(interp, value, site)
    return value


def _reducer(name: str, pick: Callable[..., Any]) -> NativeFunction:
    def impl(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        items = _collect(interp, args[0], site) if len(args) == 1 else list(args)
        key = _keyed(interp, kwargs.get("key"), site)
        keys = [_sort_key(interp, key(item), site) for item in items]
        unknown = _first_unknown(keys)
        if unknown is not None:
            return Unknown(f"{name}() over unknown values", site)
        if not items:
            if "default" in kwargs:
                return kwargs["default"]
            interp.raise_error("ValueError", f"{name}() arg is an empty sequence", site)
        try:
            index = pick(range(len(items)), key=lambda i: keys[i])
        except TypeError as exc:
            interp.raise_error("TypeError", str(exc), site)
        except _UnknownOrder:
            return Unknown(f"{name}() over values whose order is unknown", site)
        return items[index]

    return NativeFunction(name, impl)


def _sum(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    total = args[1] if len(args) > 1 else kwargs.get("start", 0)
    for item in _collect(interp, args[0], site):
        total = interp.binary(ast.Add, total, item, site)
    return total


def _sorted(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    items = _collect(interp, args[0], site)
    key = _keyed(interp, kwargs.get("key"), site)
    keys = [key(item) for item in items]
    if _first_unknown(keys) is not None:
        return Unknown("sorted() over unknown values", site)
    keys = [_sort_key(interp, k, site) for k in keys]
    try:
        order = sorted(range(len(items)), key=lambda i: keys[i], reverse=bool(kwargs.get("reverse", False)))
    except TypeError as exc:
        interp.raise_error("TypeError", str(exc), site)
    except _UnknownOrder:
        return Unknown("sorted() over values whose order is unknown", site)
    return [items[i] for i in order]


def _zip(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    """The tuples zip() gives, drawn lazily: an endless argument (`zip(count(), names)`) ends with the
    shortest one, as in Python."""
    unknown = _first_unknown(args)
    if unknown is not None:
        interp.report_unknown(unknown, "cannot iterate over an unknown value; the loop was skipped", site)
        return []
    rows: list[Any] = []
    try:
        for row in zip(*[interp.iterate(arg, site) for arg in args], strict=bool(kwargs.get("strict"))):
            rows.append(row)
            interp.budget.check_size(len(rows))
    except ValueError as exc:
        interp.raise_error("ValueError", str(exc), site)
    return rows


def _enumerate(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    start = args[1] if len(args) > 1 else kwargs.get("start", 0)
    return list(enumerate(_collect(interp, args[0], site), start))


def _map(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    function, *iterables = args
    columns = [_collect(interp, it, site) for it in iterables]
    return [interp.call(function, list(row), {}, site) for row in zip(*columns, strict=False)]


def _filter(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    function, iterable = args
    items = _collect(interp, iterable, site)
    if function is None:
        return [item for item in items if interp.truth(item, site)]
    return [item for item in items if interp.truth(interp.call(function, [item], {}, site), site)]


def _any_all(name: str, combine: Callable[[list[bool]], bool]) -> NativeFunction:
    def impl(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        truths = [interp.truth(item, site) for item in _collect(interp, args[0], site)]
        if None in truths:
            return Unknown(f"{name}() over unknown values", site)
        return combine(truths)  # type: ignore[arg-type]

    return NativeFunction(name, impl)


def _reversed(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    value = args[0]
    if isinstance(value, Instance):
        return list(reversed(_collect(interp, value, site)))
    return list(reversed(_collect(interp, value, site)))


NONE_TYPE = BuiltinType("NoneType", type(None), lambda interp, args, kwargs, site: None)
"""`type(None)`, as in `isinstance(x, (AnchorGenerator, type(None)))`; not a builtin name, and holds no state."""


def class_of(value: Any, builtins: dict[str, Any]) -> Any:
    if isinstance(value, Instance):
        return value.cls
    if value is None:
        return NONE_TYPE
    if isinstance(value, NativeValue):
        return value.sf_getattr(None, "__class__", None)  # type: ignore[arg-type]
    for name, pytype in (
        ("bool", bool),
        ("int", int),
        ("float", float),
        ("str", str),
        ("list", list),
        ("tuple", tuple),
        ("dict", dict),
        ("set", set),
    ):
        if getattr(type(value), "sf_builtin_type", type(value)) is pytype:  # a symbolic size is an int
            return builtins[name]
    return Unknown(f"type() of {type(value).__name__}")


def is_instance(interp: Any, value: Any, classinfo: Any) -> bool | None:
    """isinstance() over abstract values; None when it cannot be known."""
    if isinstance(classinfo, tuple):
        results = [is_instance(interp, value, c) for c in classinfo]
        if any(results):
            return True
        return None if None in results else False
    if isinstance(classinfo, Unknown):
        # None is an instance of object and NoneType alone, both known: never of a class the analyzer could not
        # read (`isinstance(mask, (torch.Tensor, BlockMask))` with no mask and an uncatalogued BlockMask)
        return False if value is None else None
    if isinstance(value, Unknown):
        return None
    if isinstance(classinfo, BuiltinType):
        if isinstance(value, Instance):
            return issubclass_builtin(value.cls, classinfo.pytype)
        if isinstance(value, (NativeValue, ClassObject)):
            return False
        if classinfo.pytype is int and isinstance(value, bool):
            return True
        return isinstance(value, classinfo.pytype)
    if isinstance(classinfo, ClassObject) and "union" in classinfo.metadata:
        return is_instance(interp, value, classinfo.metadata["union"])
    if isinstance(classinfo, ClassObject):
        check = classinfo.metadata.get("instancecheck")
        if check is not None:
            return check(value)
        if isinstance(value, Instance):
            return value.cls.is_subclass(classinfo)
        return classinfo.name == "object"
    return False


def issubclass_builtin(cls: ClassObject, pytype: type) -> bool:
    """Whether an analyzed class derives from a builtin type (a named tuple from `tuple`, a
    `class Mode(str, Enum)` from `str`); every class derives from `object`."""
    if pytype is object:
        return True
    return any(issubclass(base, pytype) for klass in cls.mro for base in klass.metadata.get("builtin_bases", ()))


def _object_getattribute(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    obj, name = args
    if not isinstance(obj, Instance):
        return interp.get_attribute(obj, name, site)
    value = interp.plain_instance_attribute(obj, name, site, fallback=False)
    if value is REQUIRED:
        interp.raise_error("AttributeError", f"'{obj.cls.name}' object has no attribute '{name}'", site)
    return value


def make_builtins() -> dict[str, Any]:
    """A fresh builtins table for one interpreter: nothing in it is shared or mutable across runs."""
    table: dict[str, Any] = {}
    obj = ClassObject("object", (), {})
    obj.namespace["__init__"] = NativeFunction("object.__init__", lambda interp, a, k, s: None)
    obj.namespace["__setattr__"] = NativeFunction("object.__setattr__", _object_setattr)
    obj.namespace["__init_subclass__"] = NativeFunction("object.__init_subclass__", lambda interp, a, k, s: None)
    obj.namespace["__getattribute__"] = NativeFunction("object.__getattribute__", _object_getattribute)
    table["object"] = obj
    table["type"] = ClassObject(
        "type",
        (obj,),
        {"__sf_construct__": NativeFunction("type", _type)},
        metadata={"instancecheck": lambda value: isinstance(value, (ClassObject, BuiltinType))},
    )

    base_exception = ClassObject("BaseException", (obj,), {"__cause__": None, "__context__": None})

    def exception_init(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> None:
        args[0].attrs["args"] = tuple(args[1:])

    base_exception.namespace["__init__"] = NativeFunction("BaseException.__init__", exception_init)
    table["BaseException"] = base_exception
    exception = ClassObject("Exception", (base_exception,), {})
    table["Exception"] = exception
    for name, parent in (
        ("ArithmeticError", "Exception"),
        ("ZeroDivisionError", "ArithmeticError"),
        ("LookupError", "Exception"),
        ("IndexError", "LookupError"),
        ("KeyError", "LookupError"),
        ("ValueError", "Exception"),
        ("TypeError", "Exception"),
        ("RuntimeError", "Exception"),
        ("NotImplementedError", "RuntimeError"),
        ("AttributeError", "Exception"),
        ("AssertionError", "Exception"),
        ("ImportError", "Exception"),
        ("ModuleNotFoundError", "ImportError"),
        ("StopIteration", "Exception"),
        ("OSError", "Exception"),
        ("Warning", "Exception"),
        ("UserWarning", "Warning"),
        ("DeprecationWarning", "Warning"),
        ("FutureWarning", "Warning"),
        ("OverflowError", "ArithmeticError"),
        ("NameError", "Exception"),
    ):
        table[name] = ClassObject(name, (table[parent],), {})

    for name, pytype in (
        ("int", int),
        ("float", float),
        ("bool", bool),
        ("str", str),
        ("list", list),
        ("tuple", tuple),
        ("dict", dict),
        ("set", set),
        ("frozenset", frozenset),
        ("bytes", bytes),
        ("complex", complex),
    ):
        table[name] = _constructor(name, pytype)
    table["range"] = BuiltinType("range", range, _range_impl)
    table["slice"] = BuiltinType("slice", slice, lambda interp, a, k, s: slice(*a))

    for name, function in (
        ("abs", abs),
        ("round", round),
        ("divmod", divmod),
        ("pow", pow),
        ("chr", chr),
        ("ord", ord),
        ("hex", hex),
        ("bin", bin),
        ("oct", oct),
    ):
        table[name] = _simple(name, function)
    table["hash"] = NativeFunction("hash", _hash)
    table["len"] = NativeFunction("len", _len)
    table["min"] = _reducer("min", min)
    table["max"] = _reducer("max", max)
    table["sum"] = NativeFunction("sum", _sum)
    table["sorted"] = NativeFunction("sorted", _sorted)
    table["zip"] = NativeFunction("zip", _zip)
    table["enumerate"] = NativeFunction("enumerate", _enumerate)
    table["map"] = NativeFunction("map", _map)
    table["filter"] = NativeFunction("filter", _filter)
    table["any"] = _any_all("any", any)
    table["all"] = _any_all("all", all)
    table["reversed"] = NativeFunction("reversed", _reversed)
    table["iter"] = NativeFunction("iter", lambda interp, a, k, s: iter(_collect(interp, a[0], s)))
    table["next"] = NativeFunction("next", _next)
    table["print"] = NativeFunction("print", lambda interp, a, k, s: None)
    table["repr"] = NativeFunction("repr", lambda interp, a, k, s: to_repr(interp, a[0], s))
    table["ascii"] = NativeFunction("ascii", _ascii)
    table["format"] = NativeFunction("format", _format)
    table["id"] = NativeFunction("id", lambda interp, a, k, s: id(a[0]))
    table["callable"] = NativeFunction("callable", _callable)
    table["isinstance"] = NativeFunction("isinstance", _isinstance)
    table["issubclass"] = NativeFunction("issubclass", _issubclass)
    table["getattr"] = NativeFunction("getattr", _getattr)
    table["setattr"] = NativeFunction("setattr", _setattr)
    table["hasattr"] = NativeFunction("hasattr", _hasattr)
    table["super"] = NativeFunction("super", _super)
    table["property"] = BuiltinType("property", Property, _property)
    table["staticmethod"] = NativeFunction("staticmethod", lambda interp, a, k, s: StaticMethod(a[0]))
    table["classmethod"] = NativeFunction("classmethod", lambda interp, a, k, s: ClassMethod(a[0]))
    table["vars"] = NativeFunction("vars", _vars)
    table["dir"] = NativeFunction("dir", _dir)
    table["delattr"] = NativeFunction("delattr", _delattr)
    table["globals"] = NativeFunction("globals", _globals)
    table["locals"] = NativeFunction("locals", _locals)
    table["True"], table["False"], table["None"] = True, False, None
    table["Ellipsis"] = ...
    table["NotImplemented"] = NotImplemented
    table["__debug__"] = True
    for name in ("open", "eval", "exec", "compile", "input", "breakpoint"):
        table[name] = _never_run(name)
    table["__import__"] = NativeFunction("__import__", dunder_import)
    table["__sf_data_attribute__"] = data_attribute
    return table


def _object_setattr(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> None:
    """`object.__setattr__(self, name, value)`: a plain store, past any `__setattr__` override."""
    obj, name, value = args
    if isinstance(obj, Instance) and isinstance(name, str):
        obj.attrs[name] = value
    else:
        interp.set_attribute(obj, name, value, site)


def _type(interp: Any, cls: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    """`type(x)` is x's class; `type(name, bases, namespace)` makes a class."""
    if len(args) == 3:
        name, bases, namespace = args
        known = tuple(b for b in bases if isinstance(b, ClassObject)) or (interp.builtins["object"],)
        return ClassObject(str(name), known, dict(namespace), location=site)
    if len(args) != 1:
        interp.raise_error("TypeError", "type() takes 1 or 3 arguments", site)
    if isinstance(args[0], (ClassObject, BuiltinType)):
        return interp.builtins["type"]
    return class_of(args[0], interp.builtins)


def _frame_vars(interp: Any) -> dict[str, Any] | None:
    if not interp.frames:
        return None
    return {k: v for k, v in interp.frames[-1].vars.items() if not k.startswith("__sf_")}


def _locals(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    """`locals()` in a function: its arguments and variables so far (the interpreter holds the frame)."""
    frame = _frame_vars(interp)
    return Unknown("locals() outside a function", site) if frame is None else frame


def _vars(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    if not args:
        return _locals(interp, args, kwargs, site)
    target = args[0]
    if isinstance(target, Instance):
        return target.attrs
    if isinstance(target, ClassObject):
        return dict(target.namespace)
    if isinstance(target, Unknown):
        return target
    attrs = getattr(target, "attrs", None)
    if isinstance(attrs, dict):
        return attrs
    interp.raise_error("TypeError", "vars() argument must have __dict__ attribute", site)


def _ascii(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    text = to_repr(interp, args[0], site)
    return text.encode("ascii", "backslashreplace").decode("ascii") if isinstance(text, str) else text


def _format(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    """`format(value, spec)`: the value's own `__format__` for analyzed objects, Python's for data."""
    value, spec = args[0], args[1] if len(args) > 1 else kwargs.get("format_spec", "")
    if isinstance(value, Unknown) or isinstance(spec, Unknown):
        return Unknown("format() of an unknown value", site)
    return to_format(interp, value, str(spec), site)


def _globals(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    """`globals()`: the namespace of the module whose code calls it (registries look names up in it)."""
    module = interp.modules.get(site.source.module_name) if site is not None else None
    return module.attrs if module is not None else Unknown("globals() outside a module", site)


def _public(names: Any) -> list[str]:
    return sorted(str(name) for name in names if not str(name).startswith("__sf_"))


def _dir(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    """`dir(x)`: the names an attribute read could find on x, sorted."""
    if not args:
        frame = _frame_vars(interp)
        return _public(frame if frame is not None else _globals(interp, args, kwargs, site))
    target = args[0]
    if isinstance(target, Unknown):
        return target
    if isinstance(target, Namespace):
        if target.resolve is not None or "__sf_star_imports__" in target.attrs:
            return NamesFoundOnUse(target, site)
        return _public(target.attrs)
    if isinstance(target, (Instance, ClassObject)):
        cls = target.cls if isinstance(target, Instance) else target
        names = set(target.attrs) if isinstance(target, Instance) else set()
        for klass in cls.mro:
            names.update(klass.namespace)
        return _public(names)
    if isinstance(target, (NativeValue, Function, NativeFunction, BoundMethod)):
        return Unknown(f"dir() of {target!r}", site)
    return dir(target)


class NamesFoundOnUse(NativeValue):
    """`dir()` of a namespace whose names are found on first use (torch's catalog, pending star
    imports). A list would be incomplete and `'silu' in dir(F)` silently false; the feature probe
    `'silu' in dir(F)` is answered as `hasattr(F, 'silu')` would be, and anything else that needs
    the whole list is unknown."""

    def __init__(self, namespace: Namespace, site: Location) -> None:
        self.namespace = namespace
        self.site = site

    def sf_contains(self, interp: Any, name: Any, site: Location) -> Any:
        if not isinstance(name, str):
            return Unknown(f"membership in dir() of '{self.namespace.name}' of a non-string", site)
        return _hasattr(interp, (self.namespace, name), {}, site)

    def sf_getattr(self, interp: Any, name: str, site: Location) -> Any:
        return Unknown(f"dir() of '{self.namespace.name}', whose names are found on use", self.site)

    def __repr__(self) -> str:
        return f"dir({self.namespace.name})"


def _delattr(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    obj, name = args
    store = obj.attrs if isinstance(obj, (Instance, Namespace, Function)) else getattr(obj, "namespace", None)
    if not isinstance(name, str) or not isinstance(store, dict):
        return Unknown("delattr() on a value the analyzer cannot change", site)
    if name not in store:
        interp.raise_error("AttributeError", name, site)
    del store[name]
    return None


def _never_run(name: str) -> NativeFunction:
    def impl(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        return Unknown(f"{name}() is never run by a static analysis", site)

    return NativeFunction(name, impl)


def _next(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    iterator = args[0]
    try:
        return next(iterator)
    except StopIteration:
        if len(args) > 1:
            return args[1]
        interp.raise_error("StopIteration", "", site)
    except TypeError:
        return Unknown("next() of a non-iterator", site)


def _callable(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    value = args[0]
    if isinstance(value, Unknown):
        return Unknown("callable() of an unknown value", site)
    if isinstance(value, Instance):
        return value.cls.lookup("__call__") is not REQUIRED
    return isinstance(value, (Function, NativeFunction, BoundMethod, ClassObject, BuiltinType))


def _isinstance(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    result = is_instance(interp, args[0], args[1])
    return Unknown("isinstance() on an unknown value", site) if result is None else result


def _issubclass(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    cls, classinfo = args
    infos = classinfo if isinstance(classinfo, tuple) else (classinfo,)
    if isinstance(cls, ClassObject):
        return any(
            (isinstance(info, ClassObject) and cls.is_subclass(info))
            or (isinstance(info, BuiltinType) and issubclass_builtin(cls, info.pytype))
            for info in infos
        )
    if isinstance(cls, BuiltinType):
        return any(isinstance(info, BuiltinType) and issubclass(cls.pytype, info.pytype) for info in infos)
    return Unknown("issubclass() on an unknown class", site)


def _getattr(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    obj, name, *default = args
    if isinstance(name, Unknown):
        return Unknown(f"getattr() with an unknown name ({name.reason})", site)
    try:
        value = interp.get_attribute(obj, name, site, missing_ok=True)
    except AnalyzedException:
        value = REQUIRED
    if value is REQUIRED:
        if default:
            return default[0]
        interp.raise_error("AttributeError", f"no attribute '{name}'", site)
    return value


def _setattr(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    obj, name, value = args
    if isinstance(name, str):
        interp.set_attribute(obj, name, value, site)
    return None


def _hasattr(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    obj, name = args
    if isinstance(obj, Unknown) or isinstance(name, Unknown):
        return Unknown("hasattr() on an unknown value", site)
    try:
        value = interp.get_attribute(obj, name, site, missing_ok=True)
    except AnalyzedException:
        return False
    if isinstance(value, NativeValue) and not value.sf_known():
        return Unknown(f"whether '{name}' exists: the analyzer has no model of it", site)
    return value is not REQUIRED and not (isinstance(value, NativeFunction) and value.guessed)


def _super(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    if len(args) == 2:
        return SuperProxy(args[0], args[1])
    frame = interp.frames[-1] if interp.frames else None
    owner = frame.owner if frame is not None else None
    first = frame.first_argument if frame is not None else None
    if owner is None or first is None:
        return Unknown("super() outside a method", site)
    return SuperProxy(owner, first)


def _property(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    fget = args[0] if args else kwargs.get("fget")
    fset = args[1] if len(args) > 1 else kwargs.get("fset")
    return Property(fget, fset)


def _property_attribute(prop: Property, name: str) -> Any:
    """`fget`, `fset` and the `@x.setter` / `@x.getter` / `@x.deleter` decorators of a property."""
    if name in ("fget", "fset"):
        return getattr(prop, name)
    if name == "fdel":
        return None
    if name == "setter":
        return NativeFunction("property.setter", lambda i, a, k, s: Property(prop.fget, a[0]))
    if name == "getter":
        return NativeFunction("property.getter", lambda i, a, k, s: Property(a[0], prop.fset))
    if name == "deleter":  # deleting goes through the instance's attributes (exec_Del): the property stays
        return NativeFunction("property.deleter", lambda i, a, k, s: Property(prop.fget, prop.fset))
    if name == "__isabstractmethod__":
        return False
    if name == "__get__":  # the descriptor protocol called by hand: `Base.prop.__get__(self)`
        return NativeFunction(
            "property.__get__", lambda i, a, k, s: prop if a[0] is None else i.call(prop.fget, [a[0]], {}, s)
        )
    if name == "__set__":  # `Base.prop.__set__(self, value)`: a subclass's setter delegating to its base's
        return NativeFunction("property.__set__", lambda i, a, k, s: _property_set(i, prop, a, s))
    return REQUIRED


def _property_set(interp: Any, prop: Property, args: Args, site: Location) -> None:
    if prop.fset is None:
        interp.raise_error("AttributeError", "property has no setter", site)
    interp.call(prop.fset, list(args[:2]), {}, site)


# Methods of plain data that models use. Calls go to Python's own implementation,
# which is safe: it runs on constant data, never on analyzed code.
_STR_METHODS = """capitalize casefold center count encode endswith expandtabs find format format_map index isalnum
    isalpha isascii isdecimal isdigit isidentifier islower isnumeric isprintable isspace istitle isupper join ljust
    lower lstrip partition removeprefix removesuffix replace rfind rindex rjust rpartition rsplit rstrip split
    splitlines startswith strip swapcase title translate upper zfill"""
_BYTES_METHODS = """count decode endswith find hex index isalnum isalpha isdigit islower isspace isupper join lower
    lstrip partition replace rfind rsplit rstrip split startswith strip upper"""
_FROZENSET_METHODS = "copy difference intersection isdisjoint issubset issuperset symmetric_difference union"
DATA_METHODS: dict[type, frozenset[str]] = {
    str: frozenset(_STR_METHODS.split()),
    bytes: frozenset(_BYTES_METHODS.split()),
    list: frozenset(["append", "extend", "insert", "pop", "remove", "index", "count", "copy", "reverse", "clear"]),
    tuple: frozenset(["index", "count"]),
    dict: frozenset(["keys", "values", "items", "get", "pop", "setdefault", "update", "copy", "clear", "popitem"]),
    set: frozenset(
        [
            *_FROZENSET_METHODS.split(),
            *"add update discard remove pop clear difference_update intersection_update".split(),
            "symmetric_difference_update",
        ]
    ),
    frozenset: frozenset(_FROZENSET_METHODS.split()),
    int: frozenset(["bit_length", "bit_count", "to_bytes", "as_integer_ratio", "conjugate"]),
    float: frozenset(["is_integer", "as_integer_ratio", "hex", "conjugate"]),
    complex: frozenset(["conjugate"]),
    range: frozenset(["index", "count"]),
}
TYPE_FUNCTIONS: dict[type, frozenset[str]] = {
    dict: frozenset(["fromkeys"]),
    int: frozenset(["from_bytes"]),
    float: frozenset(["fromhex"]),
    str: frozenset(["maketrans"]),
    bytes: frozenset(["fromhex", "maketrans"]),
}
"""Class and static methods of the builtin types (`dict.fromkeys`, `int.from_bytes`)."""
ITERABLE_ARGUMENTS = frozenset(
    """extend update union intersection difference symmetric_difference issubset issuperset isdisjoint join
    difference_update intersection_update symmetric_difference_update fromkeys""".split()
)
"""Methods whose arguments may be any iterable: an analyzed one is collected first."""


def data_attribute(interp: Any, obj: Any, name: str, site: Location) -> Any:
    """Attributes of plain Python data: whitelisted methods and a few properties."""
    if name in getattr(type(obj), "sf_attributes", ()):  # the modelled collections' own API
        value = getattr(obj, name)
        return _data_method(obj, name) if callable(value) else value
    for pytype, methods in DATA_METHODS.items():
        if isinstance(obj, pytype) and name in methods:
            return _data_method(obj, name)
    if isinstance(obj, list) and name == "sort":
        return NativeFunction("list.sort", lambda i, a, k, s: obj.__setitem__(slice(None), _sorted(i, [obj], k, s)))
    if isinstance(obj, (int, float)) and name in ("real", "imag", "numerator", "denominator"):
        return getattr(obj, name)
    if isinstance(obj, slice) and name in ("start", "stop", "step"):
        return getattr(obj, name)
    if isinstance(obj, range) and name in ("start", "stop", "step"):
        return getattr(obj, name)
    if isinstance(obj, BuiltinType):
        return _type_attribute(obj, name)
    if isinstance(obj, Property):
        return _property_attribute(obj, name)
    if isinstance(obj, tuple) and name in getattr(obj, "_fields", ()):  # torch's named tuples: (values, indices)
        return getattr(obj, name)
    return REQUIRED


def _type_attribute(cls: BuiltinType, name: str) -> Any:
    """`str.lower`, `dict.fromkeys`, `int.__name__`: what model code reads off a builtin type."""
    if name in ("__name__", "__qualname__"):
        return cls.name
    if name == "__module__":
        return "builtins"
    pytype = cls.pytype
    if name in TYPE_FUNCTIONS.get(pytype, ()):
        return _data_method(pytype, name)
    if name in DATA_METHODS.get(pytype, ()) or (pytype is list and name == "sort") or name in UNBOUND_DUNDERS:

        def unbound(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
            """`str.lower(s)` is `s.lower()`, as Python's unbound methods are."""
            if not args:
                interp.raise_error("TypeError", f"unbound method {cls.name}.{name}() needs an argument", site)
            self_value, *rest = args
            if isinstance(self_value, Unknown):
                return self_value
            if isinstance(self_value, (Instance, NativeValue)):
                return Unknown(f"{cls.name}.{name}() of an analyzed object", site)
            if not isinstance(self_value, pytype):
                interp.raise_error("TypeError", f"descriptor '{name}' requires a '{cls.name}' object", site)
            if name in UNBOUND_DUNDERS:
                return UNBOUND_DUNDERS[name](interp, self_value, rest, site)
            return interp.call(interp.get_attribute(self_value, name, site), rest, kwargs, site)

        return NativeFunction(f"{cls.name}.{name}", unbound)
    return REQUIRED


UNBOUND_DUNDERS: dict[str, Callable[[Any, Any, list[Any], Location], Any]] = {
    "__getitem__": lambda interp, obj, rest, site: interp.get_item(obj, rest[0], site),
    "__setitem__": lambda interp, obj, rest, site: interp.set_item(obj, rest[0], rest[1], site),
    "__contains__": lambda interp, obj, rest, site: interp.compare(ast.In, rest[0], obj, site),
    "__len__": lambda interp, obj, rest, site: _len(interp, [obj], {}, site),
}
"""`dict.__getitem__(d, k)` and its kin: the protocol the interpreter already implements."""


class KeysView(list):  # type: ignore[type-arg]
    """`d.keys()` and `d.items()`: a snapshot list (analyzed code may change the dict while iterating
    over it) that keeps the views' set operators (`d.keys() | e.values()`)."""

    def __or__(self, other: Any) -> set[Any]:  # type: ignore[override]
        return set(self) | set(other)

    def __ror__(self, other: Any) -> set[Any]:
        return set(other) | set(self)

    def __and__(self, other: Any) -> set[Any]:
        return set(self) & set(other)

    def __sub__(self, other: Any) -> set[Any]:
        return set(self) - set(other)

    def __xor__(self, other: Any) -> set[Any]:
        return set(self) ^ set(other)


def _data_method(obj: Any, name: str) -> NativeFunction:
    method = getattr(obj, name)

    def impl(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        if name in ITERABLE_ARGUMENTS:
            args = [
                _collect(interp, a, site)
                if not isinstance(a, (list, tuple, dict, set, frozenset, str, bytes)) and (i == 0 or name != "fromkeys")
                else a
                for i, a in enumerate(args)
            ]
        interp.budget.charge(f"{type(obj).__name__}.{name}", [obj, *args], kwargs)
        unknown = _first_unknown(args) if name in ("join", "format", "split", "replace") else None
        if name in ("format", "format_map") and unknown is None:
            unknown = _first_unknown(kwargs.values())
        if unknown is not None:
            return Unknown(f"str.{name}() of an unknown value", site)
        if isinstance(obj, str) and name in ("format", "format_map"):
            return format_call(interp, method, args, kwargs, site)
        missed = name == "get" and isinstance(obj, dict) and args and not isinstance(args[0], Unknown)
        if missed and args[0] not in obj and interp.complete_registry(obj):
            return obj.get(*args)
        try:
            result = method(*args, **kwargs)
        except (TypeError, ValueError, IndexError, KeyError) as exc:
            interp.raise_error(type(exc).__name__, str(exc), site)
        if isinstance(result, (str, list, bytes)):
            interp.budget.check_size(len(result))
        if type(result).__name__ in ("dict_keys", "dict_items"):
            return KeysView(result)
        if type(result).__name__ == "dict_values":
            return list(result)
        return result

    return NativeFunction(f"{type(obj).__name__}.{name}", impl)
