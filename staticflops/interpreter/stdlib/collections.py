"""`collections` and `collections.abc`: containers built on the plain `dict` and `list` the
interpreter already computes with, so every dict and list method works on them too."""

from __future__ import annotations

import collections as python_collections
from typing import Any

from staticflops.interpreter.stdlib._support import Args, Kwargs
from staticflops.interpreter.stdlib.dataclasses import MISSING, make_dataclass
from staticflops.interpreter.text import to_repr
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
    Unknown,
)
from staticflops.source import Location

ABSTRACT_TYPES: dict[str, tuple[type, ...]] = {
    "Sequence": (list, tuple, str, range),
    "MutableSequence": (list,),
    "Mapping": (dict,),
    "MutableMapping": (dict,),
    "Set": (set, frozenset),
    "MutableSet": (set,),
    "Iterable": (list, tuple, str, range, dict, set, frozenset),
    "Collection": (list, tuple, str, range, dict, set, frozenset),
    "Sized": (list, tuple, str, range, dict, set, frozenset),
    "Container": (list, tuple, str, range, dict, set, frozenset),
    # typing's aliases of the builtin containers
    "Tuple": (tuple,),
    "List": (list,),
    "Dict": (dict,),
    "FrozenSet": (frozenset,),
    "AbstractSet": (set, frozenset),
    "Text": (str,),
}
"""`collections.abc` (and their `typing` aliases) as `isinstance` sees plain data."""


def abstract_type(module: str, name: str) -> ClassObject:
    pytypes = ABSTRACT_TYPES.get(name)
    metadata: dict[str, Any] = {}
    if pytypes is not None:
        metadata["instancecheck"] = lambda value: isinstance(value, pytypes) or _has_protocol(value, name)
    elif name == "Hashable":
        metadata["instancecheck"] = _hashable
    elif name == "Callable":
        metadata["instancecheck"] = lambda value: (
            isinstance(value, (Function, NativeFunction, BoundMethod, ClassObject)) or _has_protocol(value, name)
        )
    namespace = mapping_mixins(name) if name in ("Mapping", "MutableMapping") else {}
    return ClassObject(name, (), namespace, qualname=f"{module}.{name}", metadata=metadata)


def mapping_mixins(name: str) -> dict[str, Any]:
    """The methods `collections.abc.Mapping` (and `MutableMapping`) give a subclass that defines
    `__getitem__`, `__iter__` and `__len__` (and `__setitem__`): a registry class such as
    transformers' `GeneralInterface` relies on `keys()`, `get()` and `in`."""

    def keys(i: Any, a: Args, k: Kwargs, s: Location) -> Any:
        return list(i.iterate(a[0], s))

    def item(i: Any, a: Args, key: Any, s: Location) -> Any:
        return i.call(i.get_attribute(a[0], "__getitem__", s), [key], {}, s)

    def items(i: Any, a: Args, k: Kwargs, s: Location) -> Any:
        return [(key, item(i, a, key, s)) for key in list(i.iterate(a[0], s))]

    def values(i: Any, a: Args, k: Kwargs, s: Location) -> Any:
        return [item(i, a, key, s) for key in list(i.iterate(a[0], s))]

    def contains(i: Any, a: Args, k: Kwargs, s: Location) -> Any:
        found = [key for key in i.iterate(a[0], s) if isinstance(key, type(a[1])) and key == a[1]]
        return bool(found)

    def get(i: Any, a: Args, k: Kwargs, s: Location) -> Any:
        default = a[2] if len(a) > 2 else k.get("default")
        return item(i, a, a[1], s) if contains(i, a[:2], {}, s) else default

    def update(i: Any, a: Args, k: Kwargs, s: Location) -> Any:
        pairs = list(a[1].items()) if len(a) > 1 and isinstance(a[1], dict) else []
        for key, value in [*pairs, *k.items()]:
            i.call(i.get_attribute(a[0], "__setitem__", s), [key, value], {}, s)
        return None

    methods = {"keys": keys, "items": items, "values": values, "get": get, "__contains__": contains}
    if name == "MutableMapping":
        methods["update"] = update
    return {method: NativeFunction(f"{name}.{method}", impl) for method, impl in methods.items()}


PROTOCOL_METHODS = {
    "Sequence": "__getitem__",
    "Mapping": "keys",
    "Iterable": "__iter__",
    "Sized": "__len__",
    "Callable": "__call__",
}


def _hashable(value: Any) -> bool:
    """Python's rule: the builtin mutable containers are not; an instance is unless its class sets
    `__hash__ = None` or defines `__eq__` without `__hash__` (which sets it to None); functions,
    classes, enum members and tensors are."""
    if isinstance(value, (list, dict, set, bytearray)):
        return False
    if isinstance(value, Instance):
        for klass in value.cls.mro:
            if "__hash__" in klass.namespace:
                return klass.namespace["__hash__"] is not None
            if "__eq__" in klass.namespace:
                return False
    return True


def _has_protocol(value: Any, name: str) -> bool:
    """An analyzed instance satisfies an ABC when its class defines the method the ABC is about."""
    method = PROTOCOL_METHODS.get(name)
    return isinstance(value, Instance) and method is not None and value.cls.lookup(method) is not REQUIRED


class TupleNew(NativeValue):
    """A namedtuple's `__new__`, for the idiom `Point.__new__.__defaults__ = (None,) * 2`."""

    def __init__(self, cls: ClassObject) -> None:
        self.cls = cls

    def sf_getattr(self, interp: Any, name: str, site: Location) -> Any:
        if name == "__defaults__":
            defaults = self.cls.namespace["__sf_tuple_defaults__"]
            return tuple(defaults) if defaults else None
        raise NotImplementedError

    def sf_setattr(self, interp: Any, name: str, value: Any, site: Location) -> None:
        if name != "__defaults__":
            raise NotImplementedError
        set_tuple_defaults(self.cls, list(value or ()))


def set_tuple_defaults(cls: ClassObject, defaults: list[Any]) -> None:
    """The last `len(defaults)` fields get these defaults, as namedtuple's `defaults=` gives them."""
    cls.namespace["__sf_tuple_defaults__"] = list(defaults)
    fields = cls.namespace["__dataclass_fields__"]
    names = list(fields)
    for index, name in enumerate(names):
        offset = index - (len(names) - len(defaults))
        fields[name].attrs["default"] = defaults[offset] if offset >= 0 else MISSING
    cls.namespace["_field_defaults"] = {
        name: fields[name].attrs["default"] for name in names[len(names) - len(defaults) :]
    }
    make_dataclass_init(cls)


def make_dataclass_init(cls: ClassObject) -> None:
    """Rebuild the generated `__init__` after the defaults changed."""
    cls.namespace.pop("__init__", None)
    own = cls.namespace["__sf_own_fields__"]
    annotations = {name: None for name in own}
    cls.namespace["__annotations__"] = annotations
    for name, field in own.items():
        if field.attrs["default"] is not MISSING:
            cls.namespace[name] = field.attrs["default"]
        else:
            cls.namespace.pop(name, None)
    interp = cls.metadata["interp"]
    make_dataclass(interp, cls)


def _tuple_values(obj: Instance) -> list[Any]:
    return [obj.attrs.get(name) for name in obj.cls.lookup("__sf_fields__")]


def namedtuple_base(interp: Any) -> ClassObject:
    """The base of every named tuple (`namedtuple(...)` and `class P(NamedTuple)`): fields from
    annotations, indexable, iterable, and the `_fields`, `_replace`, `_asdict`, `_make` API."""
    base = interp.hooks.get("stdlib.namedtuple_base")
    if base is not None:
        return base

    def created(interp: Any, cls: ClassObject, site: Location) -> None:
        cls.metadata["interp"] = interp
        make_dataclass(interp, cls, eq=False, repr=False)  # a tuple's equality and repr (below)
        cls.namespace["_fields"] = cls.namespace["__sf_fields__"]
        defaults = [
            f.attrs["default"]
            for f in cls.namespace["__dataclass_fields__"].values()
            if f.attrs["default"] is not MISSING
        ]
        cls.namespace["__sf_tuple_defaults__"] = defaults
        cls.namespace["_field_defaults"] = {
            name: f.attrs["default"]
            for name, f in cls.namespace["__dataclass_fields__"].items()
            if f.attrs["default"] is not MISSING
        }
        cls.namespace["__new__"] = TupleNew(cls)

    def getitem(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        obj, index = args
        return interp.get_item(tuple(_tuple_values(obj)), index, site)

    def iterate(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        return _tuple_values(args[0])

    def length(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        return len(args[0].cls.lookup("__sf_fields__"))

    def replace(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        obj = args[0]
        values = dict(zip(obj.cls.lookup("__sf_fields__"), _tuple_values(obj), strict=True))
        unknown = set(kwargs) - set(values)
        if unknown:
            interp.raise_error("ValueError", f"Got unexpected field names: {sorted(unknown)!r}", site)
        values.update(kwargs)
        return interp.instantiate(obj.cls, [], values, site)

    def construct(interp: Any, cls: ClassObject, args: Args, kwargs: Kwargs, site: Location) -> Any:
        """`NamedTuple("P", [("x", int), ...])` makes a class; a named tuple class makes a tuple."""
        if cls is not base:
            obj = Instance(cls, origin=site)
            interp.call(BoundMethod(cls.lookup("__init__"), obj), args, kwargs, site)
            return obj
        pairs = list(interp.iterate(args[1], site)) if len(args) > 1 else list(kwargs.items())
        names = [str(next(iter(interp.iterate(pair, site)))) for pair in pairs]
        return namedtuple_class(interp, str(args[0]), names, [], site)

    def show(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        obj = args[0]
        pairs = zip(obj.cls.lookup("__sf_fields__"), _tuple_values(obj), strict=True)
        return f"{obj.cls.name}({', '.join(f'{name}={to_repr(interp, value, site)}' for name, value in pairs)})"

    def asdict(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        obj = args[0]
        return dict(zip(obj.cls.lookup("__sf_fields__"), _tuple_values(obj), strict=True))

    def make(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        cls, iterable = args
        return interp.instantiate(cls, list(interp.iterate(iterable, site)), {}, site)

    def equal(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        left, right = args
        other = (
            _tuple_values(right)
            if isinstance(right, Instance) and right.cls.lookup("_fields") is not REQUIRED
            else right
        )
        if not isinstance(other, (list, tuple)):
            return False
        return tuple(_tuple_values(left)) == tuple(other)

    base = ClassObject(
        "NamedTuple",
        (interp.builtins["object"],),
        {
            "__getitem__": NativeFunction("__getitem__", getitem),
            "__iter__": NativeFunction("__iter__", iterate),
            "__len__": NativeFunction("__len__", length),
            "__eq__": NativeFunction("__eq__", equal),
            "__repr__": NativeFunction("__repr__", show),
            "__sf_construct__": NativeFunction("NamedTuple", construct),
            "__hash__": NativeFunction(
                "__hash__", lambda i, a, k, s: i.builtins["hash"].impl(i, [tuple(_tuple_values(a[0]))], {}, s)
            ),
            "_replace": NativeFunction("_replace", replace),
            "_asdict": NativeFunction("_asdict", asdict),
            "_make": ClassMethod(NativeFunction("_make", make)),
            "count": NativeFunction("count", lambda i, a, k, s: _tuple_values(a[0]).count(a[1])),
            "index": NativeFunction("index", lambda i, a, k, s: _tuple_values(a[0]).index(a[1])),
        },
        qualname="typing.NamedTuple",
        metadata={"__sf_class_created__": created, "builtin_bases": (tuple,)},
    )
    interp.hooks["stdlib.namedtuple_base"] = base
    return base


def namedtuple_class(interp: Any, name: str, fields: list[str], defaults: list[Any], site: Location) -> ClassObject:
    cls = ClassObject(name, (namedtuple_base(interp),), {"__annotations__": dict.fromkeys(fields)}, location=site)
    namedtuple_base(interp).metadata["__sf_class_created__"](interp, cls, site)
    if defaults:
        set_tuple_defaults(cls, defaults)
    return cls


class DefaultDict(dict):  # type: ignore[type-arg]
    """`defaultdict(factory)`: a missing key calls the analyzed factory through the interpreter."""

    sf_attributes = frozenset(["default_factory"])
    """What analyzed code may read beyond a dict's methods (`builtins.data_attribute`)."""

    def __init__(self, interp: Any, factory: Any, *args: Any) -> None:
        super().__init__(*args)
        self.interp = interp
        self.default_factory = factory

    def __missing__(self, key: Any) -> Any:
        if self.default_factory is None:
            raise KeyError(key)
        value = self.interp.call(self.default_factory, [], {}, self.interp.current)
        self[key] = value
        return value

    def __reduce__(self) -> Any:  # copy.copy keeps the factory
        return (DefaultDict, (self.interp, self.default_factory), None, None, iter(self.items()))

    def __repr__(self) -> str:
        factory = self.default_factory
        shown = f"<class '{factory.name}'>" if isinstance(factory, BuiltinType) else repr(factory)
        return f"defaultdict({shown}, {dict.__repr__(self)})"


class Counter(dict):  # type: ignore[type-arg]
    """`Counter(iterable)`: counts of constant keys."""

    sf_attributes = frozenset(["most_common", "total", "elements", "update", "subtract"])

    def __missing__(self, key: Any) -> int:
        return 0

    def __repr__(self) -> str:
        return repr(python_collections.Counter(self))

    def most_common(self, n: int | None = None) -> list[tuple[Any, Any]]:
        ranked = sorted(self.items(), key=lambda item: item[1], reverse=True)
        return ranked if n is None else ranked[:n]

    def total(self) -> Any:
        return sum(self.values())

    def elements(self) -> list[Any]:
        return [key for key, count in self.items() for _ in range(max(int(count), 0))]

    def update(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        for source in (*args, kwargs):
            pairs = source.items() if isinstance(source, dict) else ((item, 1) for item in source)
            for key, count in pairs:
                self[key] = self[key] + count

    def subtract(self, *args: Any, **kwargs: Any) -> None:
        for source in (*args, kwargs):
            pairs = source.items() if isinstance(source, dict) else ((item, 1) for item in source)
            for key, count in pairs:
                self[key] = self[key] - count

    # multiset arithmetic, as collections.Counter defines it (only positive counts are kept)
    def _combine(self, other: Any, op: str) -> Any:
        if not isinstance(other, Counter):
            return NotImplemented
        result = getattr(python_collections.Counter(self), op)(python_collections.Counter(other))
        return Counter(result)

    def __add__(self, other: Any) -> Any:
        return self._combine(other, "__add__")

    def __sub__(self, other: Any) -> Any:
        return self._combine(other, "__sub__")

    def __or__(self, other: Any) -> Any:  # type: ignore[override]
        return self._combine(other, "__or__")

    def __and__(self, other: Any) -> Any:
        return self._combine(other, "__and__")


class Deque(list):  # type: ignore[type-arg]
    """`deque(iterable, maxlen)`: a list with the deque methods registries use."""

    sf_attributes = frozenset(["appendleft", "extendleft", "popleft", "rotate", "maxlen", "append"])

    def __init__(self, items: Any = (), maxlen: int | None = None) -> None:
        super().__init__(items)
        self.maxlen = maxlen
        self._trim(left=True)

    def __repr__(self) -> str:
        return repr(python_collections.deque(self, self.maxlen))

    def _trim(self, left: bool) -> None:
        while self.maxlen is not None and len(self) > self.maxlen:
            del self[0 if left else -1]

    def append(self, item: Any) -> None:
        super().append(item)
        self._trim(left=True)

    def appendleft(self, item: Any) -> None:
        self.insert(0, item)
        self._trim(left=False)

    def extendleft(self, items: Any) -> None:
        for item in items:
            self.appendleft(item)

    def popleft(self) -> Any:
        if not self:
            raise IndexError("pop from an empty deque")
        return self.pop(0)

    def rotate(self, n: int = 1) -> None:
        if self:
            n %= len(self)
            self[:] = self[-n:] + self[:-n]


class OrderedDict(dict):  # type: ignore[type-arg]
    """`OrderedDict`: dicts keep insertion order; this adds what only OrderedDict has."""

    sf_attributes = frozenset(["move_to_end", "popitem"])

    def __repr__(self) -> str:
        return repr(python_collections.OrderedDict(self))

    def move_to_end(self, key: Any, last: bool = True) -> None:
        value = self.pop(key)
        if last:
            self[key] = value
        else:
            items = list(self.items())
            self.clear()
            self[key] = value
            self.update(items)

    def popitem(self, last: bool = True) -> tuple[Any, Any]:  # type: ignore[override]
        if not self:
            raise KeyError("dictionary is empty")
        key = next(reversed(self)) if last else next(iter(self))
        return key, self.pop(key)


def _items(interp: Any, value: Any, site: Location) -> Any:
    if isinstance(value, dict):
        return list(value.items())
    return list(interp.iterate(value, site))


def _defaultdict(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    factory = args[0] if args else kwargs.pop("default_factory", None)
    result = DefaultDict(interp, factory)
    if len(args) > 1:
        result.update(_items(interp, args[1], site))
    result.update(kwargs)
    return result


def _counter(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    result = Counter()
    if args:
        source = args[0]
        if isinstance(source, Unknown):
            return Unknown(f"Counter() of an unknown value ({source.reason})", site)
        result.update(source if isinstance(source, dict) else list(interp.iterate(source, site)))
    result.update(kwargs)
    return result


def _deque(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    items = list(interp.iterate(args[0], site)) if args else []
    maxlen = args[1] if len(args) > 1 else kwargs.get("maxlen")
    return Deque(items, maxlen)


def _ordered_dict(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    result = OrderedDict()
    if args:
        if isinstance(args[0], Unknown):
            return Unknown(f"OrderedDict() of an unknown value ({args[0].reason})", site)
        result.update(_items(interp, args[0], site))
    result.update(kwargs)
    return result


def _namedtuple(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    name = args[0] if args else kwargs["typename"]
    fields = args[1] if len(args) > 1 else kwargs["field_names"]
    if isinstance(fields, str):
        fields = fields.replace(",", " ").split()
    fields = list(interp.iterate(fields, site))
    defaults = list(interp.iterate(kwargs.get("defaults") or (), site))
    return namedtuple_class(interp, str(name), [str(f) for f in fields], defaults, site)


def collections_module(interp: Any) -> Namespace:
    return Namespace(
        "collections",
        {
            "OrderedDict": BuiltinType("OrderedDict", OrderedDict, _ordered_dict),
            "defaultdict": BuiltinType("defaultdict", DefaultDict, _defaultdict),
            "Counter": BuiltinType("Counter", Counter, _counter),
            "deque": BuiltinType("deque", Deque, _deque),
            "namedtuple": NativeFunction("collections.namedtuple", _namedtuple),
            "abc": interp.import_module("collections.abc", interp.current),
        },
    )


def collections_abc_module(interp: Any) -> Namespace:
    return Namespace("collections.abc", {}, resolve=lambda name: abstract_type("collections.abc", name))
