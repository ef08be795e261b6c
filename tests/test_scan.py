"""The limits checked around the parse (`staticflops.source.scan`): the long statement is found where
it is, and long code made of ordinary statements passes."""

from __future__ import annotations

import ast

from staticflops.source.files import SourceFile
from staticflops.source.scan import MAX_OPERATORS, check_statements


def _check(text: str) -> int | None:
    module = ast.parse(text)
    lines = SourceFile(path="m.py", text=text, module=module, module_name="m").lines()
    problem = check_statements(text, module, lines)
    return None if problem is None else problem.line


LONG = "[" + ", ".join(["-1"] * (MAX_OPERATORS + 1)) + "]"
"""A statement of more operators than the limit (a flat list: Python's parser needs no deep recursion)."""


def test_a_long_statement_in_a_method_is_found_at_its_line() -> None:
    text = (
        "import sys\n"
        "\n"
        "if sys:\n"
        "    class M:\n"
        "        def forward(self):\n"
        "            x = 1\n"
        f"            y = {LONG}\n"
    )
    assert _check(text) == 7


def test_a_long_header_is_found_at_the_compound_statement() -> None:
    assert _check(f"x = 0\nfor i in {LONG}:\n    pass\n") == 2


def test_long_code_made_of_short_statements_passes() -> None:
    body = "".join(f"        v{i} = a + b * {i} - c\n" for i in range(3 * MAX_OPERATORS))
    assert _check(f"class M:\n    def f(self, a, b, c):\n{body}") is None
