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
        if isinstance(value, (Pattern, Match)):
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
        refusal = _refusal([*args, *kwargs.values()])
        pattern = bound_pattern if bound_pattern is not None else (args[0] if args else kwargs.get("pattern"))
        if refusal is None and isinstance(pattern, str) and NESTED_QUANTIFIER.search(pattern):
            refusal = "the pattern could backtrack catastrophically"
        if refusal is not None:
            return Unknown(f"re.{name}() not evaluated: {refusal}", site)
        if any(not isinstance(_unwrap(a), (str, int, bytes, re.Pattern, type(None))) for a in args):
            return Unknown(f"re.{name}() with a replacement function is not evaluated", site)
        try:
            result = function(*[_unwrap(a) for a in args], **{k: _unwrap(v) for k, v in kwargs.items()})
        except (re.error, TypeError, ValueError, IndexError) as exc:
            interp.raise_error("ValueError" if isinstance(exc, re.error) else type(exc).__name__, str(exc), site)
        if name == "finditer":
            result = list(result)
        return _wrap(result)

    return NativeFunction(f"re.{name}", impl)


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
