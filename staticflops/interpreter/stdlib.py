"""The standard-library modules model code leans on, as the interpreter provides them:
`math`, `typing`, `collections`, `functools`, `dataclasses`, `enum`, `copy`,
`warnings`, `abc`, `itertools`, `operator`. Any other standard module is `Unknown`.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from typing import Any

from staticflops.interpreter.calls import BindError, bind_arguments
from staticflops.interpreter.evaluator import Interpreter, NativeModules
from staticflops.interpreter.values import (
    REQUIRED,
    BoundMethod,
    ClassMethod,
    ClassObject,
    Function,
    Instance,
    Namespace,
    NativeFunction,
    NativeValue,
    Param,
    ParamKind,
    Property,
    StaticMethod,
    Unknown,
)
from staticflops.source import Location

Args = list[Any]
Kwargs = dict[str, Any]

MATH_FUNCTIONS = [
    "ceil",
    "floor",
    "sqrt",
    "log",
    "log2",
    "log10",
    "exp",
    "pow",
    "fabs",
    "gcd",
    "lcm",
    "isclose",
    "isfinite",
    "isinf",
    "isnan",
    "prod",
    "comb",
    "perm",
    "factorial",
    "trunc",
    "sin",
    "cos",
    "tan",
    "atan",
    "atan2",
    "hypot",
    "degrees",
    "radians",
    "copysign",
    "fmod",
    "modf",
    "frexp",
    "ldexp",
    "isqrt",
]


def _pure(name: str, function: Callable[..., Any]) -> NativeFunction:
    def impl(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        values = [*args, *kwargs.values()]
        if any(isinstance(v, (Unknown, NativeValue, Instance)) for v in values):
            return Unknown(f"{name}() of a non-constant value", site)
        try:
            return function(*args, **kwargs)
        except (TypeError, ValueError, OverflowError, ZeroDivisionError) as exc:
            interp.raise_error(type(exc).__name__, str(exc), site)

    return NativeFunction(name, impl)


def _math(interp: Interpreter) -> Namespace:
    attrs: dict[str, Any] = {name: _pure(f"math.{name}", getattr(math, name)) for name in MATH_FUNCTIONS}
    attrs.update({"pi": math.pi, "e": math.e, "inf": math.inf, "nan": math.nan, "tau": math.tau})
    return Namespace("math", attrs)


def _identity(name: str) -> NativeFunction:
    """A decorator (with or without arguments) that leaves the function as written."""

    def impl(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        if len(args) == 1 and not kwargs and isinstance(args[0], (Function, ClassObject, NativeFunction)):
            return args[0]
        return NativeFunction(name, lambda i, a, k, s: a[0] if a else None)

    return NativeFunction(name, impl)


ABSTRACT_TYPES: dict[str, tuple[type, ...]] = {
    "Sequence": (list, tuple, str, range),
    "MutableSequence": (list,),
    "Mapping": (dict,),
    "MutableMapping": (dict,),
    "Set": (set, frozenset),
    "Iterable": (list, tuple, str, range, dict, set, frozenset),
    "Collection": (list, tuple, str, range, dict, set, frozenset),
    "Sized": (list, tuple, str, range, dict, set, frozenset),
    "Container": (list, tuple, str, range, dict, set, frozenset),
    "Hashable": (int, float, str, tuple, bool, type(None), frozenset),
}
"""`collections.abc` (and their `typing` aliases) as `isinstance` sees plain data."""


def abstract_type(module: str, name: str) -> ClassObject:
    pytypes = ABSTRACT_TYPES.get(name)
    metadata: dict[str, Any] = {}
    if pytypes is not None:
        metadata["instancecheck"] = lambda value: isinstance(value, pytypes)
    elif name == "Callable":
        metadata["instancecheck"] = lambda value: isinstance(
            value, (Function, NativeFunction, BoundMethod, ClassObject)
        )
    return ClassObject(name, (), {}, qualname=f"{module}.{name}", metadata=metadata)


def _typing(interp: Interpreter) -> Namespace:
    def resolve(name: str) -> Any:
        if name == "NamedTuple":
            return interp.hooks["stdlib.namedtuple_base"]
        return abstract_type("typing", name)

    attrs: dict[str, Any] = {
        "TYPE_CHECKING": False,
        "cast": NativeFunction("typing.cast", lambda i, a, k, s: a[1]),
        "overload": _identity("typing.overload"),
        "final": _identity("typing.final"),
        "no_type_check": _identity("typing.no_type_check"),
        "TypeVar": NativeFunction("typing.TypeVar", lambda i, a, k, s: ClassObject(str(a[0]), (), {})),
    }
    return Namespace("typing", attrs, resolve=resolve)


def _ordered_dict(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    return interp.builtins["dict"].constructor(interp, args, kwargs, site)


def _collections(interp: Interpreter) -> Namespace:
    return Namespace(
        "collections",
        {
            "OrderedDict": NativeFunction("collections.OrderedDict", _ordered_dict),
            "defaultdict": NativeFunction("collections.defaultdict", lambda i, a, k, s: {}),
            "namedtuple": NativeFunction("collections.namedtuple", _namedtuple_factory),
            "abc": interp.import_module("collections.abc", interp.current),  # type: ignore[arg-type]
        },
    )


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
        if name == "__name__":
            return getattr(self.function, "name", "partial")
        raise NotImplementedError


def _partial(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    function, *rest = args
    if isinstance(function, Partial):
        return Partial(function.function, [*function.args, *rest], {**function.kwargs, **kwargs})
    return Partial(function, rest, kwargs)


def _wraps(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    """`@functools.wraps(fn)`: the wrapper takes `fn`'s name, as registries keyed by `__name__` expect."""
    wrapped = args[0]

    def decorate(i: Any, a: Args, k: Kwargs, s: Location) -> Any:
        wrapper = a[0]
        if isinstance(wrapper, Function):
            for attribute in ("__name__", "__qualname__", "__doc__"):
                value = i.get_attribute(wrapped, attribute, s, missing_ok=True)
                if value is not REQUIRED and not isinstance(value, Unknown):
                    wrapper.attrs[attribute] = value
            wrapper.attrs["__wrapped__"] = wrapped
        return wrapper

    return NativeFunction("functools.wraps.<decorator>", decorate)


def _reduce(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    function, iterable, *initial = args
    items = list(interp.iterate(iterable, site))
    accumulator = initial[0] if initial else items.pop(0)
    for item in items:
        accumulator = interp.call(function, [accumulator, item], {}, site)
    return accumulator


def _functools(interp: Interpreter) -> Namespace:
    return Namespace(
        "functools",
        {
            "partial": NativeFunction("functools.partial", _partial),
            "reduce": NativeFunction("functools.reduce", _reduce),
            "wraps": NativeFunction("functools.wraps", _wraps),
            "lru_cache": _identity("functools.lru_cache"),
            "cache": _identity("functools.cache"),
            "cached_property": NativeFunction(
                "functools.cached_property", lambda i, a, k, s: i.builtins["property"].impl(i, a, k, s)
            ),
        },
    )


class FieldDefault(NativeValue):
    """`dataclasses.field(default=..., default_factory=...)` in a class body."""

    def __init__(self, default: Any, factory: Any, init: bool) -> None:
        self.default = default
        self.factory = factory
        self.init = init


def _field(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    return FieldDefault(kwargs.get("default", REQUIRED), kwargs.get("default_factory"), kwargs.get("init", True))


def _field_names(cls: ClassObject) -> list[str]:
    names: list[str] = []
    for klass in reversed(cls.mro):
        for name in klass.namespace.get("__annotations__", {}):
            if name not in names:
                names.append(name)
    return names


def _make_dataclass(interp: Any, cls: ClassObject) -> ClassObject:
    names = _field_names(cls)
    params: list[Param] = [Param("self", ParamKind.POSITIONAL_ONLY)]
    factories: dict[str, Any] = {}
    for name in names:
        default = cls.lookup(name)
        if isinstance(default, FieldDefault):
            if default.factory is not None:
                factories[name] = default.factory
                default = None
            else:
                default = default.default
        params.append(Param(name, ParamKind.POSITIONAL_OR_KEYWORD, default))

    def init(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> None:
        try:
            bound = bind_arguments(cls.name, tuple(params), args, kwargs)
        except BindError as exc:
            interp.raise_error("TypeError", str(exc), site)
        obj = bound.pop("self")
        for name, value in bound.items():
            if name in factories and value is None:
                value = interp.call(factories[name], [], {}, site)
            interp.set_attribute(obj, name, value, site)
        post = obj.cls.lookup("__post_init__")
        if post is not REQUIRED:
            interp.call(BoundMethod(post, obj), [], {}, site)

    cls.namespace["__init__"] = NativeFunction(f"{cls.name}.__init__", init)
    cls.namespace["__sf_fields__"] = tuple(names)
    return cls


def _dataclass(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    if args and isinstance(args[0], ClassObject):
        return _make_dataclass(interp, args[0])
    return NativeFunction("dataclass", lambda i, a, k, s: _make_dataclass(i, a[0]))


def _fields(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    target = args[0]
    cls = target.cls if isinstance(target, Instance) else target
    names = cls.lookup("__sf_fields__") if isinstance(cls, ClassObject) else REQUIRED
    if names is REQUIRED:
        return Unknown("fields() of a non-dataclass", site)
    return tuple(Instance(interp.builtins["object"], {"name": name}) for name in names)


def _dataclasses(interp: Interpreter) -> Namespace:
    return Namespace(
        "dataclasses",
        {
            "dataclass": NativeFunction("dataclasses.dataclass", _dataclass),
            "field": NativeFunction("dataclasses.field", _field),
            "fields": NativeFunction("dataclasses.fields", _fields),
            "asdict": NativeFunction("dataclasses.asdict", lambda i, a, k, s: dict(a[0].attrs)),
            "replace": NativeFunction("dataclasses.replace", _replace),
        },
    )


def _replace(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    obj = copy_value(args[0], deep=False)
    for name, value in kwargs.items():
        interp.set_attribute(obj, name, value, site)
    return obj


def _namedtuple_factory(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    name, fields = args[0], args[1]
    if isinstance(fields, str):
        fields = fields.replace(",", " ").split()
    cls = ClassObject(str(name), (interp.hooks["stdlib.namedtuple_base"],), {"__annotations__": dict.fromkeys(fields)})
    return _make_dataclass(interp, cls)


def _namedtuple_base(interp: Interpreter) -> ClassObject:
    """Base for `class P(NamedTuple)`: fields from annotations, indexable and iterable."""

    def created(interp: Any, cls: ClassObject, site: Location) -> None:
        _make_dataclass(interp, cls)

    def getitem(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        obj, index = args
        values = [obj.attrs.get(n) for n in obj.cls.lookup("__sf_fields__")]
        return values[index]

    def iterate(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        obj = args[0]
        return [obj.attrs.get(n) for n in obj.cls.lookup("__sf_fields__")]

    def length(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        return len(args[0].cls.lookup("__sf_fields__"))

    return ClassObject(
        "NamedTuple",
        (interp.builtins["object"],),
        {
            "__getitem__": NativeFunction("__getitem__", getitem),
            "__iter__": NativeFunction("__iter__", iterate),
            "__len__": NativeFunction("__len__", length),
        },
        qualname="typing.NamedTuple",
        metadata={"__sf_class_created__": created},
    )


def _enum(interp: Interpreter) -> Namespace:
    """`class Color(Enum)`: class attributes become members with `.name` and `.value`."""
    base = ClassObject("Enum", (interp.builtins["object"],), {}, qualname="enum.Enum")

    def created(interp: Any, cls: ClassObject, site: Location) -> None:
        members = []
        for name, value in list(cls.namespace.items()):
            if name.startswith("_") or isinstance(
                value, (Function, NativeFunction, ClassObject, ClassMethod, StaticMethod, Property)
            ):
                continue
            member = Instance(cls, {"name": name, "value": value, "_name_": name, "_value_": value})
            cls.namespace[name] = member
            members.append(member)
        cls.namespace["__sf_members__"] = members

    def iterate(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        return list(args[0].lookup("__sf_members__"))

    base.metadata["__sf_class_created__"] = created
    base.namespace["__class_getitem__"] = NativeFunction("Enum.__getitem__", lambda i, a, k, s: a[0].lookup(a[1]))
    base.namespace["__iter__"] = NativeFunction("Enum.__iter__", iterate)
    auto_counter = itertools.count(1)
    meta = ClassObject("EnumMeta", (interp.builtins["object"],), {}, qualname="enum.EnumMeta")
    return Namespace(
        "enum",
        {
            "Enum": base,
            "IntEnum": base,
            "StrEnum": base,
            "EnumMeta": meta,
            "EnumType": meta,
            "auto": NativeFunction("enum.auto", lambda i, a, k, s: next(auto_counter)),
            "unique": _identity("enum.unique"),
        },
    )


def copy_value(value: Any, deep: bool, memo: dict[int, Any] | None = None) -> Any:
    """copy.copy / copy.deepcopy over abstract values (tensors, modules and data alike)."""
    memo = {} if memo is None else memo
    if id(value) in memo:
        return memo[id(value)]
    if isinstance(value, Instance):
        clone = Instance(value.cls)
        memo[id(value)] = clone
        clone.attrs = {k: copy_value(v, deep, memo) for k, v in value.attrs.items()} if deep else dict(value.attrs)
        return clone
    if not deep:
        if isinstance(value, (list, dict, set)):
            return type(value)(value)
        return value
    if isinstance(value, list):
        result: list[Any] = []
        memo[id(value)] = result
        result.extend(copy_value(v, deep, memo) for v in value)
        return result
    if isinstance(value, tuple):
        return tuple(copy_value(v, deep, memo) for v in value)
    if isinstance(value, dict):
        copied: dict[Any, Any] = {}
        memo[id(value)] = copied
        copied.update({k: copy_value(v, deep, memo) for k, v in value.items()})
        return copied
    copier = getattr(value, "sf_copy", None)
    return copier() if copier is not None else value


def _copy(interp: Interpreter) -> Namespace:
    return Namespace(
        "copy",
        {
            "copy": NativeFunction("copy.copy", lambda i, a, k, s: copy_value(a[0], deep=False)),
            "deepcopy": NativeFunction("copy.deepcopy", lambda i, a, k, s: copy_value(a[0], deep=True)),
        },
    )


def _simple_namespace(name: str, attrs: dict[str, Any]) -> Callable[[Interpreter], Namespace]:
    return lambda interp: Namespace(name, dict(attrs))


def _itertools(interp: Interpreter) -> Namespace:
    def wrap(name: str) -> NativeFunction:
        function = getattr(itertools, name)

        def impl(i: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
            lists = [list(i.iterate(a, site)) if not isinstance(a, int) else a for a in args]
            result = list(itertools.islice(function(*lists, **kwargs), i.limits.collection_size + 1))
            i.budget.check_size(len(result))
            return result

        return NativeFunction(f"itertools.{name}", impl)

    return Namespace(
        "itertools",
        {
            n: wrap(n)
            for n in (
                "chain",
                "product",
                "accumulate",
                "repeat",
                "zip_longest",
                "combinations",
                "permutations",
                "islice",
                "pairwise",
            )
        },
    )


def _types(interp: Interpreter) -> Namespace:
    """`types.FunctionType` and friends, for `isinstance` checks."""

    def kind(name: str, check: Callable[[Any], bool]) -> ClassObject:
        return ClassObject(name, (), {}, qualname=f"types.{name}", metadata={"instancecheck": check})

    def is_function(value: Any) -> bool:
        return isinstance(value, (Function, NativeFunction))

    return Namespace(
        "types",
        {
            "FunctionType": kind("FunctionType", is_function),
            "LambdaType": kind("LambdaType", is_function),
            "BuiltinFunctionType": kind("BuiltinFunctionType", lambda v: isinstance(v, NativeFunction)),
            "MethodType": kind("MethodType", lambda v: isinstance(v, BoundMethod)),
            "ModuleType": kind("ModuleType", lambda v: isinstance(v, Namespace)),
            "SimpleNamespace": NativeFunction(
                "types.SimpleNamespace", lambda i, a, k, s: Instance(i.builtins["object"], dict(k))
            ),
        },
    )


def install_stdlib(interp: Interpreter, natives: NativeModules) -> None:
    interp.hooks["stdlib.namedtuple_base"] = _namedtuple_base(interp)
    abc_class = ClassObject("ABC", (interp.builtins["object"],), {}, qualname="abc.ABC")
    natives.factories.update(
        {
            "math": _math,
            "typing": _typing,
            "typing_extensions": _typing,
            "collections.abc": lambda interp: Namespace(
                "collections.abc", {}, resolve=lambda name: abstract_type("collections.abc", name)
            ),
            "collections": _collections,
            "functools": _functools,
            "dataclasses": _dataclasses,
            "enum": _enum,
            "copy": _copy,
            "itertools": _itertools,
            "types": _types,
            "warnings": _simple_namespace(
                "warnings", {"warn": NativeFunction("warnings.warn", lambda i, a, k, s: None)}
            ),
            "abc": _simple_namespace("abc", {"ABC": abc_class, "abstractmethod": _identity("abc.abstractmethod")}),
            "__future__": _simple_namespace("__future__", {"annotations": True}),
        }
    )
