"""Function bodies set aside after parsing, and parsed again on first use.

A parsed tree takes about 23 bytes of memory per byte of source (some 270 bytes a node), and a model
file pulls in helpers whose bodies are mostly never run: transformers' `GenerationMixin` is 250 KB of
methods a forward pass never calls, `modeling_utils.py` another 280 KB. Kept whole, the 79 files
LLaMA-3-70B's `config.json` reads would hold 61 MB of trees. So, right after a file is parsed, the
statements of each function outside any function are dropped (its docstring stays: decorators such as
transformers' `auto_docstring` read `__doc__` at import), and `SourceFile.body` parses them again from
the file's text when the interpreter first calls or inspects the function. Python's parser makes that
cheap: a body is parsed under a `def` header as a fragment, after as many blank lines as put its first
statement on its line in the file, so that its nodes' lines and columns are the file's own.

Only functions outside any function are set aside (module level, class bodies, and the `if`/`try`/
`with`/loop blocks around them); a nested function is parsed with its enclosing body.
"""

from __future__ import annotations

import ast
import warnings
from dataclasses import dataclass

MIN_LINES = 2
"""Bodies shorter than this stay: setting a one-liner aside saves nothing."""
SPAN = "_sf_deferred"
"""The attribute of a function node whose statements were set aside: their `Span`."""


@dataclass(frozen=True)
class Span:
    first_line: int
    """1-based line of the first statement set aside."""
    last_line: int
    kept: int
    """How many statements stayed in the tree before it (the docstring, or none)."""


class DeferredBody(ast.stmt):
    """What stands for the statements set aside until they are parsed. The interpreter has no handler
    for it: were a body ever run without `SourceFile.body`, it would say so (SF302), not run nothing."""

    _fields = ()


def set_aside(module: ast.Module, lines: list[str]) -> None:
    """Drop the long bodies of `module`'s outer functions, recording where they were."""
    for function in _outer_functions(module.body):
        span = _deferrable(function, lines)
        if span is not None:
            setattr(function, SPAN, span)
            marker = DeferredBody(lineno=span.first_line, col_offset=0, end_lineno=span.last_line, end_col_offset=0)
            function.body = [*function.body[: span.kept], marker]


def source_text(function: ast.FunctionDef | ast.AsyncFunctionDef, lines: list[str]) -> str | None:
    """The text of the statements set aside, None if there are none."""
    span: Span | None = getattr(function, SPAN, None)
    return None if span is None else "".join(lines[span.first_line - 1 : span.last_line])


def parse_body(function: ast.FunctionDef | ast.AsyncFunctionDef, lines: list[str], path: str) -> list[ast.stmt]:
    """The function's statements, parsed now if they were set aside (and kept in the tree from then on)."""
    span: Span | None = getattr(function, SPAN, None)
    if span is None:
        return function.body
    # blank lines before the header put every node on its line in the file (the parser skips them at C
    # speed; shifting the nodes afterwards would walk the whole fragment in Python)
    text = "\n" * (span.first_line - 2) + "def _():\n" + "".join(lines[span.first_line - 1 : span.last_line])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fragment = ast.parse(text, filename=path)  # the whole file parsed before: so does a part of it
    header = fragment.body[0]
    assert isinstance(header, ast.FunctionDef)
    function.body = [*function.body[: span.kept], *header.body]
    delattr(function, SPAN)
    return function.body


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


def _deferrable(function: ast.FunctionDef | ast.AsyncFunctionDef, lines: list[str]) -> Span | None:
    """Where the statements to set aside are, if they stand on lines of their own."""
    body = function.body
    kept = 1 if _is_docstring(body[0]) else 0
    if kept == len(body):
        return None
    leading = body[kept]
    decorators = getattr(leading, "decorator_list", [])
    first, last = min(node.lineno for node in [leading, *decorators]), body[-1].end_lineno
    if last is None or last - first + 1 < MIN_LINES:
        return None
    if kept and (body[0].end_lineno or first) >= first:
        return None  # `"""doc"""; x = 1` on one line
    if not decorators and lines[first - 1].encode("utf-8")[: leading.col_offset].strip():
        return None  # the body starts on the header's line (`def f(): return (...`)
    return Span(first, last, kept)


def _is_docstring(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )
