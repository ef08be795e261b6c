"""Function bodies set aside at parse time and parsed on their first call.

libcst is the slowest part of a run on library code: it builds Python objects for every token of a
file, at about 8,000 lines a second, and a model file pulls in helpers whose bodies are mostly never
executed (transformers' `GenerationMixin` is 250 KB of methods a forward pass never calls;
`modeling_utils.py` another 280 KB). CPython's own parser (`ast`, about ten times faster) finds
each function's body; the text libcst parses has those bodies replaced by one marker statement
spanning as many lines (a string of line breaks), so every node outside them keeps its line and
column. A body is parsed from the original text when the interpreter first calls or inspects the
function, as a fragment whose nodes' positions are shifted back to the file's lines.

Only functions outside any function are hollowed (module level, class bodies, and the `if`/`try`/
`with`/loop blocks around them); a nested function is parsed with its enclosing body. A docstring is
kept in the skeleton, so `__doc__` (which decorators such as transformers' `auto_docstring` read at
import) needs no body.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

import libcst as cst

MARKER = "__sf_deferred_body__"
"""The statement a hollowed body is replaced by: `__sf_deferred_body__(N, '''...''')`, N indexing
`Hollowed.bodies`, the string holding as many line breaks as the body had."""
MIN_LINES = 2
"""Bodies shorter than this stay in place: parsing a fragment costs about 60 µs of its own."""
_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
"""Lines as Python's tokenizer counts them (str.splitlines also splits on form feeds and other separators)."""


@dataclass(frozen=True)
class DeferredBody:
    first_line: int
    """1-based line of the first hollowed statement."""
    last_line: int


@dataclass(frozen=True)
class Hollowed:
    skeleton: str
    bodies: tuple[DeferredBody, ...]


def hollow(text: str) -> Hollowed | None:
    """The text with long function bodies replaced by markers; None when `ast` cannot parse it (libcst
    then parses the whole text and reports what is wrong)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None
    lines = _LINES.findall(text)
    bodies: list[DeferredBody] = []
    for function in _outer_functions(tree.body):
        deferred = _deferrable(function, lines)
        if deferred is None:
            continue
        first, last = deferred
        indent = lines[first - 1][: len(lines[first - 1]) - len(lines[first - 1].lstrip())]
        # the hollowed lines become one string token: libcst would make a node of every empty line
        lines[first - 1] = f"{indent}{MARKER}({len(bodies)}, '''{_ending(lines[first - 1])}"
        for number in range(first, last - 1):
            lines[number] = _ending(lines[number])
        lines[last - 1] = f"'''){_ending(lines[last - 1])}"
        bodies.append(DeferredBody(first, last))
    if not bodies:
        return None
    return Hollowed("".join(lines), tuple(bodies))


def _outer_functions(statements: list[ast.stmt]) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    found: list[ast.FunctionDef | ast.AsyncFunctionDef] = []
    for statement in statements:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found.append(statement)
            continue
        blocks: list[list[ast.stmt]] = []
        if isinstance(statement, ast.ClassDef):
            blocks.append(statement.body)
        elif isinstance(statement, (ast.If, ast.For, ast.AsyncFor, ast.While)):
            blocks += [statement.body, statement.orelse]
        elif isinstance(statement, (ast.With, ast.AsyncWith)):
            blocks.append(statement.body)
        elif isinstance(statement, (ast.Try, ast.TryStar)):
            blocks += [statement.body, statement.orelse, statement.finalbody]
            blocks += [handler.body for handler in statement.handlers]
        for block in blocks:
            found += _outer_functions(block)
    return found


def _deferrable(function: ast.FunctionDef | ast.AsyncFunctionDef, lines: list[str]) -> tuple[int, int] | None:
    """The line range of the statements to set aside, if they stand on lines of their own."""
    body = function.body
    start = 1 if _is_docstring(body[0]) and len(body) > 1 else 0
    if start == 0 and _is_docstring(body[0]):
        return None
    leading = body[start]
    decorators = getattr(leading, "decorator_list", [])
    first, last = min(node.lineno for node in [leading, *decorators]), body[-1].end_lineno
    if last is None or last - first + 1 < MIN_LINES:
        return None
    if start and body[0].end_lineno is not None and body[0].end_lineno >= first:
        return None  # `"""doc"""; x = 1` on one line
    if not decorators and lines[first - 1].encode("utf-8")[: leading.col_offset].strip():
        return None  # the body starts on the header's line (`def f(): return (...`)
    return first, last


def _is_docstring(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )


def _ending(line: str) -> str:
    return line[len(line.rstrip("\r\n")) :]


def marker_index(block: cst.BaseSuite) -> int | None:
    """N if the block ends in the marker `__sf_deferred_body__(N)`."""
    if not isinstance(block, cst.IndentedBlock) or not block.body:
        return None
    last = block.body[-1]
    if not isinstance(last, cst.SimpleStatementLine) or len(last.body) != 1:
        return None
    expression = last.body[0]
    if not isinstance(expression, cst.Expr) or not isinstance(expression.value, cst.Call):
        return None
    call = expression.value
    if not isinstance(call.func, cst.Name) or call.func.value != MARKER or not call.args:
        return None
    argument = call.args[0].value
    return int(argument.value) if isinstance(argument, cst.Integer) else None


def fragment_text(text_lines: list[str], body: DeferredBody) -> str:
    """A module holding only the body, under a header: its line L is the file's line L + first_line - 2."""
    return "def _():\n" + "".join(text_lines[body.first_line - 1 : body.last_line])


def text_lines(text: str) -> list[str]:
    return _LINES.findall(text)
