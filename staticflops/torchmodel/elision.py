"""Calls that can only write tensor data are not interpreted.

Weight initialisation is a large part of what a model's constructor runs, and none of it changes a
parameter count, a shape or a FLOP: timm's `trunc_normal_` (a dozen lines of `math.erf` and in-place
tensor ops) runs once per weight (skipping it saves a fifth of the Python calls of a run over timm's
ViT file); transformers' `init.normal_` wrappers run once per weight of every model. A call is skipped when its
function provably does nothing but compute locals and write the data of tensors it is given:

* its body (nested functions included) stores only to local names: no attribute or item assignment,
  no `global`/`nonlocal`, no `yield`, `raise`, `assert`, `import` or class statement (a skipped call
  must not hide an error the real call would raise);
* every call in it is to a function that passes the same test (found through the function's
  globals, closure and arguments, as the call would find it), to a native the analyzer knows to be
  free of effects (`math`, `nn.init`, `isinstance`, a module's `named_modules()`...), or to a tensor
  method: in-place ones (`uniform_`, `mul_`: torch's trailing underscore) write only data, and
  queries (`size()`, `dim()`) write nothing;
* it returns None or one of its arguments (directly, or as the result of such a call forwarding
  it), so the skipped call's value is known.

Only outside a forward trace (an in-place op in `forward()` costs FLOPs), and never for a call given a
tensor whose values the analysis tracks (a mask's data can decide a shape later). Reading an attribute
is assumed free of effects (a property with effects inside initialisation code would be missed), and an
error the body would raise without a `raise` statement (a division by zero) is not seen.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from staticflops.interpreter.values import (
    REQUIRED,
    BoundMethod,
    BuiltinType,
    ClassObject,
    Function,
    Instance,
    LazyImport,
    Namespace,
    NativeFunction,
)
from staticflops.source import Location
from staticflops.torchmodel.state import torch_state
from staticflops.torchmodel.tensor import Tensor

NOT_ELIDED = REQUIRED
"""`Elision.result` when the call must be interpreted."""

PURE_NATIVES = frozenset((
    "isinstance", "issubclass", "hasattr", "getattr", "len", "range", "enumerate", "zip", "min", "max", "abs",
    "round", "int", "float", "bool", "str", "tuple", "list", "dict", "set", "frozenset", "repr", "format",
    "type", "callable", "id", "divmod", "pow", "print", "all", "any", "reversed", "iter", "next",
    "warnings.warn", "torch.no_grad", "torch.enable_grad", "torch.is_tensor",
    "Module.modules", "Module.named_modules", "Module.children", "Module.named_children",
    "Module.parameters", "Module.named_parameters", "Module.buffers", "Module.named_buffers",
))  # fmt: skip
"""Natives without effects that call nothing they are given (`sorted(key=...)` and `map` would)."""
PURE_PREFIXES = ("math.", "nn.init.")
PURE_SUFFIXES = (".reset_parameters", "._reset_parameters")
"""A catalog layer's own initialisers: its parameters' data only."""
RETURNS_FIRST_ARGUMENT = "nn.init."
"""`nn.init.normal_(w)` returns `w` (its two helpers that compute numbers are never forwarded)."""
TENSOR_QUERIES = frozenset((
    "size", "dim", "numel", "ndimension", "nelement", "element_size", "is_contiguous", "is_floating_point",
    "detach", "data",
))  # fmt: skip
MAX_REFUSALS = 8
"""A function whose arguments made its calls impure this many times in a row is interpreted from then on:
timm's `named_apply(fn, module)` is impure for most `fn`, and checking it at every module would cost what
interpreting it does."""
READING_METHODS = frozenset(("get", "keys", "values", "items", "copy", "index", "count"))
"""Methods of a list, dict or set that leave it as it is."""
_UNRESOLVED: Any = object()
_MISSING: Any = object()
"""An attribute its object does not have: the call would raise, unless it is never reached."""


@dataclass(frozen=True)
class _DataMethod:
    """A method of a plain Python value: pure unless it changes a mutable container."""

    pure: bool


@dataclass
class Summary:
    """What a function body does, read once from its syntax."""

    params: frozenset[str]
    locals: set[str] = field(default_factory=set)
    callees: list[ast.expr] = field(default_factory=list)
    effect: bool = False
    """A store outside the locals, a `raise`, `assert`, `yield`, `import`... anywhere in the body."""
    returns: list[ast.expr | None] = field(default_factory=list)
    """The values of the function's own `return` statements (not its nested functions')."""
    nested: set[str] = field(default_factory=set)
    static_callees: list[ast.expr] = field(default_factory=list)
    """The calls whose callee is found through the function's globals: the same at every call."""
    dynamic_callees: list[ast.expr] = field(default_factory=list)
    """The calls through an argument (`m.weight.normal_`, `fn`): decided at each call."""
    refusals: int = 0
    """Calls not skipped in a row: past `MAX_REFUSALS` the function is no longer checked."""

    def split_callees(self) -> None:
        for callee in self.callees:
            (self.dynamic_callees if _through_argument(callee, self) else self.static_callees).append(callee)


_EFFECTS = (
    ast.Global, ast.Nonlocal, ast.Yield, ast.YieldFrom, ast.Await, ast.Raise, ast.Assert, ast.Import,
    ast.ImportFrom, ast.ClassDef, ast.AsyncFunctionDef,
)  # fmt: skip


def _read(statements: list[ast.stmt], summary: Summary) -> None:
    """Fill `summary` from a body."""
    pending: list[tuple[ast.AST, int]] = [(statement, 0) for statement in statements]
    while pending:
        node, depth = pending.pop()
        if isinstance(node, _EFFECTS):
            summary.effect = True
            return
        if isinstance(node, (ast.Attribute, ast.Subscript)) and not isinstance(node.ctx, ast.Load):
            summary.effect = True  # an attribute or item stored or deleted
            return
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            summary.locals.add(node.id)
        elif isinstance(node, ast.arg):
            summary.locals.add(node.arg)
        elif isinstance(node, ast.Call):
            summary.callees.append(node.func)
        elif isinstance(node, ast.Return) and depth == 0:
            summary.returns.append(node.value)
        elif isinstance(node, ast.FunctionDef):
            summary.locals.add(node.name)
            summary.nested.add(node.name)
            summary.callees.extend(node.decorator_list)
        inner = depth + 1 if isinstance(node, (ast.FunctionDef, ast.Lambda)) else depth
        pending.extend((child, inner) for child in ast.iter_child_nodes(node))


class Elision:
    """Decides, per call, whether a function's call can be skipped, and what it returns then."""

    def __init__(self, interp: Any) -> None:
        self.interp = interp
        self._summaries: dict[ast.AST, Summary | None] = {}
        """By the function's definition (`Function.node`)."""
        self._pure: dict[Function, bool] = {}
        self._checking: set[Function] = set()
        self._forwarding: set[Function] = set()
        self._returned_names: dict[Function, Any] = {}
        self._static: dict[tuple[Function, ast.expr], Any] = {}
        """Verdicts on callees and classes found through the function's globals: the same at every call."""
        self._assumptions = 0
        """How many times a call still being checked was assumed pure (its callers' verdicts then wait)."""

    def result(self, function: Function, bound: dict[str, Any], site: Location) -> Any:
        """The skipped call's value, or `NOT_ELIDED`."""
        summary = self._summaries.get(function.node, _UNRESOLVED)
        if summary is None:  # the frequent case, decided at the function's first call
            return NOT_ELIDED
        if torch_state(self.interp).trace.active:
            return NOT_ELIDED
        if summary is _UNRESOLVED:
            summary = self._summary(function)
            if summary is None:
                return NOT_ELIDED
        returned = self._returned_names.get(function, _UNRESOLVED)
        if returned is _UNRESOLVED:
            returned = self._returned_names[function] = self._returned_name_of(function, summary, site)
            self._checking.add(function)
            try:  # what does not depend on the arguments is decided once
                static = self._pure_with(function, summary, None, site, static=True)
            finally:
                self._checking.discard(function)
            if returned is NOT_ELIDED or not static:
                self._summaries[function.node] = None
                return NOT_ELIDED
        if any(isinstance(value, Tensor) and value.values is not None for value in bound.values()):
            return NOT_ELIDED  # a constant tensor's data may decide a shape later (a mask): it must be kept
        self._checking.add(function)
        try:
            pure = self._pure_with(function, summary, bound, site, static=False)
        finally:
            self._checking.discard(function)
        if not pure:
            summary.refusals += 1
            if summary.refusals > MAX_REFUSALS:  # checking would cost more than it saves
                self._summaries[function.node] = None
            return NOT_ELIDED
        summary.refusals = 0
        if returned is None:
            return None
        return bound.get(returned, NOT_ELIDED)

    # ------------------------------------------------------------------ syntax
    def _summary(self, function: Function) -> Summary | None:
        """None when the body alone rules the function out (the frequent case: decided once)."""
        node = function.node
        if node in self._summaries:
            return self._summaries[node]
        summary = Summary(frozenset(param.name for param in function.params))
        # a lambda's value is its expression: never an argument as such; a coroutine's call runs nothing
        statements = function.source.body(node) if isinstance(node, ast.FunctionDef) else None
        if statements is None:
            summary.effect = True
        else:
            _read(statements, summary)
            summary.split_callees()
        kept = self._summaries[node] = None if summary.effect else summary
        return kept

    # ------------------------------------------------------------------ values
    def _returned_name_of(self, function: Function, summary: Summary, site: Location) -> Any:
        """What every `return` gives: None, or the parameter whose argument it is; `NOT_ELIDED` otherwise."""
        values = {self._returned_name(function, summary, value, site) for value in summary.returns}
        if not values or values == {None}:
            return None
        if len(values) != 1:
            return NOT_ELIDED
        return values.pop()

    def _returned_name(self, function: Function, summary: Summary, value: ast.expr | None, site: Location) -> Any:
        """The parameter a `return` gives back (None for `return`/`return None`)."""
        if value is None or (isinstance(value, ast.Constant) and value.value is None):
            return None
        if isinstance(value, ast.Name) and value.id in summary.params and value.id not in _rebound(summary):
            return value.id
        if isinstance(value, ast.Call) and not any(isinstance(arg, ast.Starred) for arg in value.args):
            callee = self._resolve(value.func, function, summary, None, site)
            position = None
            if isinstance(callee, NativeFunction) and callee.name.startswith(RETURNS_FIRST_ARGUMENT):
                position = 0
            elif isinstance(callee, Function) and callee not in self._forwarding:
                inner = self._summary(callee)
                if inner is not None:
                    self._forwarding.add(callee)
                    try:
                        forwarded = {self._returned_name(callee, inner, each, site) for each in inner.returns}
                    finally:
                        self._forwarding.discard(callee)
                    if len(forwarded) == 1 and isinstance(name := next(iter(forwarded)), str):
                        position = [param.name for param in callee.params].index(name)
                        for keyword in value.keywords:  # a forwarded argument given by keyword
                            if keyword.arg == name:
                                return self._returned_name(function, summary, keyword.value, site)
            if position is not None and position < len(value.args):
                return self._returned_name(function, summary, value.args[position], site)
        return NOT_ELIDED

    def _pure_with(
        self, function: Function, summary: Summary, bound: dict[str, Any] | None, site: Location,
        static: bool | None = None,
    ) -> bool:  # fmt: skip
        """No impure call in the body; `static` restricts the check to the calls found through the
        function's globals (True) or to the others (False)."""
        callees = (
            summary.callees if static is None else summary.static_callees if static else summary.dynamic_callees
        )
        return all(self._pure_callee(callee, function, summary, bound, site) for callee in callees)

    def _pure_function(self, function: Function, bound: dict[str, Any] | None, site: Location) -> bool:
        if bound is None and function in self._pure:
            return self._pure[function]
        if function in self._checking:
            self._assumptions += 1
            return True  # recursion adds no effect of its own (if the call it returns to has none)
        summary = self._summary(function)
        if summary is None:
            verdict = False
        else:
            assumptions = self._assumptions
            self._checking.add(function)
            try:
                verdict = self._pure_with(function, summary, bound, site)
            finally:
                self._checking.discard(function)
            if verdict and self._assumptions != assumptions:
                return verdict  # true only if the calls still being checked are: not kept
        if bound is None:
            self._pure[function] = verdict
        return verdict

    def _pure_callee(
        self, callee: ast.expr, function: Function, summary: Summary, bound: dict[str, Any] | None, site: Location
    ) -> bool:
        if isinstance(callee, ast.Name) and callee.id in summary.nested:
            return True  # a nested function's body is part of this one's
        static = not _through_argument(callee, summary)
        if static and (function, callee) in self._static:
            return self._static[function, callee]
        assumptions = self._assumptions
        verdict = self._pure_value(callee, function, summary, bound, site)
        if static and self._assumptions == assumptions:  # not while a call being checked was assumed pure
            self._static[function, callee] = verdict
        return verdict

    def _pure_value(
        self, callee: ast.expr, function: Function, summary: Summary, bound: dict[str, Any] | None, site: Location
    ) -> bool:
        value = self._resolve(callee, function, summary, bound, site)
        if value is _MISSING:
            return False  # the call would raise
        if value is _UNRESOLVED or isinstance(value, Tensor):
            return isinstance(callee, ast.Attribute) and _tensor_method(callee.attr)
        if isinstance(value, NativeFunction):
            return _pure_native(value.name)
        if isinstance(value, BuiltinType):
            return value.name in PURE_NATIVES
        if isinstance(value, Function):
            return self._pure_function(value, None, site)
        if isinstance(value, _DataMethod):
            return value.pure
        if isinstance(value, BoundMethod):
            method = value.function
            if isinstance(method, NativeFunction):
                return _pure_native(method.name)
            if isinstance(method, Function) and method.params:
                return self._pure_function(method, {method.params[0].name: value.self_value}, site)
        return False

    def _resolve(
        self, node: ast.expr, function: Function, summary: Summary, bound: dict[str, Any] | None, site: Location
    ) -> Any:
        """The value `node` has when the body starts, found without running code; `_UNRESOLVED` if unknown."""
        if isinstance(node, ast.Name):
            name = node.id
            if name in summary.params:
                if bound is None or name in _rebound(summary):
                    return _UNRESOLVED
                return bound.get(name, _UNRESOLVED)
            if name in summary.locals:
                return _UNRESOLVED
            value = function.scope.lookup(name)
            if isinstance(value, LazyImport):
                value = self.interp.resolve_lazy(value)
            if value is REQUIRED:
                value = self.interp.builtins.get(name, REQUIRED)
            return _UNRESOLVED if value is REQUIRED else value
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.Attribute):
            owner = self._resolve(node.value, function, summary, bound, site)
            return self._attribute(owner, node.attr, site)
        if isinstance(node, ast.Subscript):
            owner = self._resolve(node.value, function, summary, bound, site)
            key = node.slice
            if isinstance(owner, dict) and isinstance(key, ast.Constant) and isinstance(key.value, str):
                return owner.get(key.value, _UNRESOLVED)
        return _UNRESOLVED

    def _attribute(self, owner: Any, name: str, site: Location) -> Any:
        if isinstance(owner, Namespace):
            value = self.interp.get_attribute(owner, name, site, missing_ok=True)
        elif isinstance(owner, Instance):
            cls = owner.cls
            if isinstance(cls.lookup("__getattribute__"), Function) or not isinstance(
                cls.lookup(name), (Function, NativeFunction, type(REQUIRED))
            ):
                return _UNRESOLVED  # a property, a descriptor or a class's own lookup would run code
            missing = name not in owner.attrs and cls.lookup(name) is REQUIRED
            if missing and isinstance(cls.lookup("__getattr__"), Function):
                return _UNRESOLVED
            value = self.interp.get_attribute(owner, name, site, missing_ok=True)
        elif isinstance(owner, ClassObject):
            value = owner.lookup(name)
            return value if isinstance(value, (Function, NativeFunction)) else _UNRESOLVED
        elif isinstance(owner, Tensor):
            return owner
        elif isinstance(owner, (str, bytes, int, float, tuple, frozenset)):
            return _DataMethod(hasattr(owner, name))
        elif isinstance(owner, (list, dict, set)):
            return _DataMethod(name in READING_METHODS)
        else:
            return _UNRESOLVED
        return _MISSING if value is REQUIRED else value


def _through_argument(node: ast.expr, summary: Summary) -> bool:
    """Whether `node` (`m.weight.normal_`, `fn`) is found through a parameter or a local: not the same at
    every call."""
    root = node
    while isinstance(root, (ast.Attribute, ast.Subscript)):
        root = root.value
    return not isinstance(root, ast.Name) or root.id in summary.params or root.id in summary.locals


def _pure_native(name: str) -> bool:
    return name in PURE_NATIVES or name.startswith(PURE_PREFIXES) or name.endswith(PURE_SUFFIXES)


def _tensor_method(name: str) -> bool:
    in_place = name.endswith("_") and not name.startswith("__")
    return in_place or name in TENSOR_QUERIES


def _rebound(summary: Summary) -> set[str]:
    """Parameters the body assigns to: their value at a call or a `return` is no longer the argument."""
    return summary.locals & summary.params
