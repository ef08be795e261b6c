"""`enum`: class attributes become members with `.name` and `.value`; iteration, lookup by
value (`Color(1)`) and by name (`Color["RED"]`), `auto()`, `Flag` membership."""

from __future__ import annotations

from typing import Any

from staticflops.interpreter.stdlib._support import Args, Kwargs, identity_decorator
from staticflops.interpreter.values import (
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


def enum_module(interp: Any) -> Namespace:
    base = ClassObject("Enum", (interp.builtins["object"],), {}, qualname="enum.Enum")

    def created(interp: Any, cls: ClassObject, site: Location) -> None:
        members: list[Instance] = []
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
            member = Instance(cls, {"name": name, "value": value, "_name_": name, "_value_": value})
            cls.namespace[name] = member
            members.append(member)
        cls.namespace["__sf_members__"] = members

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
        """Members of IntEnum/StrEnum compare equal to their values; others only to themselves."""
        left, right = args
        if isinstance(right, Instance):
            return left is right
        mixed = any(k.name in ("IntEnum", "StrEnum", "IntFlag") for k in left.cls.mro)
        return mixed and left.attrs["value"] == right

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
    meta = ClassObject("EnumMeta", (interp.builtins["object"],), {}, qualname="enum.EnumMeta")
    kinds = {
        name: ClassObject(name, (base,), {}, qualname=f"enum.{name}")
        for name in ("IntEnum", "StrEnum", "Flag", "IntFlag")
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
