"""Evaluating expressions: literals, names, operators, calls, comprehensions.

A mixin of `Interpreter` (evaluator.py), which dispatches `eval_<NodeType>` here.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from staticflops.interpreter.budget import BudgetExhausted
from staticflops.interpreter.errors import AnalyzedException
from staticflops.interpreter.scope import Scope
from staticflops.interpreter.statements import STARS
from staticflops.interpreter.stdlib.types import union_type
from staticflops.interpreter.syntax import (
    BINARY_OPERATORS,
    COMPARISON_NAMES,
    COMPARISONS,
    REFLECTED_COMPARISONS,
)
from staticflops.interpreter.text import format_call, to_format, to_repr, to_str
from staticflops.interpreter.values import (
    REQUIRED,
    BuiltinType,
    ClassObject,
    Instance,
    LazyImport,
    NativeValue,
    Unknown,
)
from staticflops.source import Location


class Expressions:
    """`eval_*` handlers and the helpers only they use."""

    def eval_Constant(self, node: ast.Constant, scope: Scope) -> Any:
        return node.value

    def eval_JoinedStr(self, node: ast.JoinedStr, scope: Scope) -> Any:
        return self._formatted(node.values, self.site(scope, node), scope)

    def _formatted(self, nodes: Sequence[ast.expr], site: Location, scope: Scope) -> Any:
        """The text of an f-string's parts (a whole f-string, or a nested format spec). Python's parser
        has decoded the literal parts and spelled `{x=}` out as the text `x=` and a `!r` conversion."""
        parts: list[str] = []
        for part in nodes:
            if isinstance(part, ast.Constant):
                parts.append(str(part.value))
                continue
            assert isinstance(part, ast.FormattedValue)
            value = self.eval(part.value, scope)
            if isinstance(value, Unknown):
                return Unknown("f-string with an unknown value")
            spec = ""
            if part.format_spec is not None:
                inner = self._formatted(part.format_spec.values, site, scope)  # type: ignore[attr-defined]
                if isinstance(inner, Unknown):
                    return inner
                spec = inner
            conversion = chr(part.conversion) if part.conversion > 0 else None
            if conversion == "r":
                value = to_repr(self, value, site)
            elif conversion == "s":
                value = to_str(self, value, site)
            elif conversion == "a":
                value = self.builtins["ascii"].impl(self, [value], {}, site)
            text = to_format(self, value, spec, site)
            if isinstance(text, Unknown):
                return text
            parts.append(text)
        return "".join(parts)

    def eval_Name(self, node: ast.Name, scope: Scope) -> Any:
        name, local = node.id, scope.vars  # a local name, the frequent case of `scope.lookup`, inline
        value = local[name] if name in local and not scope.global_names else scope.lookup(name)
        if isinstance(value, LazyImport):
            value = self.resolve_lazy(value)
            scope.replace(name, value)
        if value is REQUIRED and STARS in scope.globals:
            value = self.star_lookup(scope.globals, name)
        if value is REQUIRED:
            value = self.builtins.get(name, REQUIRED)
        if value is REQUIRED:
            return self.unknown(f"name '{name}' is not defined", node, scope)
        return value

    def eval_Attribute(self, node: ast.Attribute, scope: Scope) -> Any:
        obj = self.eval(node.value, scope)
        return self.get_attribute(obj, node.attr, self.site(scope, node))

    def eval_Subscript(self, node: ast.Subscript, scope: Scope) -> Any:
        container = self.eval(node.value, scope)
        index = self.eval(node.slice, scope)
        return self.get_item(container, index, self.site(scope, node))

    def eval_Slice(self, node: ast.Slice, scope: Scope) -> Any:
        def bound(expr: ast.expr | None) -> Any:
            return None if expr is None else self.eval(expr, scope)

        return slice(bound(node.lower), bound(node.upper), bound(node.step))

    def get_item(self, container: Any, index: Any, site: Location) -> Any:
        if isinstance(container, Unknown):
            return container
        if isinstance(index, Unknown) and not isinstance(container, NativeValue):
            return Unknown(f"index is unknown ({index.reason})", site)
        if isinstance(container, (list, tuple, str, dict, range, bytes)):
            try:
                return container[index]
            except KeyError as exc:
                if self.complete_registry(container) and index in container:
                    return container[index]
                self.raise_error("KeyError", f"{exc}", site)
            except (IndexError, TypeError, ValueError) as exc:  # ValueError: a zero slice step
                self.raise_error(type(exc).__name__, f"{exc}", site)
        if isinstance(container, NativeValue):
            try:
                return container.sf_getitem(self, index, site)
            except NotImplementedError:
                return Unknown(f"cannot index {container!r}", site)
        if isinstance(container, (Instance, ClassObject)):
            method = self.get_attribute(container, "__getitem__", site, missing_ok=True)
            if method is REQUIRED and isinstance(container, ClassObject):
                method = self.get_attribute(container, "__class_getitem__", site, missing_ok=True)
                if method is REQUIRED:
                    return container  # generic alias such as List[int]: the class will do
            if method is not REQUIRED:
                return self.call(method, [index], {}, site)
        return Unknown(f"cannot index a value of kind {type(container).__name__}", site)

    def mapping(self, value: Any, site: Location) -> Any:
        """What `**value` and `dict(value)` read of an object, by Python's mapping protocol: a dict as is;
        an instance whose class has `keys()` (a `dict` or `OrderedDict` subclass, a config class) its
        keys and `value[key]` for each; anything else unchanged."""
        if not isinstance(value, Instance):
            return value
        keys = self.get_attribute(value, "keys", site, missing_ok=True)
        if keys is REQUIRED:
            return value
        found = self.call(keys, [], {}, site)
        if isinstance(found, Unknown):
            return found
        return {key: self.get_item(value, key, site) for key in self.iterate(found, site)}

    def eval_Call(self, node: ast.Call, scope: Scope) -> Any:
        callee = self.eval(node.func, scope)
        args: list[Any] = []
        kwargs: dict[str, Any] = {}
        site = self.site(scope, node)
        for arg in node.args:
            if type(arg) is ast.Starred:
                value = self.eval(arg.value, scope)
                if isinstance(value, Unknown):
                    return Unknown(f"call with unknown *args ({value.reason})", site)
                args.extend(self.iterate(value, site))
            else:
                args.append(self.eval(arg, scope))
        for keyword in node.keywords:
            value = self.eval(keyword.value, scope)
            if keyword.arg is not None:
                self._keyword(kwargs, keyword.arg, value, callee, site)
                continue
            value = self.mapping(value, site)
            if not isinstance(value, dict):
                reason = f" ({value.reason})" if isinstance(value, Unknown) else ""
                return Unknown(f"call with unknown **kwargs{reason}", site)
            for key in value:
                self._keyword(kwargs, key, value[key], callee, site)
        return self.call(callee, args, kwargs, site)

    def _keyword(self, kwargs: dict[str, Any], key: Any, value: Any, callee: Any, site: Location) -> None:
        """One keyword argument of a call; a name given twice (`f(a=1, **{"a": 2})`) is a TypeError."""
        if key in kwargs:
            name = getattr(callee, "name", None) or getattr(getattr(callee, "function", None), "name", "function")
            self.raise_error("TypeError", f"{name}() got multiple values for keyword argument '{key}'", site)
        kwargs[key] = value

    def eval_Lambda(self, node: ast.Lambda, scope: Scope) -> Any:
        return self.make_function(node, scope)

    def eval_Tuple(self, node: ast.Tuple, scope: Scope) -> Any:
        return tuple(self._elements(node.elts, scope))

    def eval_List(self, node: ast.List, scope: Scope) -> Any:
        return self._elements(node.elts, scope)

    def eval_Set(self, node: ast.Set, scope: Scope) -> Any:
        try:
            return set(self._elements(node.elts, scope))
        except TypeError:
            return Unknown("set of unhashable values")

    def _elements(self, elements: Iterable[ast.expr], scope: Scope) -> list[Any]:
        result: list[Any] = []
        for element in elements:
            if type(element) is ast.Starred:
                result.extend(self.iterate(self.eval(element.value, scope), self.site(scope, element)))
            else:
                result.append(self.eval(element, scope))
        self.budget.check_size(len(result))
        return result

    def eval_Dict(self, node: ast.Dict, scope: Scope) -> Any:
        result: dict[Any, Any] = {}
        for key_node, value_node in zip(node.keys, node.values, strict=True):
            if key_node is None:  # `**mapping`
                site = self.site(scope, value_node)
                value = self.mapping(self.eval(value_node, scope), site)
                if not isinstance(value, dict):  # its keys are unknown: so is every key of the display
                    reason = value.reason if isinstance(value, Unknown) else f"a {type(value).__name__}"
                    return Unknown(f"dict display with `**` of a value that is not a known mapping ({reason})", site)
                result.update(value)
                continue
            key = self.eval(key_node, scope)
            try:
                result[key] = self.eval(value_node, scope)
            except TypeError:
                return Unknown("dict with an unhashable key")
        return result

    def eval_GeneratorExp(self, node: ast.GeneratorExp, scope: Scope) -> Any:
        return iter(self._comprehension(node, scope, lambda s: self.eval(node.elt, s)))

    def eval_ListComp(self, node: ast.ListComp, scope: Scope) -> Any:
        return self._comprehension(node, scope, lambda s: self.eval(node.elt, s))

    def eval_SetComp(self, node: ast.SetComp, scope: Scope) -> Any:
        items = self._comprehension(node, scope, lambda s: self.eval(node.elt, s))
        try:
            return set(items)
        except TypeError:
            return Unknown("set of unhashable values")

    def eval_DictComp(self, node: ast.DictComp, scope: Scope) -> Any:
        pairs = self._comprehension(node, scope, lambda s: (self.eval(node.key, s), self.eval(node.value, s)))
        try:
            return dict(pairs)
        except TypeError:
            return Unknown("dict with an unhashable key")

    def _comprehension(self, node: Any, scope: Scope, produce: Callable[[Scope], Any]) -> list[Any]:
        inner = scope.child(scope.qualname)
        result: list[Any] = []

        clauses: list[ast.comprehension] = node.generators

        def run(number: int) -> None:
            if number == len(clauses):
                result.append(produce(inner))
                self.budget.check_size(len(result))
                return
            clause = clauses[number]
            iterable = self.eval(clause.iter, inner)
            # the iterable as the site: a `for` clause has no position of its own (it would say line 1)
            for count, item in enumerate(self.iterate(iterable, self.site(scope, clause.iter)), 1):
                if count > self.limits.loop_iterations:
                    raise BudgetExhausted("loop iteration", self.limits.loop_iterations)
                self.assign(clause.target, item, inner)
                if all(self.truth(self.eval(condition, inner), None) for condition in clause.ifs):
                    run(number + 1)

        run(0)
        return result

    def eval_IfExp(self, node: ast.IfExp, scope: Scope) -> Any:
        condition = self.truth(self.eval(node.test, scope), self.site(scope, node))
        if condition is None:
            self.assume("condition unknown; assumed true", self.site(scope, node.test))
            condition = True
        return self.eval(node.body if condition else node.orelse, scope)

    def eval_NamedExpr(self, node: ast.NamedExpr, scope: Scope) -> Any:
        value = self.eval(node.value, scope)
        self.assign(node.target, value, scope)
        return value

    def eval_BoolOp(self, node: ast.BoolOp, scope: Scope) -> Any:
        return self._boolean(node, 0, type(node.op) is ast.And, scope)

    def _boolean(self, node: ast.BoolOp, start: int, conjunction: bool, scope: Scope) -> Any:
        """`values[start] and/or values[start + 1] ...`, as Python evaluates it."""
        values = node.values
        left = self.eval(values[start], scope)
        for number in range(start + 1, len(values)):
            truth = self.truth(left, None)
            if truth is None:
                return self._unknown_boolean(node, number, conjunction, scope)
            if truth is not conjunction:  # a falsy side ends `and`, a truthy one `or`
                return left
            left = self.eval(values[number], scope)
        return left

    def _unknown_boolean(self, node: ast.BoolOp, rest: int, conjunction: bool, scope: Scope) -> Unknown:
        """`unknown and x` is falsy when `x` is, and `unknown or x` truthy when `x` is, whichever side
        Python returns: `flag and cond is not None and is_compiling()` is decided by its last term. The
        value stays unknown; only its truth is known. The right side (`values[rest:]`) is evaluated as
        Python would when the left one lets it; if it raises or runs tensor ops (whose calls are then
        dropped from the trace), the whole is unknown."""
        site = self.site(scope, node)
        reason = "boolean operation on an unknown value"
        mark = self.hooks["effects"]() if "effects" in self.hooks else None
        try:
            right = self._boolean(node, rest, conjunction, scope)
        except AnalyzedException:
            right = Unknown(reason, site)
        if mark is not None and mark():  # it ran tensor ops Python may not run: forget them, as before
            return Unknown(reason, site)
        truth = self.truth(right, site)
        if conjunction and truth is False:
            return Unknown(f"{reason}, falsy whichever side it is", site, truth=False)
        if not conjunction and truth is True:
            return Unknown(f"{reason}, truthy whichever side it is", site, truth=True)
        return Unknown(reason, site)

    def eval_UnaryOp(self, node: ast.UnaryOp, scope: Scope) -> Any:
        value = self.eval(node.operand, scope)
        return self.unary(type(node.op), value, self.site(scope, node))

    def unary(self, op: type[ast.unaryop], value: Any, site: Location) -> Any:
        if op is ast.Not:
            truth = self.truth(value, site)
            return Unknown("negation of an unknown value", site) if truth is None else not truth
        if isinstance(value, Unknown):
            return value
        name = {ast.USub: "neg", ast.UAdd: "pos", ast.Invert: "invert"}[op]
        if isinstance(value, NativeValue):
            try:
                return value.sf_unary(self, name, site)
            except NotImplementedError:
                return Unknown(f"unary {name} of {value!r}", site)
        if isinstance(value, Instance):
            method = self.get_attribute(value, f"__{name}__", site, missing_ok=True)
            if method is not REQUIRED:
                return self.call(method, [], {}, site)
            return Unknown(f"unary {name} of an instance", site)
        try:
            return getattr(operator, name)(value)
        except TypeError as exc:
            self.raise_error("TypeError", str(exc), site)

    def eval_BinOp(self, node: ast.BinOp, scope: Scope) -> Any:
        left = self.eval(node.left, scope)
        right = self.eval(node.right, scope)
        return self.binary(type(node.op), left, right, self.site(scope, node))

    def binary(self, op: type[ast.operator], left: Any, right: Any, site: Location, inplace: bool = False) -> Any:
        name, function = BINARY_OPERATORS[op]
        if isinstance(left, NativeValue) or isinstance(right, NativeValue):
            native, other, reflected = (left, right, False) if isinstance(left, NativeValue) else (right, left, True)
            try:
                return native.sf_binop(self, ("i" if inplace else "") + name, other, reflected, site)
            except NotImplementedError:
                return Unknown(f"operator '{name}' on {native!r}", site)
        if isinstance(left, Unknown):
            return left
        if isinstance(right, Unknown):
            return right
        if name == "mod" and isinstance(left, str):  # printf-style formatting may show analyzed objects
            if _first_unknown_in(right) is not None:
                return Unknown("%-formatting of an unknown value", site)
            self.budget.charge("str.mod", [left, right])
            return format_call(self, left.__mod__, [right], {}, site)
        if name == "or" and any(isinstance(side, (ClassObject, BuiltinType)) for side in (left, right)):
            union = union_type(left, right)
            if union is not None:
                return union
        if isinstance(left, Instance) or isinstance(right, Instance):
            return self._instance_binary(name, left, right, site, inplace)
        self.budget.charge(f"{_PLAIN_TYPES.get(type(left), '')}.{name}", [left, right])
        try:
            return function(left, right)
        except (TypeError, ZeroDivisionError, ValueError, OverflowError) as exc:
            self.raise_error(type(exc).__name__, str(exc), site)

    def _instance_binary(self, name: str, left: Any, right: Any, site: Location, inplace: bool = False) -> Any:
        attempts = [(left, right, f"__{name}__"), (right, left, f"__r{name}__")]
        if inplace:
            attempts.insert(0, (left, right, f"__i{name}__"))
        for obj, other, dunder in attempts:
            if isinstance(obj, Instance):
                method = self.get_attribute(obj, dunder, site, missing_ok=True)
                if method is not REQUIRED:
                    return self.call(method, [other], {}, site)
        return Unknown(f"operator '{name}' on instances", site)

    def eval_Compare(self, node: ast.Compare, scope: Scope) -> Any:
        left = self.eval(node.left, scope)
        result: Any = True
        site = self.site(scope, node)
        for op, comparator in zip(node.ops, node.comparators, strict=True):
            right = self.eval(comparator, scope)
            outcome = self.compare(type(op), left, right, site)
            if isinstance(outcome, (NativeValue, Unknown)):
                return outcome
            if not self.truth(outcome, site):
                return outcome if len(node.ops) == 1 else False
            result = outcome
            left = right
        return result

    def compare(self, op: type[ast.cmpop], left: Any, right: Any, site: Location) -> Any:
        """`left <op> right` for one comparison operator, as Python would evaluate it."""
        if op in (ast.Is, ast.IsNot):
            if isinstance(left, Unknown) or isinstance(right, Unknown):
                return Unknown("identity test on an unknown value", site)
            return COMPARISONS[op](left, right)
        if op in (ast.In, ast.NotIn) and isinstance(right, NativeValue) and hasattr(right, "sf_contains"):
            found = right.sf_contains(self, left, site)
            return found if op is ast.In or isinstance(found, Unknown) else not found
        if isinstance(left, NativeValue) or isinstance(right, NativeValue):
            native, other = (left, right) if isinstance(left, NativeValue) else (right, left)
            name = COMPARISON_NAMES.get(op, "")
            if native is right:
                name = REFLECTED_COMPARISONS.get(name, name)
            try:
                return native.sf_compare(self, name, other, site)
            except NotImplementedError:
                return Unknown("comparison with an unknown value", site)
        if isinstance(left, Unknown) or isinstance(right, Unknown):
            return Unknown("comparison with an unknown value", site)
        if op in (ast.In, ast.NotIn) and isinstance(right, (Instance, ClassObject)):
            method = self.get_attribute(right, "__contains__", site, missing_ok=True)
            if method is not REQUIRED:
                found = self.truth(self.call(method, [left], {}, site), site)
                if found is None:
                    return Unknown("membership test on an unknown value", site)
                return found if op is ast.In else not found
            items = list(self.iterate(right, site))
            found = any(self.compare(ast.Eq, item, left, site) is True for item in items)
            return found if op is ast.In else not found
        if isinstance(left, Instance) or isinstance(right, Instance):
            name = COMPARISON_NAMES.get(op, "")
            attempts = [(left, right, name), (right, left, REFLECTED_COMPARISONS.get(name, name))]
            for obj, other, dunder in attempts:
                if isinstance(obj, Instance) and dunder:
                    method = self.special_method(obj, f"__{dunder}__", site)
                    if method is not REQUIRED:
                        result = self.call(method, [other], {}, site)
                        if result is not NotImplemented:
                            return result
            if name == "ne":  # without __ne__, `!=` is the negation of `==` (object.__ne__)
                equal = self.compare(ast.Eq, left, right, site)
                if isinstance(equal, (Unknown, NativeValue)):
                    return equal
                truth = self.truth(equal, site)
                return Unknown("comparison with an unknown value", site) if truth is None else not truth
        try:
            outcome = COMPARISONS[op](left, right)
        except TypeError as exc:
            self.raise_error("TypeError", str(exc), site)
        missed = op in (ast.In, ast.NotIn) and isinstance(right, (dict, set)) and (outcome is False) is (op is ast.In)
        if missed and self.complete_registry(right):
            return COMPARISONS[op](left, right)
        return outcome

    def eval_Await(self, node: ast.Await, scope: Scope) -> Any:
        return self.eval(node.value, scope)

    def eval_Yield(self, node: ast.Yield, scope: Scope) -> Any:
        collected = scope.vars.get("__sf_yielded__")
        if collected is None:
            return Unknown("yield outside a generator")
        collected.append(None if node.value is None else self.eval(node.value, scope))
        return None

    def eval_YieldFrom(self, node: ast.YieldFrom, scope: Scope) -> Any:
        collected = scope.vars.get("__sf_yielded__")
        if collected is None:
            return Unknown("yield outside a generator")
        collected.extend(self.iterate(self.eval(node.value, scope), self.site(scope, node)))
        return None


_PLAIN_TYPES = {int: "int", bool: "int", str: "str", bytes: "bytes", list: "list", tuple: "tuple"}
"""The operand types whose operators `interpreter/costs.py` prices, by the names of its rules."""


def _first_unknown_in(value: Any) -> Unknown | None:
    """An `Unknown` among the arguments of `str % value` (a tuple or dict of them, or one)."""
    items = value.values() if type(value) is dict else value if type(value) is tuple else (value,)
    return next((item for item in items if isinstance(item, Unknown)), None)
