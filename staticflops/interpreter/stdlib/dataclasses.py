"""`dataclasses`: the generated `__init__` (defaults, factories, `init=False`, keyword-only
fields, `__post_init__`), `__dataclass_fields__`, `fields`, `asdict`, `astuple`, `replace`
and `is_dataclass`, over the interpreter's classes."""

from __future__ import annotations

import ast
from typing import Any

from staticflops.interpreter.calls import BindError, bind_arguments
from staticflops.interpreter.errors import AnalyzedException
from staticflops.interpreter.stdlib._support import Args, Kwargs
from staticflops.interpreter.stdlib.copy import copy_value
from staticflops.interpreter.text import to_repr
from staticflops.interpreter.values import (
    REQUIRED,
    BoundMethod,
    ClassObject,
    Instance,
    Namespace,
    NativeFunction,
    NativeValue,
    Param,
    ParamKind,
    Unknown,
)
from staticflops.source import Location


class _MissingType:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _MissingType()


class FieldDefault(NativeValue):
    """`dataclasses.field(...)` in a class body, until the decorator turns it into a `Field`."""

    def __init__(self, default: Any, factory: Any, init: bool, kw_only: Any, options: dict[str, Any]) -> None:
        self.default = default
        self.factory = factory
        self.init = init
        self.kw_only = kw_only
        self.options = options
        """`repr`, `compare`, `hash` and `metadata`, as `Field` attributes."""


def _field(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    return FieldDefault(
        kwargs.get("default", MISSING),
        kwargs.get("default_factory", MISSING),
        kwargs.get("init", True) is not False,
        kwargs.get("kw_only", MISSING),
        {
            "repr": kwargs.get("repr", True) is not False,
            "compare": kwargs.get("compare", True) is not False,
            "hash": kwargs.get("hash"),
            "metadata": dict(kwargs.get("metadata") or {}),
        },
    )


def _field_class(interp: Any) -> ClassObject:
    field_class = interp.hooks.get("stdlib.dataclass_field")
    if field_class is None:
        field_class = ClassObject("Field", (interp.builtins["object"],), {}, qualname="dataclasses.Field")
        interp.hooks["stdlib.dataclass_field"] = field_class
    return field_class


def _own_fields(interp: Any, cls: ClassObject, kw_only_default: bool) -> dict[str, Instance]:
    """The `Field`s a class body declares, in order; class attributes become the defaults."""
    fields: dict[str, Instance] = {}
    kw_only = kw_only_default
    for name, marker in cls.namespace.get("__annotations__", {}).items():
        if marker == "ClassVar":
            continue
        if marker == "KW_ONLY":
            kw_only = True
            continue
        value = cls.namespace.get(name, MISSING)
        default, factory, init, field_kw_only = value, MISSING, True, MISSING
        options = {"repr": True, "compare": True, "hash": None, "metadata": {}}
        if isinstance(value, FieldDefault):
            default, factory, init, field_kw_only = value.default, value.factory, value.init, value.kw_only
            options = value.options
            if default is MISSING:
                cls.namespace.pop(name, None)
            else:
                cls.namespace[name] = default
        fields[name] = Instance(
            _field_class(interp),
            {
                "name": name,
                "type": None,
                "default": default,
                "default_factory": factory,
                "init": init,
                "kw_only": kw_only if field_kw_only is MISSING else bool(field_kw_only),
                **options,
                INIT_VAR: marker == "InitVar",
            },
        )
    return fields


INIT_VAR = "__sf_init_var__"
"""Marks the pseudo-fields of `InitVar` annotations: `__init__` parameters passed on to
`__post_init__`, not fields (`fields()`, `asdict()` and `__eq__` never see them)."""


def dataclass_fields(cls: ClassObject, init_vars: bool = False) -> dict[str, Instance]:
    """All fields of a dataclass, the bases' first (as `dataclasses.fields` orders them)."""
    fields: dict[str, Instance] = {}
    for klass in reversed(cls.mro):
        own = klass.namespace.get("__sf_own_fields__")
        if own is not None:
            fields.update(own)
    return {name: f for name, f in fields.items() if init_vars or not f.attrs.get(INIT_VAR)}


OPTIONS = {"init": True, "repr": True, "eq": True, "order": False, "frozen": False, "unsafe_hash": False}
"""`@dataclass(...)` options and their defaults; a class keeps its own in `metadata["dataclass"]`."""


def make_dataclass(interp: Any, cls: ClassObject, kw_only: bool = False, **given: Any) -> ClassObject:
    options = {**OPTIONS, **cls.metadata.get("dataclass", {}), **given}
    cls.metadata["dataclass"] = options
    cls.namespace["__sf_own_fields__"] = _own_fields(interp, cls, kw_only)
    fields = dataclass_fields(cls)
    every = dataclass_fields(cls, init_vars=True)
    cls.namespace["__dataclass_fields__"] = dict(fields)
    cls.namespace["__sf_fields__"] = tuple(fields)
    cls.namespace["__match_args__"] = tuple(name for name, f in fields.items() if f.attrs["init"])
    _add_methods(interp, cls, fields, options)
    if not options["init"] or (
        "__init__" in cls.namespace and not isinstance(cls.namespace["__init__"], NativeFunction)
    ):
        return cls  # a class that writes its own __init__ keeps it
    positional = [f for f in every.values() if f.attrs["init"] and not f.attrs["kw_only"]]
    keyword = [f for f in every.values() if f.attrs["init"] and f.attrs["kw_only"]]

    def param(f: Instance, kind: ParamKind) -> Param:
        has_default = f.attrs["default"] is not MISSING or f.attrs["default_factory"] is not MISSING
        return Param(f.attrs["name"], kind, MISSING if has_default else REQUIRED)

    params = (
        Param("self", ParamKind.POSITIONAL_ONLY),
        *(param(f, ParamKind.POSITIONAL_OR_KEYWORD) for f in positional),
        *(param(f, ParamKind.KEYWORD_ONLY) for f in keyword),
    )

    def init(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> None:
        try:
            bound = bind_arguments(cls.name, params, args, kwargs)
        except BindError as exc:
            interp.raise_error("TypeError", str(exc), site)
        obj = bound.pop("self")
        init_vars = []
        for name, f in every.items():
            value = bound.get(name, MISSING)
            if value is MISSING:
                if f.attrs["default_factory"] is not MISSING:
                    value = interp.call(f.attrs["default_factory"], [], {}, site)
                elif f.attrs["default"] is not MISSING:
                    value = f.attrs["default"]
                else:
                    continue
            if f.attrs.get(INIT_VAR):
                init_vars.append(value)
            else:
                obj.attrs[name] = value
        post = obj.cls.lookup("__post_init__")
        if post is not REQUIRED:
            interp.call(BoundMethod(post, obj), init_vars, {}, site)

    cls.namespace["__init__"] = NativeFunction(f"{cls.name}.__init__", init)
    return cls


def _add_methods(interp: Any, cls: ClassObject, fields: dict[str, Instance], options: dict[str, Any]) -> None:
    """`__repr__`, `__eq__`, the orderings, `__setattr__`/`__delattr__` of a frozen class and `__hash__`,
    as `@dataclass` generates them; a method the class body writes itself is kept."""
    compared = [name for name, f in fields.items() if f.attrs.get("compare", True)]

    def key(obj: Any) -> tuple[Any, ...]:
        return tuple(obj.attrs.get(name) for name in compared)

    def generate(name: str, impl: Any) -> None:
        if name not in cls.namespace or isinstance(cls.namespace[name], NativeFunction):
            cls.namespace[name] = NativeFunction(f"{cls.name}.{name}", impl)

    if options["repr"]:
        shown = [name for name, f in fields.items() if f.attrs.get("repr", True)]

        def show(i: Any, a: Args, k: Kwargs, s: Location) -> Any:
            parts = [f"{name}={to_repr(i, a[0].attrs.get(name), s)}" for name in shown if name in a[0].attrs]
            return f"{a[0].cls.qualname}({', '.join(parts)})"

        generate("__repr__", show)
    if options["eq"]:

        def equal(i: Any, a: Args, k: Kwargs, s: Location) -> Any:
            left, right = a
            if not isinstance(right, Instance) or right.cls is not left.cls:
                return NotImplemented
            return i.compare(ast.Eq, key(left), key(right), s)

        generate("__eq__", equal)
    if options["order"]:
        for name, op in ORDERINGS.items():

            def order(i: Any, a: Args, k: Kwargs, s: Location, op: Any = op) -> Any:
                left, right = a
                if not isinstance(right, Instance) or right.cls is not left.cls:
                    return NotImplemented
                return i.compare(op, key(left), key(right), s)

            generate(name, order)
    if options["frozen"]:

        def frozen(i: Any, a: Args, k: Kwargs, s: Location) -> Any:
            error, message = frozen_error(i), f"cannot assign to field '{a[1]}'"
            raise AnalyzedException(error.name, message, s, Instance(error, {"args": (message,)}))

        generate("__setattr__", frozen)
        generate("__delattr__", frozen)
    if options["unsafe_hash"] or (options["eq"] and options["frozen"]):
        generate("__hash__", lambda i, a, k, s: i.builtins["hash"].impl(i, [key(a[0])], {}, s))


ORDERINGS = {
    "__lt__": ast.Lt,
    "__le__": ast.LtE,
    "__gt__": ast.Gt,
    "__ge__": ast.GtE,
}


def frozen_error(interp: Any) -> ClassObject:
    """`dataclasses.FrozenInstanceError`, an `AttributeError`."""
    error = interp.hooks.get("stdlib.frozen_error")
    if error is None:
        error = ClassObject(
            "FrozenInstanceError",
            (interp.builtins["AttributeError"],),
            {"__module__": "dataclasses"},
            qualname="FrozenInstanceError",
        )
        interp.hooks["stdlib.frozen_error"] = error
    return error


def _dataclass(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    if args and isinstance(args[0], ClassObject):
        return make_dataclass(interp, args[0])
    kw_only = kwargs.get("kw_only") is True
    options = {name: kwargs[name] is True for name in OPTIONS if name in kwargs}
    return NativeFunction("dataclass", lambda i, a, k, s: make_dataclass(i, a[0], kw_only, **options))


def _target_class(value: Any) -> ClassObject | None:
    cls = value.cls if isinstance(value, Instance) else value
    if isinstance(cls, ClassObject) and cls.lookup("__sf_fields__") is not REQUIRED:
        return cls
    return None


def _fields(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    cls = _target_class(args[0])
    if cls is None:
        if isinstance(args[0], Unknown):
            return args[0]
        interp.raise_error("TypeError", "must be called with a dataclass type or instance", site)
    return tuple(dataclass_fields(cls).values())


def _to_data(interp: Any, value: Any, as_tuple: bool) -> Any:
    cls = _target_class(value)
    if cls is not None and isinstance(value, Instance):
        values = {name: _to_data(interp, value.attrs.get(name), as_tuple) for name in cls.lookup("__sf_fields__")}
        return tuple(values.values()) if as_tuple else values
    if isinstance(value, (list, tuple)) and type(value) in (list, tuple):
        return type(value)(_to_data(interp, item, as_tuple) for item in value)
    if isinstance(value, dict):
        return {k: _to_data(interp, v, as_tuple) for k, v in value.items()}
    return copy_value(value, deep=True)


def _asdict(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    if _target_class(args[0]) is None or not isinstance(args[0], Instance):
        interp.raise_error("TypeError", "asdict() should be called on dataclass instances", site)
    return _to_data(interp, args[0], as_tuple=False)


def _astuple(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    if _target_class(args[0]) is None or not isinstance(args[0], Instance):
        interp.raise_error("TypeError", "astuple() should be called on dataclass instances", site)
    return _to_data(interp, args[0], as_tuple=True)


def _replace(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    """A new instance built by the class's `__init__` (so `__post_init__` runs again), as Python does."""
    obj = args[0]
    cls = _target_class(obj)
    if cls is None or not isinstance(obj, Instance):
        if isinstance(obj, Unknown):
            return obj
        interp.raise_error("TypeError", "replace() should be called on dataclass instances", site)
    values = {}
    for name, f in dataclass_fields(cls).items():
        if not f.attrs["init"]:
            if name in kwargs:
                interp.raise_error("ValueError", f"field {name} is declared with init=False", site)
            continue
        if name in obj.attrs:
            values[name] = obj.attrs[name]
    values.update(kwargs)
    return interp.instantiate(obj.cls, [], values, site)


def _is_dataclass(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    return _target_class(args[0]) is not None


def dataclasses_module(interp: Any) -> Namespace:
    kw_only = interp.hooks.setdefault("stdlib.kw_only", Instance(interp.builtins["object"]))
    return Namespace(
        "dataclasses",
        {
            "dataclass": NativeFunction("dataclasses.dataclass", _dataclass),
            "field": NativeFunction("dataclasses.field", _field),
            "Field": _field_class(interp),
            "fields": NativeFunction("dataclasses.fields", _fields),
            "asdict": NativeFunction("dataclasses.asdict", _asdict),
            "astuple": NativeFunction("dataclasses.astuple", _astuple),
            "replace": NativeFunction("dataclasses.replace", _replace),
            "is_dataclass": NativeFunction("dataclasses.is_dataclass", _is_dataclass),
            "FrozenInstanceError": frozen_error(interp),
            "InitVar": ClassObject("InitVar", (), {}, qualname="dataclasses.InitVar"),
            "MISSING": MISSING,
            "KW_ONLY": kw_only,
        },
    )
