"""`str()`, `repr()` and `format()` of abstract values, as Python computes them.

Model code builds layer names, registry keys and config strings from objects: `f"{block}"`,
`"%s" % cfg`, `"{o.dim}".format(o=cfg)`, `repr(dataclass_instance)`. Python's own formatting
code does the work on plain data; an analyzed object inside it is handed over as a `Shown`
proxy whose `__str__`, `__repr__`, `__format__`, attribute and item reads call back into the
interpreter, so that the analyzed class's own `__repr__` runs, never a Python default that
would print `<Instance ...>`.
"""

from __future__ import annotations

from typing import Any

from staticflops.interpreter.values import (
    REQUIRED,
    BoundMethod,
    BuiltinType,
    ClassObject,
    Function,
    Instance,
    Namespace,
    NativeFunction,
    NativeValue,
    Unknown,
)
from staticflops.source import Location

_SCALARS = (int, float, complex, str, bytes, bool, type(None), range, slice, type(...))


def _own_method(interp: Any, obj: Instance, name: str) -> Any:
    """The class's `name` unless it is `object`'s, which has nothing to say about text."""
    method = obj.cls.lookup(name)
    if method is REQUIRED or method is interp.builtins["object"].namespace.get(name):
        return REQUIRED
    return method


def _call_text(interp: Any, method: Any, obj: Any, args: list[Any], site: Location, what: str) -> str:
    result = interp.call(interp._bind(method, obj), args, {}, site)
    if isinstance(result, Unknown):
        raise _UnknownText(result)
    if not isinstance(result, str):
        interp.raise_error("TypeError", f"{what} returned non-string (type {type(result).__name__})", site)
    return result


class _UnknownText(Exception):
    """A `__str__`/`__repr__` whose result is unknown, unwinding out of Python's formatting code."""

    def __init__(self, value: Unknown) -> None:
        super().__init__(value.reason)
        self.value = value


def _exception_text(interp: Any, obj: Instance, site: Location | None) -> str:
    """`str(exc)`: empty without arguments, the one argument's text, else the arguments' tuple."""
    if isinstance(obj.attrs.get("__sf_text__"), str):
        return obj.attrs["__sf_text__"]
    args = obj.attrs.get("args", ())
    if not isinstance(args, tuple) or not args:
        return ""
    if len(args) == 1 and obj.cls.is_subclass(interp.builtins["KeyError"]):
        return repr(shown_value(interp, args[0], site))  # KeyError('k') reads 'k', quoted
    return str(shown_value(interp, args[0] if len(args) == 1 else args, site))


def _is_exception(interp: Any, cls: ClassObject) -> bool:
    return cls.is_subclass(interp.builtins["BaseException"])


def _default_repr(value: Any) -> str:
    if isinstance(value, Instance):
        module = value.cls.namespace.get("__module__", "builtins")
        return f"<{module}.{value.cls.qualname} object>"
    if isinstance(value, ClassObject):
        module = value.namespace.get("__module__")
        return f"<class '{module}.{value.qualname}'>" if module else f"<class '{value.qualname}'>"
    if isinstance(value, BuiltinType):
        return f"<class '{value.name}'>"
    if isinstance(value, Function):
        return f"<function {value.qualname}>"
    if isinstance(value, BoundMethod):
        return f"<bound method {getattr(value.function, 'qualname', getattr(value.function, 'name', '?'))}>"
    if isinstance(value, NativeFunction):
        return f"<built-in function {value.name}>"
    if isinstance(value, Namespace):
        return f"<module '{value.name}'>"
    return repr(value)


def to_repr(interp: Any, value: Any, site: Location) -> Any:
    """`repr(value)`; `Unknown` when a `__repr__` it runs has an unknown result."""
    interp.budget.charge("repr", [value])
    try:
        return repr(shown_value(interp, value, site))
    except _UnknownText as unknown:
        return unknown.value
    except ValueError as exc:  # an integer past Python's digit limit
        interp.raise_error("ValueError", str(exc), site)


def to_str(interp: Any, value: Any, site: Location) -> Any:
    """`str(value)`; `Unknown` when a `__str__` it runs has an unknown result."""
    if isinstance(value, str):
        return value
    interp.budget.charge("str", [value])
    try:
        return str(shown_value(interp, value, site))
    except _UnknownText as unknown:
        return unknown.value
    except ValueError as exc:
        interp.raise_error("ValueError", str(exc), site)


def to_format(interp: Any, value: Any, spec: str, site: Location) -> Any:
    """`format(value, spec)`; Python's errors become the analyzed program's."""
    interp.budget.charge("format", [value, spec])
    try:
        return format(shown_value(interp, value, site), spec)
    except _UnknownText as unknown:
        return unknown.value
    except (ValueError, TypeError) as exc:
        interp.raise_error(type(exc).__name__, str(exc), site)


def shown_value(interp: Any, value: Any, site: Location | None, depth: int = 0) -> Any:
    """`value` with every analyzed object in it (containers walked) replaced by a `Shown` proxy,
    ready for Python's own `str`, `repr`, `format`, `%` and `str.format`."""
    if isinstance(value, _SCALARS) or depth > 20:
        return value
    if type(value) in (list, tuple, set, frozenset):
        items = [shown_value(interp, item, site, depth + 1) for item in value]
        if all(a is b for a, b in zip(items, value, strict=False)):
            return value
        return type(value)(items)
    if type(value) is dict:
        pairs = [
            (shown_value(interp, k, site, depth + 1), shown_value(interp, v, site, depth + 1)) for k, v in value.items()
        ]
        if all(k is k0 and v is v0 for (k, v), (k0, v0) in zip(pairs, value.items(), strict=False)):
            return value
        return dict(pairs)
    if isinstance(value, (list, tuple, dict, set, frozenset)):
        return value  # the modelled collections (defaultdict, deque, ...) print themselves
    return Shown(interp, value, site)


class Shown:
    """An analyzed value inside Python's formatting machinery (see the module docstring)."""

    def __init__(self, interp: Any, value: Any, site: Location | None) -> None:
        self.interp = interp
        self.value = value
        self.site = site

    def __repr__(self) -> str:
        value, interp = self.value, self.interp
        if isinstance(value, Unknown):
            raise _UnknownText(value)
        if isinstance(value, Instance) and interp is not None:
            method = _own_method(interp, value, "__repr__")
            if method is not REQUIRED:
                return _call_text(interp, method, value, [], self.site, "__repr__")  # type: ignore[arg-type]
            if _is_exception(interp, value.cls):
                args = value.attrs.get("args", ())
                inner = (
                    ", ".join(repr(shown_value(interp, a, self.site)) for a in args) if isinstance(args, tuple) else ""
                )
                return f"{value.cls.name}({inner})"
        if isinstance(value, NativeValue):
            return repr(value)
        return _default_repr(value)

    def __str__(self) -> str:
        value, interp = self.value, self.interp
        if isinstance(value, Instance) and interp is not None:
            method = _own_method(interp, value, "__str__")
            if method is not REQUIRED:
                return _call_text(interp, method, value, [], self.site, "__str__")  # type: ignore[arg-type]
            if _is_exception(interp, value.cls) and _own_method(interp, value, "__repr__") is REQUIRED:
                return _exception_text(interp, value, self.site)
        if isinstance(value, NativeValue):
            return str(value)
        return self.__repr__()

    def __format__(self, spec: str) -> str:
        value, interp = self.value, self.interp
        if isinstance(value, Instance) and interp is not None:
            method = _own_method(interp, value, "__format__")
            if method is not REQUIRED:
                return _call_text(interp, method, value, [spec], self.site, "__format__")  # type: ignore[arg-type]
        if spec:
            raise TypeError(f"unsupported format string passed to {_kind(value)}.__format__")
        return self.__str__()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or self.interp is None:
            raise AttributeError(name)
        found = self.interp.get_attribute(self.value, name, self.site)
        if isinstance(found, Unknown):
            raise _UnknownText(found)
        return shown_value(self.interp, found, self.site)

    def __getitem__(self, key: Any) -> Any:
        found = self.interp.get_item(self.value, key, self.site)
        if isinstance(found, Unknown):
            raise _UnknownText(found)
        return shown_value(self.interp, found, self.site)


def _kind(value: Any) -> str:
    return value.cls.name if isinstance(value, Instance) else type(value).__name__


class _Priced:
    """A plain scalar inside `str.format`: Python resolves the field's spec (nested fields too,
    `"{:>{}}".format(x, width)`) and hands it to `__format__`, where it is priced before it is
    applied. Conversions, attributes and items read through it as from the value itself."""

    def __init__(self, interp: Any, value: Any) -> None:
        self.interp = interp
        self.value = value

    def __format__(self, spec: str) -> str:
        self.interp.budget.charge("format", [self.value, spec])
        return format(self.value, spec)

    def __str__(self) -> str:
        self.interp.budget.charge("str", [self.value])
        return str(self.value)

    def __repr__(self) -> str:
        self.interp.budget.charge("repr", [self.value])
        return repr(self.value)

    def __getattr__(self, name: str) -> Any:
        return _priced(self.interp, getattr(self.value, name))

    def __getitem__(self, key: Any) -> Any:
        return _priced(self.interp, self.value[key])


def _priced(interp: Any, value: Any) -> Any:
    if type(value) is dict:  # format_map's mapping
        return {key: _priced(interp, item) for key, item in value.items()}
    return _Priced(interp, value) if isinstance(value, (int, float, complex, str, bytes)) else value


def format_call(interp: Any, method: Any, args: list[Any], kwargs: dict[str, Any], site: Location) -> Any:
    """`str.format`, `str.format_map` or `str % args` run by Python over `Shown` arguments
    (for `str.format`, plain scalars `_Priced`)."""
    wrap = _priced if getattr(method, "__name__", "") in ("format", "format_map") else (lambda interp, value: value)
    try:
        return method(
            *[wrap(interp, shown_value(interp, a, site)) for a in args],
            **{k: wrap(interp, shown_value(interp, v, site)) for k, v in kwargs.items()},
        )
    except _UnknownText as unknown:
        return unknown.value
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        interp.raise_error(type(exc).__name__, str(exc), site)
