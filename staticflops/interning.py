"""One copy of each equal value a deep model's records would otherwise hold thousands of times.

The 80 blocks of a LLaMA make 80 equal copies of most of what their calls record (shapes, works, the
arguments as plain data, a module's attributes, type names, FLOPs), each made afresh at every call:
sharing them keeps the memory of a trace and of its report to what differs from call to call (paths,
indexes, data flow). Only immutable or never-mutated plain data is shared, and only between values equal
in type too (`True`, `1` and `1.0` stay apart), and never a value holding a symbolic size: it equals the
plain int it was traced at, but carries a formula (`staticflops.symbolic`) that an equal copy would lose.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from staticflops.catalog import Shape

Value = TypeVar("Value", bound=Hashable)


class Interned:
    """The table of one trace or one model's records (never global: it lives as long as they do).

    `symbolic`: whether the records may hold symbolic sizes (a trace of `--symbolic` or `scale`). Without
    them every number is plain, so a value needs no walk to prove it, and a mapping's `repr` is its key:
    a C-speed text that tells apart what equality would not (`1`, `1.0`, `True`; `-0.0`; a tuple and a
    list). With them, each value is walked, and one holding a symbolic size is kept as it is."""

    def __init__(self, symbolic: bool = True) -> None:
        self._symbolic = symbolic
        self._values: dict[Any, Any] = {}
        self._mappings: dict[Any, dict[str, Any]] = {}
        self._composites: dict[str, tuple[Any, list[Any]]] = {}
        self._fields: dict[type, tuple[str, ...]] = {}
        """The field names of each dataclass met (`dataclasses.fields` is slow to ask at every record)."""

    def value(self, value: Value) -> Value:
        """An equal value of the same type seen before, else `value` (hashable: tuples of numbers, Works)."""
        if self._symbolic and not self._plain_numbers(value):
            return value
        return self._values.setdefault((type(value), value), value)

    def _plain_numbers(self, value: Any) -> bool:
        """Whether every int inside `value` (a tuple, a dataclass such as a Work, or a leaf) is a plain int."""
        kind = type(value)
        if kind in _LEAVES:
            return True
        if isinstance(value, tuple):
            return all(type(item) in _LEAVES or self._plain_numbers(item) for item in value)
        if isinstance(value, int):
            return False  # a symbolic size
        names = self._fields.get(kind)
        if names is None:
            is_record = dataclasses.is_dataclass(value) and not isinstance(value, type)
            names = self._fields[kind] = tuple(f.name for f in dataclasses.fields(value)) if is_record else ()
        return all(self._plain_numbers(getattr(value, name)) for name in names)

    def shape(self, shape: Shape | None) -> Shape | None:
        return None if shape is None else self.value(shape)

    def shapes(self, shapes: tuple[Shape | None, ...]) -> tuple[Shape | None, ...]:
        return self.value(tuple(None if shape is None else self.value(shape) for shape in shapes))

    def mapping(self, value: dict[str, Any]) -> dict[str, Any]:
        """An equal mapping seen before, else `value`: for plain data that nothing mutates once recorded."""
        if not self._symbolic:
            return self._mappings.setdefault(repr(value), value)
        try:
            key = frozen(value)
            return self._mappings.setdefault(key, value)
        except TypeError:  # an unhashable leaf: kept as it is
            return value

    @staticmethod
    def text(value: str) -> str:
        return sys.intern(value)

    def composite(self, parts: list[Any], make: Callable[[], Value]) -> Value:
        """One object for each combination of `parts` that are themselves shared, compared by identity
        (equal shared parts are one object): a layer's `Caller`, the same at every block of a deep model.
        The parts are kept with it, so that no other object takes their identities while it lives. (A
        list and a text, not tuples: CPython keeps 2,000 freed tuples of each small size for reuse, which
        a tuple a layer would fill.)"""
        key = " ".join(map(str, map(id, parts)))
        found = self._composites.get(key)
        if found is None:
            found = self._composites[key] = (make(), parts)
        return found[0]


_LEAVES = frozenset((int, bool, float, str, type(None)))
"""Types whose values hold no symbolic size."""


def frozen(value: Any) -> Any:
    """A hashable key equal only for equal plain data of the same types."""
    if isinstance(value, dict):
        return ("dict", tuple((k, frozen(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(frozen(v) for v in value))
    if isinstance(value, (float, complex)):
        return (type(value).__name__, repr(value))  # -0.0 == 0.0, nan != nan
    if isinstance(value, int) and type(value) not in (int, bool):
        raise TypeError("a symbolic size is not shared")  # `mapping` keeps it as it is
    return (type(value).__name__, value)
