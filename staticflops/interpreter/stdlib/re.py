"""`re`: Python's own regular expressions on constant strings (model registries parse block
strings such as `"ir_r2_k3_s2_e6_c24"`). Patterns and matches are wrapped so that only their
pure methods are reachable, and a pattern that could backtrack catastrophically (a quantified
group that itself holds a quantifier) or a long subject is not evaluated: analysis must end."""

from __future__ import annotations

import re
from typing import Any

from staticflops.interpreter.stdlib._support import Args, Kwargs, is_plain
from staticflops.interpreter.values import Namespace, NativeFunction, NativeValue, Unknown
from staticflops.source import Location

MAX_SUBJECT = 10_000
NESTED_QUANTIFIER = re.compile(r"\((?:[^()\\]|\\.)*[*+}](?:[^()\\]|\\.)*\)[*+{]")
FUNCTIONS = ("match", "fullmatch", "search", "findall", "split", "sub", "subn", "escape", "compile", "finditer")
PATTERN_METHODS = ("match", "fullmatch", "search", "findall", "split", "sub", "subn", "finditer")
MATCH_METHODS = ("group", "groups", "groupdict", "start", "end", "span")
FLAGS = ("IGNORECASE", "I", "MULTILINE", "M", "DOTALL", "S", "VERBOSE", "X", "ASCII", "A", "UNICODE", "U")


def _refusal(values: list[Any]) -> str | None:
    for value in values:
        if isinstance(value, Unknown):
            return f"an argument is unknown ({value.reason})"
        if isinstance(value, (Pattern, Match, _Replacer)):
            continue
        if not is_plain(value):
            return "an argument is not a constant string"
        if isinstance(value, str) and len(value) > MAX_SUBJECT:
            return f"a string longer than {MAX_SUBJECT} characters"
    return None


def _unwrap(value: Any) -> Any:
    return value.value if isinstance(value, (Pattern, Match)) else value


def _wrap(value: Any) -> Any:
    if isinstance(value, re.Pattern):
        return Pattern(value)
    if isinstance(value, re.Match):
        return Match(value)
    if isinstance(value, list) and any(isinstance(v, re.Match) for v in value):
        return [_wrap(v) for v in value]
    return value


def _call(name: str, function: Any, bound_pattern: str | None = None) -> NativeFunction:
    """`function` on unwrapped constant arguments; the pattern is the first argument unless bound."""

    def impl(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        args, kwargs = list(args), dict(kwargs)
        replacement = _replacement_index(name, bound_pattern, args, kwargs)
        if replacement is not None:
            args, kwargs = _with_replacement(interp, args, kwargs, replacement, site)
        refusal = _refusal([*args, *kwargs.values()])
        pattern = bound_pattern if bound_pattern is not None else (args[0] if args else kwargs.get("pattern"))
        if refusal is None and isinstance(pattern, str) and NESTED_QUANTIFIER.search(pattern):
            refusal = "the pattern could backtrack catastrophically"
        if refusal is not None:
            return Unknown(f"re.{name}() not evaluated: {refusal}", site)
        if any(not isinstance(_unwrap(a), (str, int, bytes, re.Pattern, type(None), _Replacer)) for a in args):
            return Unknown(f"re.{name}() of a value that is not constant", site)
        try:
            result = function(*[_unwrap(a) for a in args], **{k: _unwrap(v) for k, v in kwargs.items()})
        except _UnknownReplacement as unknown:
            return unknown.value
        except (re.error, TypeError, ValueError, IndexError) as exc:
            interp.raise_error("ValueError" if isinstance(exc, re.error) else type(exc).__name__, str(exc), site)
        if name == "finditer":
            result = list(result)
        return _wrap(result)

    return NativeFunction(f"re.{name}", impl)


def _replacement_index(name: str, bound_pattern: str | None, args: Args, kwargs: Kwargs) -> int | str | None:
    """Where the `repl` argument of `sub`/`subn` is (a position, or "repl"), when there is one."""
    if name not in ("sub", "subn"):
        return None
    position = 0 if bound_pattern is not None else 1
    if len(args) > position:
        return position
    return "repl" if "repl" in kwargs else None


class _UnknownReplacement(Exception):
    """A replacement function returned an unknown value: the substitution's result is unknown."""

    def __init__(self, value: Unknown) -> None:
        super().__init__(value.reason)
        self.value = value


class _Replacer:
    """An analyzed replacement function, as `re.sub` calls it: with each match, through the interpreter."""

    def __init__(self, interp: Any, function: Any, site: Location) -> None:
        self.interp, self.function, self.site = interp, function, site

    def __call__(self, match: re.Match[Any]) -> Any:
        result = self.interp.call(self.function, [Match(match)], {}, self.site)
        if isinstance(result, Unknown):
            raise _UnknownReplacement(result)
        if not isinstance(result, (str, bytes)):
            raise TypeError(f"expected str instance, {type(result).__name__} found")
        return result


def _with_replacement(interp: Any, args: Args, kwargs: Kwargs, where: int | str, site: Location) -> tuple[Args, Kwargs]:
    value = args[where] if isinstance(where, int) else kwargs[where]
    if isinstance(value, (str, bytes, Unknown)):
        return args, kwargs
    replacer = _Replacer(interp, value, site)
    if isinstance(where, int):
        args[where] = replacer
    else:
        kwargs[where] = replacer
    return args, kwargs


class Pattern(NativeValue):
    def __init__(self, value: re.Pattern[Any]) -> None:
        self.value = value

    def sf_getattr(self, interp: Any, name: str, site: Location) -> Any:
        if name in PATTERN_METHODS:
            return _call(name, getattr(self.value, name), str(self.value.pattern))
        if name in ("pattern", "flags", "groups", "groupindex"):
            return getattr(self.value, name) if name != "groupindex" else dict(self.value.groupindex)
        raise NotImplementedError


class Match(NativeValue):
    def __init__(self, value: re.Match[Any]) -> None:
        self.value = value

    def sf_getattr(self, interp: Any, name: str, site: Location) -> Any:
        if name in MATCH_METHODS:
            return _call(name, getattr(self.value, name), "")
        if name in ("string", "pos", "endpos", "lastindex", "lastgroup"):
            return getattr(self.value, name)
        raise NotImplementedError

    def sf_getitem(self, interp: Any, index: Any, site: Location) -> Any:
        return self.value[index]


def re_module(interp: Any) -> Namespace:
    attrs: dict[str, Any] = {name: _call(name, getattr(re, name)) for name in FUNCTIONS}
    attrs.update({name: int(getattr(re, name)) for name in FLAGS})
    attrs["error"] = interp.builtins["ValueError"]
    return Namespace("re", attrs)
