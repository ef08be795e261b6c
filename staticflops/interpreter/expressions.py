"""Evaluating expressions: literals, names, operators, calls, comprehensions.

A mixin of `Interpreter` (evaluator.py), which dispatches `eval_<NodeType>` here.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import libcst as cst

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
    is_legacy_octal,
    literal_string,
    unescape,
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

    def eval_Integer(self, node: cst.Integer, scope: Scope) -> Any:
        return int(node.value.replace("_", ""), 0) if not is_legacy_octal(node.value) else int(node.value, 8)

    def eval_Float(self, node: cst.Float, scope: Scope) -> Any:
        return float(node.value.replace("_", ""))

    def eval_Imaginary(self, node: cst.Imaginary, scope: Scope) -> Any:
        return complex(node.value.replace("_", ""))

    def eval_SimpleString(self, node: cst.SimpleString, scope: Scope) -> Any:
        known = self._strings.get(id(node))
        if known is not None and known[0] is node:  # the node is kept with it: its id is never reused
            return known[1]
        value = literal_string(node)
        self._strings[id(node)] = (node, value)
        return value

    def eval_ConcatenatedString(self, node: cst.ConcatenatedString, scope: Scope) -> Any:
        left = self.eval(node.left, scope)
        right = self.eval(node.right, scope)
        if isinstance(left, str) and isinstance(right, str):
            return left + right
        return Unknown("string concatenation of unknown parts")

    def eval_FormattedString(self, node: cst.FormattedString, scope: Scope) -> Any:
        return self._formatted(node.parts, "r" in node.prefix.lower(), self.site(scope, node), scope)

    def _formatted(
        self, nodes: Sequence[cst.BaseFormattedStringContent], raw: bool, site: Location, scope: Scope
    ) -> Any:
        """The text of an f-string's parts (a whole f-string, or a nested format spec)."""
        parts: list[str] = []
        for part in nodes:
            if isinstance(part, cst.FormattedStringText):
                text = part.value if raw else unescape(part.value)
                parts.append(text.replace("{{", "{").replace("}}", "}"))
                continue
            value = self.eval(part.expression, scope)
            if isinstance(value, Unknown):
                return Unknown("f-string with an unknown value")
            spec = ""
            if part.format_spec:
                inner = self._formatted(part.format_spec, raw, site, scope)
                if isinstance(inner, Unknown):
                    return inner
                spec = inner
            conversion = part.conversion
            if part.equal is not None:  # f"{x=}": the expression's text, then repr() unless told otherwise
                equal = part.equal
                parts.append(
                    part.whitespace_before_expression.value
                    + scope.source.module.code_for_node(part.expression)
                    + part.whitespace_after_expression.value
                    + getattr(equal.whitespace_before, "value", "")
                    + "="
                    + getattr(equal.whitespace_after, "value", "")
                )
                if conversion is None and not spec:
                    conversion = "r"
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

    def eval_Ellipsis(self, node: cst.Ellipsis, scope: Scope) -> Any:
        return ...

    def eval_Name(self, node: cst.Name, scope: Scope) -> Any:
        name, local = node.value, scope.vars  # a local name, the frequent case of `scope.lookup`, inline
        value = local[name] if name in local and not scope.global_names else scope.lookup(name)
        if isinstance(value, LazyImport):
            value = self.resolve_lazy(value)
            scope.replace(node.value, value)
        if value is REQUIRED and STARS in scope.globals:
            value = self.star_lookup(scope.globals, node.value)
        if value is REQUIRED:
            value = self.builtins.get(node.value, REQUIRED)
        if value is REQUIRED:
            return self.unknown(f"name '{node.value}' is not defined", node, scope)
        return value

    def eval_Attribute(self, node: cst.Attribute, scope: Scope) -> Any:
        obj = self.eval(node.value, scope)
        return self.get_attribute(obj, node.attr.value, self.site(scope, node))

    def eval_Subscript(self, node: cst.Subscript, scope: Scope) -> Any:
        container = self.eval(node.value, scope)
        index = self._slice(node, scope)
        return self.get_item(container, index, self.site(scope, node))

    def _slice(self, node: cst.Subscript, scope: Scope) -> Any:
        parts = [self._slice_part(element.slice, scope) for element in node.slice]
        if len(parts) == 1 and node.slice[0].comma is cst.MaybeSentinel.DEFAULT:
            return parts[0]
        return tuple(parts)

    def _slice_part(self, part: cst.BaseSlice, scope: Scope) -> Any:
        if isinstance(part, cst.Index):
            value = self.eval(part.value, scope)
            if part.star is not None:
                return tuple(self.iterate(value, self.site(scope, part)))
            return value
        assert isinstance(part, cst.Slice)

        def bound(expr: cst.BaseExpression | None) -> Any:
            return None if expr is None else self.eval(expr, scope)

        return slice(bound(part.lower), bound(part.upper), bound(part.step))

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

    def eval_Call(self, node: cst.Call, scope: Scope) -> Any:
        callee = self.eval(node.func, scope)
        args: list[Any] = []
        kwargs: dict[str, Any] = {}
        site = self.site(scope, node)
        for arg in node.args:
            value = self.eval(arg.value, scope)
            if arg.star == "*":
                if isinstance(value, Unknown):
                    return Unknown(f"call with unknown *args ({value.reason})", site)
                args.extend(self.iterate(value, site))
            elif arg.star == "**":
                value = self.mapping(value, site)
                if not isinstance(value, dict):
                    reason = f" ({value.reason})" if isinstance(value, Unknown) else ""
                    return Unknown(f"call with unknown **kwargs{reason}", site)
                for key in value:
                    self._keyword(kwargs, key, value[key], callee, site)
            elif arg.keyword is not None:
                self._keyword(kwargs, arg.keyword.value, value, callee, site)
            else:
                args.append(value)
        return self.call(callee, args, kwargs, site)

    def _keyword(self, kwargs: dict[str, Any], key: Any, value: Any, callee: Any, site: Location) -> None:
        """One keyword argument of a call; a name given twice (`f(a=1, **{"a": 2})`) is a TypeError."""
        if key in kwargs:
            name = getattr(callee, "name", None) or getattr(getattr(callee, "function", None), "name", "function")
            self.raise_error("TypeError", f"{name}() got multiple values for keyword argument '{key}'", site)
        kwargs[key] = value

    def eval_Lambda(self, node: cst.Lambda, scope: Scope) -> Any:
        return self.make_function(node, scope)

    def eval_Tuple(self, node: cst.Tuple, scope: Scope) -> Any:
        return tuple(self._elements(node.elements, scope))

    def eval_List(self, node: cst.List, scope: Scope) -> Any:
        return self._elements(node.elements, scope)

    def eval_Set(self, node: cst.Set, scope: Scope) -> Any:
        try:
            return set(self._elements(node.elements, scope))
        except TypeError:
            return Unknown("set of unhashable values")

    def _elements(self, elements: Iterable[cst.BaseElement], scope: Scope) -> list[Any]:
        result: list[Any] = []
        for element in elements:
            value = self.eval(element.value, scope)
            if isinstance(element, cst.StarredElement):
                result.extend(self.iterate(value, self.site(scope, element)))
            else:
                result.append(value)
        self.budget.check_size(len(result))
        return result

    def eval_Dict(self, node: cst.Dict, scope: Scope) -> Any:
        result: dict[Any, Any] = {}
        for element in node.elements:
            if isinstance(element, cst.StarredDictElement):
                site = self.site(scope, element)
                value = self.mapping(self.eval(element.value, scope), site)
                if not isinstance(value, dict):  # its keys are unknown: so is every key of the display
                    reason = value.reason if isinstance(value, Unknown) else f"a {type(value).__name__}"
                    return Unknown(f"dict display with `**` of a value that is not a known mapping ({reason})", site)
                result.update(value)
                continue
            key = self.eval(element.key, scope)
            try:
                result[key] = self.eval(element.value, scope)
            except TypeError:
                return Unknown("dict with an unhashable key")
        return result

    def eval_GeneratorExp(self, node: cst.GeneratorExp, scope: Scope) -> Any:
        return iter(self._comprehension(node, scope, lambda s: self.eval(node.elt, s)))

    def eval_ListComp(self, node: cst.ListComp, scope: Scope) -> Any:
        return self._comprehension(node, scope, lambda s: self.eval(node.elt, s))

    def eval_SetComp(self, node: cst.SetComp, scope: Scope) -> Any:
        items = self._comprehension(node, scope, lambda s: self.eval(node.elt, s))
        try:
            return set(items)
        except TypeError:
            return Unknown("set of unhashable values")

    def eval_DictComp(self, node: cst.DictComp, scope: Scope) -> Any:
        pairs = self._comprehension(node, scope, lambda s: (self.eval(node.key, s), self.eval(node.value, s)))
        try:
            return dict(pairs)
        except TypeError:
            return Unknown("dict with an unhashable key")

    def _comprehension(self, node: Any, scope: Scope, produce: Callable[[Scope], Any]) -> list[Any]:
        inner = scope.child(scope.qualname)
        result: list[Any] = []

        def run(clause: cst.CompFor | None) -> None:
            if clause is None:
                result.append(produce(inner))
                self.budget.check_size(len(result))
                return
            iterable = self.eval(clause.iter, inner)
            # the iterable as the site: a `for` clause has no position of its own (it would say line 1)
            for count, item in enumerate(self.iterate(iterable, self.site(scope, clause.iter)), 1):
                if count > self.limits.loop_iterations:
                    raise BudgetExhausted("loop iteration", self.limits.loop_iterations)
                self.assign(clause.target, item, inner)
                if all(self.truth(self.eval(cond.test, inner), None) for cond in clause.ifs):
                    run(clause.inner_for_in)

        run(node.for_in)
        return result

    def eval_IfExp(self, node: cst.IfExp, scope: Scope) -> Any:
        condition = self.truth(self.eval(node.test, scope), self.site(scope, node))
        if condition is None:
            self.assume("condition unknown; assumed true", self.site(scope, node.test))
            condition = True
        return self.eval(node.body if condition else node.orelse, scope)

    def eval_NamedExpr(self, node: cst.NamedExpr, scope: Scope) -> Any:
        value = self.eval(node.value, scope)
        self.assign(node.target, value, scope)
        return value

    def eval_BooleanOperation(self, node: cst.BooleanOperation, scope: Scope) -> Any:
        left = self.eval(node.left, scope)
        truth = self.truth(left, None)
        if truth is None:
            return self._unknown_boolean(node, scope)
        if isinstance(node.operator, cst.And):
            return self.eval(node.right, scope) if truth else left
        return left if truth else self.eval(node.right, scope)

    def _unknown_boolean(self, node: cst.BooleanOperation, scope: Scope) -> Unknown:
        """`unknown and x` is falsy when `x` is, and `unknown or x` truthy when `x` is, whichever side
        Python returns: `flag and cond is not None and is_compiling()` is decided by its last term. The
        value stays unknown; only its truth is known. The right side is evaluated as Python would when the
        left one lets it; if it raises or runs tensor ops (whose calls are then dropped from the trace), the
        whole is unknown."""
        site = self.site(scope, node)
        reason = "boolean operation on an unknown value"
        mark = self.hooks["effects"]() if "effects" in self.hooks else None
        try:
            right = self.eval(node.right, scope)
        except AnalyzedException:
            right = Unknown(reason, site)
        if mark is not None and mark():  # it ran tensor ops Python may not run: forget them, as before
            return Unknown(reason, site)
        truth = self.truth(right, site)
        if isinstance(node.operator, cst.And) and truth is False:
            return Unknown(f"{reason}, falsy whichever side it is", site, truth=False)
        if isinstance(node.operator, cst.Or) and truth is True:
            return Unknown(f"{reason}, truthy whichever side it is", site, truth=True)
        return Unknown(reason, site)

    def eval_UnaryOperation(self, node: cst.UnaryOperation, scope: Scope) -> Any:
        value = self.eval(node.expression, scope)
        return self.unary(type(node.operator), value, self.site(scope, node))

    def unary(self, op: type[cst.BaseUnaryOp], value: Any, site: Location) -> Any:
        if op is cst.Not:
            truth = self.truth(value, site)
            return Unknown("negation of an unknown value", site) if truth is None else not truth
        if isinstance(value, Unknown):
            return value
        name = {cst.Minus: "neg", cst.Plus: "pos", cst.BitInvert: "invert"}[op]
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

    def eval_BinaryOperation(self, node: cst.BinaryOperation, scope: Scope) -> Any:
        left = self.eval(node.left, scope)
        right = self.eval(node.right, scope)
        return self.binary(type(node.operator), left, right, self.site(scope, node))

    def binary(self, op: type[cst.CSTNode], left: Any, right: Any, site: Location, inplace: bool = False) -> Any:
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

    def eval_Comparison(self, node: cst.Comparison, scope: Scope) -> Any:
        left = self.eval(node.left, scope)
        result: Any = True
        site = self.site(scope, node)
        for target in node.comparisons:
            right = self.eval(target.comparator, scope)
            outcome = self.compare(type(target.operator), left, right, site)
            if isinstance(outcome, (NativeValue, Unknown)):
                return outcome
            if not self.truth(outcome, site):
                return outcome if len(node.comparisons) == 1 else False
            result = outcome
            left = right
        return result

    def compare(self, op: type[cst.BaseCompOp], left: Any, right: Any, site: Location) -> Any:
        """`left <op> right` for one comparison operator, as Python would evaluate it."""
        if op in (cst.Is, cst.IsNot):
            if isinstance(left, Unknown) or isinstance(right, Unknown):
                return Unknown("identity test on an unknown value", site)
            return COMPARISONS[op](left, right)
        if op in (cst.In, cst.NotIn) and isinstance(right, NativeValue) and hasattr(right, "sf_contains"):
            found = right.sf_contains(self, left, site)
            return found if op is cst.In or isinstance(found, Unknown) else not found
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
        if op in (cst.In, cst.NotIn) and isinstance(right, (Instance, ClassObject)):
            method = self.get_attribute(right, "__contains__", site, missing_ok=True)
            if method is not REQUIRED:
                found = self.truth(self.call(method, [left], {}, site), site)
                if found is None:
                    return Unknown("membership test on an unknown value", site)
                return found if op is cst.In else not found
            items = list(self.iterate(right, site))
            found = any(self.compare(cst.Equal, item, left, site) is True for item in items)
            return found if op is cst.In else not found
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
                equal = self.compare(cst.Equal, left, right, site)
                if isinstance(equal, (Unknown, NativeValue)):
                    return equal
                truth = self.truth(equal, site)
                return Unknown("comparison with an unknown value", site) if truth is None else not truth
        try:
            outcome = COMPARISONS[op](left, right)
        except TypeError as exc:
            self.raise_error("TypeError", str(exc), site)
        missed = op in (cst.In, cst.NotIn) and isinstance(right, (dict, set)) and (outcome is False) is (op is cst.In)
        if missed and self.complete_registry(right):
            return COMPARISONS[op](left, right)
        return outcome

    def eval_Await(self, node: cst.Await, scope: Scope) -> Any:
        return self.eval(node.expression, scope)

    def eval_Yield(self, node: cst.Yield, scope: Scope) -> Any:
        collected = scope.vars.get("__sf_yielded__")
        if collected is None:
            return Unknown("yield outside a generator")
        if node.value is None:
            collected.append(None)
        elif isinstance(node.value, cst.From):
            collected.extend(self.iterate(self.eval(node.value.item, scope), self.site(scope, node)))
        else:
            collected.append(self.eval(node.value, scope))
        return None


_PLAIN_TYPES = {int: "int", bool: "int", str: "str", bytes: "bytes", list: "list", tuple: "tuple"}
"""The operand types whose operators `interpreter/costs.py` prices, by the names of its rules."""


def _first_unknown_in(value: Any) -> Unknown | None:
    """An `Unknown` among the arguments of `str % value` (a tuple or dict of them, or one)."""
    items = value.values() if type(value) is dict else value if type(value) is tuple else (value,)
    return next((item for item in items if isinstance(item, Unknown)), None)
