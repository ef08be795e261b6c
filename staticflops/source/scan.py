"""A cheap look at source text before libcst parses it.

libcst's native parser overflows the C stack on brackets nested a few thousand deep (the
process dies), and its time grows with the square of one expression's length (a sum of
20,000 terms takes minutes). CPython itself refuses more than 200 nested brackets, so a
file that deep is not Python; an expression of more than `MAX_OPERATORS` operators is
valid but beyond what staticflops analyzes. One regular-expression pass over the text,
skipping strings and comments, finds both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_NESTING = 200
"""CPython's own limit ("too many nested parentheses")."""
MAX_OPERATORS = 1000
"""Operators in one logical line; libcst needs about 0.5 s for 1,000 and 4 s for 4,000."""
MAX_LINES = 50_000
MAX_BYTES = 4_000_000
"""libcst parses about 8,000 lines a second and needs about 11 KB of memory per line (a
100,000-line file: 13 s, 1.1 GB); model definitions are far smaller."""

TOKENS = re.compile(
    r"""
      (?P<string>
          (?:[rRbBuUfF]{1,2})?
          (?: '''[\s\S]*?(?<!\\)''' | \"\"\"[\s\S]*?(?<!\\)\"\"\"    # triple-quoted, may span lines
            | '(?:\\.|[^\\'\n])*' | "(?:\\.|[^\\"\n])*" ) )           # single-line
    | (?P<comment> \#[^\n]* )
    | (?P<continuation> \\\r?\n )                                     # a backslash joins lines
    | (?P<newline> \n )
    | (?P<open> [(\[{] )
    | (?P<close> [)\]}] )
    | (?P<operator> \*\*|//|<<|>>|[-+*/%@&|^] )
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class Problem:
    line: int
    message: str


def scan(text: str) -> Problem | None:
    """The first reason not to hand `text` to libcst, or None."""
    lines = text.count("\n") + 1
    if lines > MAX_LINES or len(text) > MAX_BYTES:
        return Problem(
            1,
            f"the file is too large to analyze ({lines:,} lines, {len(text):,} characters; the limits are "
            f"{MAX_LINES:,} lines and {MAX_BYTES:,} characters)",
        )
    depth = 0
    operators = 0
    line = 1
    statement_line = 1
    for match in TOKENS.finditer(text):
        kind = match.lastgroup
        if kind == "string":
            line += match.group().count("\n")
        elif kind in ("newline", "continuation"):
            line += 1
            if kind == "newline" and depth == 0:
                operators = 0
                statement_line = line
        elif kind == "open":
            depth += 1
            if depth > MAX_NESTING:
                return Problem(line, f"too many nested parentheses (more than {MAX_NESTING}, Python's own limit)")
        elif kind == "close":
            depth = max(depth - 1, 0)
        elif kind == "operator":
            operators += 1
            if operators > MAX_OPERATORS:
                return Problem(
                    statement_line,
                    f"a statement with more than {MAX_OPERATORS} operators is beyond what staticflops parses",
                )
    return None
