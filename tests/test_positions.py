"""Every node the analysis points at carries the line and column where its text starts in the file
(CPython's parser gives UTF-8 byte columns; reports count characters), the bodies parsed on first use
(staticflops.source.deferred) included."""

from __future__ import annotations

import ast
import textwrap

from staticflops.source.deferred import DeferredBody
from staticflops.source.files import SourceFile, parse_source
from tests.conftest import FIXTURES, codes

TRICKY = '''
import torch.nn as nn


class Block(nn.Module):
    """A block.

  An indented docstring line that is less indented than the body.
    """

    def __init__(self, width):
        """Builds the block."""
        super().__init__()
        self.fc = nn.Linear(width, width)
        text = """
no indentation inside a string
"""
        self.width = width

    def forward(self, x): return self.fc(
        x
    )

    @staticmethod
    def helper(a,
               b):
        @property
        def inner(self):
            return 1
        return a + b
        # a comment after the last statement

    async def later(self):
        await something()
        await something()
        await something()
        return None


if True:
\tdef guarded():
\t\tvalue = 1
\t\tvalue += 1
\t\tvalue += 1
\t\treturn value
'''.replace("\\t", "\t")


def _parse_every_body(source: SourceFile) -> None:
    while deferred := [
        node
        for node in ast.walk(source.module)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and isinstance(node.body[-1], DeferredBody)
    ]:
        for function in deferred:
            source.body(function)


def _check_positions(text: str) -> int:
    source = parse_source(text, "file.py")
    _parse_every_body(source)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    checked = 0
    for node in ast.walk(source.module):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            first = f"def {node.name}("
        elif isinstance(node, (ast.Call, ast.Attribute, ast.Name, ast.Constant)):
            first = source.code_for_node(node).splitlines()[0]
        else:
            continue
        line, column = source.position(node)
        assert lines[line - 1][column:].removeprefix("async ").startswith(first), (ast.dump(node), line, column)
        checked += 1
    return checked


def test_every_node_points_at_its_own_text_in_the_file() -> None:
    checked = _check_positions(TRICKY)
    for path in sorted(FIXTURES.glob("*.py")):
        checked += _check_positions(path.read_text())
    checked += _check_positions((FIXTURES / "resnet50.py").read_text().replace("\n", "\r\n"))
    assert checked > 2000


def test_long_bodies_are_set_aside_until_first_use_and_keep_their_docstrings() -> None:
    source = parse_source(TRICKY, "file.py")
    functions = {
        node.name: node for node in ast.walk(source.module) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    }
    set_aside = {name for name, node in functions.items() if isinstance(node.body[-1], DeferredBody)}
    # forward's body starts on its header's line and stays; inner is inside helper's body
    assert set_aside == {"__init__", "helper", "later", "guarded"}
    assert ast.get_docstring(functions["__init__"]) == "Builds the block."
    body = source.body(functions["__init__"])
    assert [source.code_for_node(statement) for statement in body][1] == "super().__init__()"
    assert body is source.body(functions["__init__"])  # parsed once


def test_columns_count_characters_not_bytes() -> None:
    source = parse_source('label = "größe"; layer = make(3)\n', "file.py")
    call = next(node for node in ast.walk(source.module) if isinstance(node, ast.Call))
    assert source.position(call) == (1, 25)  # 27 in UTF-8 bytes: ö and ß take two each
    assert source.code_for_node(call) == "make(3)"


def test_a_model_built_through_a_decorated_generator_and_a_docstring(analyze_source) -> None:
    model = analyze_source(
        """
        import torch.nn as nn

        def describe(function):
            function.words = len(function.__doc__.split())
            return function

        @describe
        def blocks(width):
            \"\"\"one two three\"\"\"
            layers = []
            for _ in range(3):
                layers.append(nn.Linear(width, width))
            yield from layers

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.body = nn.Sequential(*blocks(8))
                self.head = nn.Linear(8, blocks.words)

            def forward(self, x):
                y = self.body(x)
                y = self.head(y)
                return y
        """,
        inputs=[(2, 8)],
    )
    assert [layer.type for layer in model.layers] == ["Linear"] * 4
    assert model.params == 3 * (8 * 8 + 8) + (8 * 3 + 3)
    assert model.flops == 3 * 2 * 8 * 2 * 8 + 2 * 3 * 2 * 8


def test_a_diagnostic_inside_a_method_names_the_files_line_and_column(analyze_source) -> None:
    source = """
        import torch.nn as nn

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(8, 4)

            def forward(self, x):
                x = x + 1
                x = x * 2
                return self.fc(x)
        """
    model = analyze_source(source, inputs=[(2, 5)])
    line = textwrap.dedent(source).splitlines().index("        return self.fc(x)") + 1
    assert codes(model) == ["SF201"]
    assert (model.diagnostics[0].line, model.diagnostics[0].column) == (line, 15)


def test_a_long_expression_is_analyzed(analyze_source) -> None:
    terms = " + ".join(["x"] * 1500)
    model = analyze_source(
        f"""
        import torch.nn as nn

        class Huge(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(8, 8)

            def forward(self, x):
                y = {terms}
                return self.fc(y)
        """,
        inputs=[(2, 8)],
    )
    # 1,499 additions of 2x8 tensors, then the Linear: 2*8 - 1 + 1 (bias) per output element
    assert (model.params, model.flops) == (8 * 8 + 8, 1499 * 16 + 2 * 8 * 2 * 8)
