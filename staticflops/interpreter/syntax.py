"""Tables and small functions over libcst nodes that the interpreter's parts share: operator
tables, string-literal decoding, and questions about a statement's syntax."""

from __future__ import annotations

import operator
import unicodedata
from collections.abc import Callable
from typing import Any

import libcst as cst

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

BINARY_OPERATORS: dict[type[cst.CSTNode], tuple[str, Callable[[Any, Any], Any]]] = {
    cst.Add: ("add", operator.add),
    cst.Subtract: ("sub", operator.sub),
    cst.Multiply: ("mul", operator.mul),
    cst.Divide: ("truediv", operator.truediv),
    cst.FloorDivide: ("floordiv", operator.floordiv),
    cst.Modulo: ("mod", operator.mod),
    cst.Power: ("pow", operator.pow),
    cst.LeftShift: ("lshift", operator.lshift),
    cst.RightShift: ("rshift", operator.rshift),
    cst.BitOr: ("or", operator.or_),
    cst.BitAnd: ("and", operator.and_),
    cst.BitXor: ("xor", operator.xor),
    cst.MatrixMultiply: ("matmul", operator.matmul),
}
AUGMENTED_OPERATORS: dict[type[cst.CSTNode], type[cst.CSTNode]] = {
    cst.AddAssign: cst.Add,
    cst.SubtractAssign: cst.Subtract,
    cst.MultiplyAssign: cst.Multiply,
    cst.DivideAssign: cst.Divide,
    cst.FloorDivideAssign: cst.FloorDivide,
    cst.ModuloAssign: cst.Modulo,
    cst.PowerAssign: cst.Power,
    cst.LeftShiftAssign: cst.LeftShift,
    cst.RightShiftAssign: cst.RightShift,
    cst.BitOrAssign: cst.BitOr,
    cst.BitAndAssign: cst.BitAnd,
    cst.BitXorAssign: cst.BitXor,
    cst.MatrixMultiplyAssign: cst.MatrixMultiply,
}
COMPARISONS: dict[type[cst.CSTNode], Callable[[Any, Any], Any]] = {
    cst.Equal: operator.eq,
    cst.NotEqual: operator.ne,
    cst.LessThan: operator.lt,
    cst.LessThanEqual: operator.le,
    cst.GreaterThan: operator.gt,
    cst.GreaterThanEqual: operator.ge,
    cst.Is: operator.is_,
    cst.IsNot: operator.is_not,
    cst.In: lambda a, b: a in b,
    cst.NotIn: lambda a, b: a not in b,
}
COMPARISON_NAMES: dict[type[cst.CSTNode], str] = {
    cst.Equal: "eq",
    cst.NotEqual: "ne",
    cst.LessThan: "lt",
    cst.LessThanEqual: "le",
    cst.GreaterThan: "gt",
    cst.GreaterThanEqual: "ge",
}
REFLECTED_COMPARISONS = {"lt": "gt", "gt": "lt", "le": "ge", "ge": "le"}
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
        return node.get_docstring(clean=False) if isinstance(node, cst.FunctionDef) else None
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


def defined_names(statement: cst.CSTNode) -> list[str]:
    """Names a top-level statement binds (for binding `Unknown` when it fails)."""
    if isinstance(statement, (cst.ClassDef, cst.FunctionDef)):
        return [statement.name.value]
    names: list[str] = []
    if isinstance(statement, cst.SimpleStatementLine):
        for small in statement.body:
            targets = small.targets if isinstance(small, cst.Assign) else []
            for target in targets:
                if isinstance(target.target, cst.Name):
                    names.append(target.target.value)
            if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
                names.append(small.target.value)
    return names


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


def dotted_name(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{dotted_name(node.value)}.{node.attr.value}"
    raise ValueError(f"not a dotted name: {node!r}")


def always_raises(block: cst.BaseSuite) -> bool:
    """The block ends in a `raise` that nothing before it can avoid: its last statement is a `raise`
    and no `return`, `break` or `continue` in it leaves early (`wrong = ...; raise ValueError(...)`)."""
    body = block.body if isinstance(block, cst.IndentedBlock) else [block]
    last = body[-1] if body else None
    if not isinstance(last, (cst.SimpleStatementLine, cst.SimpleStatementSuite)) or not isinstance(
        last.body[-1], cst.Raise
    ):
        return False
    finder = _ExitFinder()
    for statement in body:
        statement.visit(finder)
    return not finder.found


class _ExitFinder(cst.CSTVisitor):
    """A `return`, `break` or `continue` of this block (not of a function or class defined in it)."""

    def __init__(self) -> None:
        self.found = False

    def visit_Return(self, node: cst.Return) -> bool:
        self.found = True
        return False

    def visit_Break(self, node: cst.Break) -> bool:
        self.found = True
        return False

    def visit_Continue(self, node: cst.Continue) -> bool:
        self.found = True
        return False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False


class _YieldFinder(cst.CSTVisitor):
    def __init__(self) -> None:
        self.found = False

    def visit_Yield(self, node: cst.Yield) -> bool:
        self.found = True
        return False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False


def is_generator(function: Function) -> bool:
    node = function.node
    assert isinstance(node, cst.FunctionDef)
    body = function.source.body(node)  # parsed here, on the first call, if it was set aside
    if "yield" not in function.source.body_text(node):
        return False  # the common case, decided without walking the tree
    finder = _YieldFinder()
    body.visit(finder)
    return finder.found


def is_legacy_octal(text: str) -> bool:
    return len(text) > 1 and text[0] == "0" and text[1:].isdigit() and set(text) != {"0"}


_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "\\": "\\",
    "'": "'",
    '"': '"',
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
}


def literal_string(node: cst.SimpleString) -> str | bytes:
    """The value of a string literal, decoded without `eval` or `ast.literal_eval`."""
    prefix = node.prefix.lower()
    body = node.raw_value
    text = body if "r" in prefix else unescape(body, is_bytes="b" in prefix)
    if "b" in prefix:
        return text.encode("latin-1", errors="replace")
    return text


_OCTAL = "01234567"


def unescape(body: str, is_bytes: bool = False) -> str:
    """A literal's escape sequences decoded as Python's tokenizer does: `\\n`, `\\x41`, octal `\\101`,
    and in str literals `\\u00e9`, `\\U...` and `\\N{NAME}`; an unknown escape stays as written."""
    if "\\" not in body:
        return body
    out: list[str] = []
    i = 0
    while i < len(body):
        char = body[i]
        if char != "\\" or i + 1 == len(body):
            out.append(char)
            i += 1
            continue
        nxt = body[i + 1]
        if nxt == "\n":
            i += 2
        elif nxt in _OCTAL:
            end = i + 2
            while end < min(len(body), i + 4) and body[end] in _OCTAL:
                end += 1
            out.append(chr(int(body[i + 1 : end], 8)))
            i = end
        elif nxt == "N" and not is_bytes and body[i + 2 : i + 3] == "{" and "}" in body[i + 3 :]:
            close = body.index("}", i + 3)
            try:
                out.append(unicodedata.lookup(body[i + 3 : close]))
                i = close + 1
            except KeyError:
                out.append(char)
                i += 1
        elif nxt in "xuU" and not (is_bytes and nxt != "x"):
            width = {"x": 2, "u": 4, "U": 8}[nxt]
            digits = body[i + 2 : i + 2 + width]
            try:
                out.append(chr(int(digits, 16)))
                i += 2 + width
            except ValueError:
                out.append(char)
                i += 1
        elif nxt in _ESCAPES:
            out.append(_ESCAPES[nxt])
            i += 2
        else:
            out.append(char)
            i += 1
    return "".join(out)
