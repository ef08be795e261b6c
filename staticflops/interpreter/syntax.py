"""Tables and small functions over `ast` nodes that the interpreter's parts share: operator
tables and questions about a statement's syntax."""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable
from typing import Any

from staticflops.interpreter.scope import Scope
from staticflops.interpreter.values import (
    REQUIRED,
    BoundMethod,
    ClassMethod,
    ClassObject,
    Function,
    Namespace,
    NativeFunction,
    Param,
    ParamKind,
    Property,
    StaticMethod,
    Unknown,
)

BINARY_OPERATORS: dict[type[ast.operator], tuple[str, Callable[[Any, Any], Any]]] = {
    ast.Add: ("add", operator.add),
    ast.Sub: ("sub", operator.sub),
    ast.Mult: ("mul", operator.mul),
    ast.Div: ("truediv", operator.truediv),
    ast.FloorDiv: ("floordiv", operator.floordiv),
    ast.Mod: ("mod", operator.mod),
    ast.Pow: ("pow", operator.pow),
    ast.LShift: ("lshift", operator.lshift),
    ast.RShift: ("rshift", operator.rshift),
    ast.BitOr: ("or", operator.or_),
    ast.BitAnd: ("and", operator.and_),
    ast.BitXor: ("xor", operator.xor),
    ast.MatMult: ("matmul", operator.matmul),
}
COMPARISONS: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Is: operator.is_,
    ast.IsNot: operator.is_not,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}
COMPARISON_NAMES: dict[type[ast.cmpop], str] = {
    ast.Eq: "eq",
    ast.NotEq: "ne",
    ast.Lt: "lt",
    ast.LtE: "le",
    ast.Gt: "gt",
    ast.GtE: "ge",
}
REFLECTED_COMPARISONS = {"lt": "gt", "gt": "lt", "le": "ge", "ge": "le"}
FUNCTION_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
PLAIN_DATA = (int, float, complex, str, bytes, bool, type(None), tuple, list, dict, set, frozenset, range, slice)


def function_attribute(obj: Any, name: str) -> Any:
    function = obj.function if isinstance(obj, BoundMethod) else obj
    attrs = getattr(function, "attrs", None)  # a user function's, or a native wrapper's (functools.cache)
    if isinstance(attrs, dict) and name in attrs:
        return attrs[name]
    if name == "__qualname__" and isinstance(function, Function):
        return function.qualname
    if name in ("__name__", "__qualname__"):
        return getattr(function, "name", "<native>")
    if name == "__doc__":
        node = function.node if isinstance(function, Function) else None
        return ast.get_docstring(node, clean=False) if isinstance(node, FUNCTION_DEFINITIONS) else None
    if name == "__module__":
        return function.source.module_name if isinstance(function, Function) else "builtins"
    if name == "__class__":
        return ClassObject("function" if isinstance(obj, (Function, NativeFunction)) else "method", (), {})
    if name == "__self__" and isinstance(obj, BoundMethod):
        return obj.self_value
    if name == "__func__" and isinstance(obj, BoundMethod):
        return obj.function
    params = function.params if isinstance(function, (Function, NativeFunction)) else None
    if name in ("__defaults__", "__kwdefaults__") and params is not None:
        return _defaults(params, keyword_only=name == "__kwdefaults__")
    if name == "__code__" and isinstance(function, Function):
        return _code_object(function)
    if isinstance(function, Function):
        return function.attrs.get(name, REQUIRED)
    if isinstance(function, NativeFunction):  # a gap of the analyzer, not an error of the analyzed code
        return Unknown(f"attribute '{name}' of {function!r} is not modelled")
    return REQUIRED


def _defaults(params: tuple[Param, ...], keyword_only: bool) -> Any:
    """`f.__defaults__` (the positional parameters' defaults) or `f.__kwdefaults__` (the keyword-only ones'),
    None when there are none, as Python gives them."""
    if keyword_only:
        found = {p.name: p.default for p in params if p.kind is ParamKind.KEYWORD_ONLY and p.default is not REQUIRED}
        return found or None
    positional = (ParamKind.POSITIONAL_ONLY, ParamKind.POSITIONAL_OR_KEYWORD)
    values = tuple(p.default for p in params if p.kind in positional and p.default is not REQUIRED)
    return values or None


def _code_object(function: Function) -> Namespace:
    """What decorators read of `f.__code__` (transformers' `merge_with_config_defaults` looks up an
    argument's position in `co_varnames`). NB: `co_varnames` holds the parameters only, not the locals."""
    names = tuple(param.name for param in function.params)
    positional = (ParamKind.POSITIONAL_ONLY, ParamKind.POSITIONAL_OR_KEYWORD)
    attrs = {
        "co_varnames": names,
        "co_argcount": sum(param.kind in positional for param in function.params),
        "co_posonlyargcount": sum(param.kind is ParamKind.POSITIONAL_ONLY for param in function.params),
        "co_kwonlyargcount": sum(param.kind is ParamKind.KEYWORD_ONLY for param in function.params),
        "co_name": function.name,
        "co_qualname": function.qualname,
        "co_filename": str(function.source.path),
    }
    return Namespace("code", attrs)


def defined_names(statement: ast.stmt) -> list[str]:
    """Names a top-level statement binds (for binding `Unknown` when it fails)."""
    if isinstance(statement, (ast.ClassDef, *FUNCTION_DEFINITIONS)):
        return [statement.name]
    targets: list[ast.expr] = []
    if isinstance(statement, ast.Assign):
        targets = statement.targets
    elif isinstance(statement, ast.AnnAssign):
        targets = [statement.target]
    return [target.id for target in targets if isinstance(target, ast.Name)]


def functions_of(member: Any) -> list[Function]:
    """The user functions a class-body value wraps (methods, properties, static/class methods)."""
    if isinstance(member, Function):
        return [member]
    if isinstance(member, (StaticMethod, ClassMethod)):
        return functions_of(member.function)
    if isinstance(member, Property):
        return functions_of(member.fget) + functions_of(member.fset)
    return []


def class_closure(scope: Scope) -> Scope:
    closure = scope
    while closure.is_class and closure.parent is not None:
        closure = closure.parent
    return closure


def always_raises(block: list[ast.stmt]) -> bool:
    """The block ends in a `raise` that nothing before it can avoid: its last statement is a `raise`
    and no `return`, `break` or `continue` in it leaves early (`wrong = ...; raise ValueError(...)`)."""
    if not block or not isinstance(block[-1], ast.Raise):
        return False
    return not any(_contains(statement, _EXITS) for statement in block)


_EXITS = (ast.Return, ast.Break, ast.Continue)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


def _contains(node: ast.AST, kinds: tuple[type[ast.AST], ...]) -> bool:
    """A node of `kinds` in `node`, not counting those of the functions and classes it defines."""
    pending = [node]
    while pending:
        current = pending.pop()
        if isinstance(current, kinds):
            return True
        pending.extend(child for child in ast.iter_child_nodes(current) if not isinstance(child, _SCOPES))
    return False


def is_generator(function: Function) -> bool:
    node = function.node
    if not isinstance(node, FUNCTION_DEFINITIONS):
        return False
    if not function.source.may_contain(node, "yield"):
        return False  # the common case, decided without parsing or walking the body
    return any(_contains(statement, (ast.Yield, ast.YieldFrom)) for statement in function.source.body(node))
