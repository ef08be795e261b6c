"""`enum`: class attributes become members with `.name` and `.value`; iteration, lookup by
value (`Color(1)`) and by name (`Color["RED"]`), `auto()`, `Flag` membership."""

from __future__ import annotations

import ast
import sys
from typing import Any

from staticflops.interpreter.stdlib._support import Args, Kwargs, identity_decorator
from staticflops.interpreter.stdlib.operator import BINARY, COMPARE
from staticflops.interpreter.text import to_format, to_repr, to_str
from staticflops.interpreter.values import (
    REQUIRED,
    ClassMethod,
    ClassObject,
    Function,
    Instance,
    Namespace,
    NativeFunction,
    Property,
    StaticMethod,
)
from staticflops.source import Location


class Auto:
    """`enum.auto()` before the class is created: numbered in definition order then."""


def data_type(cls: ClassObject) -> type | None:
    """The data type an enum's members are also instances of (`IntEnum`: int, `class Mode(str,
    Enum)`: str), whose operators they then take part in; None for a plain `Enum`."""
    for klass in cls.mro:
        bases = klass.metadata.get("builtin_bases", ())
        if bases:
            return bases[0]
    return None


def _value(operand: Any) -> Any:
    """A data enum member stands for its value in arithmetic and ordering."""
    if isinstance(operand, Instance) and data_type(operand.cls) is not None and "value" in operand.attrs:
        return operand.attrs["value"]
    return operand


def _binary(op: Any, reflected: bool) -> NativeFunction:
    def impl(i: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        left, right = _value(args[0]), _value(args[1])
        return i.binary(op, right, left, site) if reflected else i.binary(op, left, right, site)

    return NativeFunction("Enum.<operator>", impl)


def _ordering(op: Any) -> NativeFunction:
    return NativeFunction("Enum.<comparison>", lambda i, a, k, s: i.compare(op, _value(a[0]), _value(a[1]), s))


def _data_methods() -> dict[str, Any]:
    methods: dict[str, Any] = {}
    for name, op in BINARY.items():
        methods[f"__{name.rstrip('_')}__"] = _binary(op, reflected=False)
        methods[f"__r{name.rstrip('_')}__"] = _binary(op, reflected=True)
    for name, op in COMPARE.items():
        if name not in ("eq", "ne"):
            methods[f"__{name}__"] = _ordering(op)
    for name, op in (("neg", ast.USub), ("pos", ast.UAdd), ("invert", ast.Invert)):
        methods[f"__{name}__"] = NativeFunction("Enum.<unary>", lambda i, a, k, s, op=op: i.unary(op, _value(a[0]), s))
    for name, pytype in (("__int__", int), ("__index__", int), ("__float__", float)):
        methods[name] = NativeFunction(
            f"Enum.{name}", lambda i, a, k, s, t=pytype: i.builtins[t.__name__].constructor(i, [_value(a[0])], {}, s)
        )
    methods["__hash__"] = NativeFunction(
        "Enum.__hash__", lambda i, a, k, s: i.builtins["hash"].impl(i, [_value(a[0])], {}, s)
    )
    # the rest of the data type's methods act on the value: `Mode.BILINEAR.upper()`, `.strip()`, `.bit_length()`
    methods["__getattr__"] = NativeFunction(
        "Enum.__getattr__", lambda i, a, k, s: i.get_attribute(_value(a[0]), a[1], s)
    )
    return methods


DATA_METHODS = _data_methods()
"""What members of a data enum add to their class: the data type's operators on their values."""


def enum_module(interp: Any) -> Namespace:
    base = ClassObject("Enum", (interp.builtins["object"],), {}, qualname="enum.Enum")

    def created(interp: Any, cls: ClassObject, site: Location) -> None:
        members: list[Instance] = []
        by_name: dict[str, Instance] = {}
        number = 0
        for name, value in list(cls.namespace.items()):
            if name.startswith("_") or isinstance(
                value, (Function, NativeFunction, ClassObject, ClassMethod, StaticMethod, Property)
            ):
                continue
            if isinstance(value, Auto):
                value = name.lower() if any(k.name == "StrEnum" for k in cls.mro) else number + 1
            if isinstance(value, int):
                number = value
            alias = next(
                (m for m in members if type(m.attrs["value"]) is type(value) and m.attrs["value"] == value), None
            )
            member = alias or Instance(cls, {"name": name, "value": value, "_name_": name, "_value_": value})
            cls.namespace[name] = by_name[name] = member
            if alias is None:  # a second name for a value is an alias of the first member
                members.append(member)
        cls.namespace["__sf_members__"] = members
        cls.namespace["__members__"] = by_name
        if data_type(cls) is not None:
            cls.namespace.update({k: v for k, v in DATA_METHODS.items() if k not in cls.namespace})

    def construct(interp: Any, cls: ClassObject, args: Args, kwargs: Kwargs, site: Location) -> Any:
        """`Color(1)` finds the member whose value is 1 (enum classes are not instantiated)."""
        for member in cls.lookup("__sf_members__") or []:
            if args and (member.attrs["value"] == args[0] or member is args[0]):
                return member
        interp.raise_error("ValueError", f"{args[0] if args else None!r} is not a valid {cls.name}", site)

    def iterate(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        return list(args[0].lookup("__sf_members__"))

    def by_name(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        for member in args[0].lookup("__sf_members__") or []:
            if member.attrs["name"] == args[1]:
                return member
        interp.raise_error("KeyError", repr(args[1]), site)

    def compare(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        """Members of IntEnum/StrEnum (and `class Mode(str, Enum)`) compare equal to their values;
        others only to themselves."""
        left, right = args
        if isinstance(right, Instance) and right.cls.lookup("__sf_members__") is not REQUIRED:
            if left is right or data_type(left.cls) is None or data_type(right.cls) is None:
                return left is right
            return left.attrs["value"] == right.attrs["value"]
        return data_type(left.cls) is not None and interp.compare(ast.Eq, left.attrs["value"], right, site)

    def show(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        member = args[0]
        return f"<{member.cls.name}.{member.attrs['name']}: {to_repr(interp, member.attrs['value'], site)}>"

    def text(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        member = args[0]
        if any(k.name in ("IntEnum", "StrEnum", "IntFlag") for k in member.cls.mro):
            return to_str(interp, member.attrs["value"], site)  # their str() is the value's
        return f"{member.cls.name}.{member.attrs['name']}"

    def formatted(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        member, spec = args
        if data_type(member.cls) is not None and (
            sys.version_info < (3, 12) or any(k.name in ("IntEnum", "StrEnum", "IntFlag") for k in member.cls.mro)
        ):
            return to_format(interp, member.attrs["value"], spec, site)  # a mixed-in type formats its value
        return to_format(interp, text(interp, [member], {}, site), spec, site)

    base.metadata["__sf_class_created__"] = created
    base.namespace["__sf_construct__"] = NativeFunction("Enum.__call__", construct)
    # class-level protocols (in Python they live on the metaclass): bound to the enum class
    base.namespace["__class_getitem__"] = ClassMethod(NativeFunction("Enum.__getitem__", by_name))
    base.namespace["__iter__"] = ClassMethod(NativeFunction("Enum.__iter__", iterate))
    base.namespace["__len__"] = ClassMethod(
        NativeFunction("Enum.__len__", lambda i, a, k, s: len(a[0].lookup("__sf_members__")))
    )
    base.namespace["__eq__"] = NativeFunction("Enum.__eq__", compare)
    base.namespace["__hash__"] = NativeFunction("Enum.__hash__", lambda i, a, k, s: hash(a[0].attrs["name"]))
    base.namespace["__repr__"] = NativeFunction("Enum.__repr__", show)
    base.namespace["__str__"] = NativeFunction("Enum.__str__", text)
    base.namespace["__format__"] = NativeFunction("Enum.__format__", formatted)
    # every enum class is an instance of its metaclass: `isinstance(Mode, enum.EnumMeta)`
    meta = ClassObject(
        "EnumMeta",
        (interp.builtins["object"],),
        {},
        qualname="enum.EnumMeta",
        metadata={"instancecheck": lambda value: isinstance(value, ClassObject) and value.is_subclass(base)},
    )
    kinds = {
        name: ClassObject(name, (base,), {}, qualname=f"enum.{name}", metadata=metadata)
        for name, metadata in (
            ("IntEnum", {"builtin_bases": (int,)}),
            ("StrEnum", {"builtin_bases": (str,)}),
            ("Flag", {}),
            ("IntFlag", {"builtin_bases": (int,)}),
        )
    }
    return Namespace(
        "enum",
        {
            "Enum": base,
            **kinds,
            "EnumMeta": meta,
            "EnumType": meta,
            "auto": NativeFunction("enum.auto", lambda i, a, k, s: Auto()),
            "unique": identity_decorator("enum.unique"),
        },
    )
