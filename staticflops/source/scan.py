"""Limits on what a file may be, checked around Python's parser.

Before parsing, only the size: the limits bound the time and memory one file can take. After it, the
statements too long for the interpreter: a chain of `MAX_OPERATORS` operators is a tree as deep as it
is long, which the interpreter evaluates recursively; saying so with the line is clearer than the
recursion error it would meet. Brackets nested deeper than 200 are CPython's own syntax error.

The check after parsing costs almost nothing on ordinary code: a statement of N operators spans at
least 2N characters, so only the statements spanning that many are counted, by one regular expression
that skips strings and comments.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from itertools import accumulate

MAX_OPERATORS = 5000
"""Operators in one statement: a chain of 5,000 is a tree 5,000 deep, well within the interpreter's
recursion limit (`staticflops.deep_calls.RECURSION_LIMIT`) at two frames a level."""
MAX_LINES = 50_000
MAX_BYTES = 4_000_000
"""Model definitions are far smaller."""

_OPERATORS = re.compile(
    r"""
      (?:[rRbBuUfF]{1,2})?
      (?: '''[\s\S]*?(?<!\\)''' | \"\"\"[\s\S]*?(?<!\\)\"\"\"    # strings, skipped
        | '(?:\\.|[^\\'\n])*' | "(?:\\.|[^\\"\n])*" )
    | \#[^\n]*                                                # comments, skipped
    | (?P<operator> \*\*|//|<<|>>|[-+*/%@&|^] )
    """,
    re.VERBOSE,
)
_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_BLOCKS = ("body", "orelse", "finalbody", "handlers", "cases")


@dataclass(frozen=True)
class Problem:
    line: int
    message: str


def check_size(text: str) -> Problem | None:
    lines = text.count("\n") + 1
    if lines > MAX_LINES or len(text) > MAX_BYTES:
        return Problem(
            1,
            f"the file is too large to analyze ({lines:,} lines, {len(text):,} characters; the limits are "
            f"{MAX_LINES:,} lines and {MAX_BYTES:,} characters)",
        )
    return None


def check_statements(text: str, module: ast.Module, lines: list[str]) -> Problem | None:
    """The first statement with more than `MAX_OPERATORS` operators (a compound statement's header
    counted alone), or None. `lines` are the file's, line breaks kept."""
    if len(text) < 2 * MAX_OPERATORS:
        return None
    starts = list(accumulate(map(len, lines), initial=0))
    pending: list[ast.AST] = list(module.body)
    while pending:
        statement = pending.pop()
        first = getattr(statement, "lineno", None)
        if first is not None and starts[statement.end_lineno] - starts[first - 1] < 2 * MAX_OPERATORS:
            continue  # nothing in it is long enough: most statements, and whole functions, end here
        inner = [child for block in _BLOCKS for child in getattr(statement, block, ())]
        pending.extend(inner)
        if first is None:  # a `match` case
            continue
        last = min((getattr(child, "lineno", first) for child in inner), default=statement.end_lineno + 1) - 1
        begin, end = starts[first - 1], starts[max(last, first)]
        if end - begin >= 2 * MAX_OPERATORS and _operators(text[begin:end]) > MAX_OPERATORS:
            message = f"a statement with more than {MAX_OPERATORS} operators is beyond what staticflops analyzes"
            return Problem(first, message)
    return None


def _operators(text: str) -> int:
    return sum(1 for match in _OPERATORS.finditer(text) if match.lastgroup == "operator")
