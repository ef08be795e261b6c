"""Function bodies are parsed on first use (staticflops.source.hollow): what the analysis sees, and where it
points, is the same as if the whole file had been parsed at once."""

from __future__ import annotations

import textwrap

import libcst as cst

from staticflops.source.files import SourceFile, parse_source
from staticflops.source.hollow import MARKER, hollow
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


class _Nodes(cst.CSTVisitor):
    """The expressions and function definitions of a file (whose text starts where they do), the bodies it set
    aside included."""

    def __init__(self, source: SourceFile) -> None:
        self.source = source
        self.nodes: list[cst.CSTNode] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value == MARKER:
            return False
        if isinstance(node, (cst.Call, cst.Attribute, cst.Name, cst.SimpleString, cst.Integer, cst.FunctionDef)):
            self.nodes.append(node)
        if isinstance(node, cst.FunctionDef) and self.source.body(node) is not node.body:
            self.source.body(node).visit(self)
        return True


def _check_positions(text: str) -> int:
    source = parse_source(text, "file.py")
    collector = _Nodes(source)
    source.module.visit(collector)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    checked = 0
    for node in collector.nodes:
        code = source.module.code_for_node(node)
        line, column = source.position(node)
        first = code.splitlines()[0] if not isinstance(node, cst.FunctionDef) else f"def {node.name.value}("
        assert lines[line - 1][column:].removeprefix("async ").startswith(first), (node, line, column)
        checked += 1
    return checked


def test_every_node_points_at_its_own_text_in_the_file() -> None:
    checked = _check_positions(TRICKY)
    for path in sorted(FIXTURES.glob("*.py")):
        checked += _check_positions(path.read_text())
    checked += _check_positions((FIXTURES / "resnet50.py").read_text().replace("\n", "\r\n"))
    assert checked > 2000


def test_the_skeleton_keeps_every_line_and_sets_aside_only_what_stands_alone() -> None:
    hollowed = hollow(TRICKY)
    assert hollowed is not None
    assert hollowed.skeleton.count("\n") == TRICKY.count("\n")
    set_aside = {(body.first_line, body.last_line) for body in hollowed.bodies}
    lines = TRICKY.split("\n")
    starts = {lines[first - 1].strip() for first, _ in set_aside}
    # __init__ (after its docstring), helper (from its decorated inner function), later and guarded;
    # forward's body starts on its header's line and stays
    assert starts == {"super().__init__()", "@property", "await something()", "value = 1"}
    assert '"""Builds the block."""' in hollowed.skeleton


def test_a_file_that_cpython_cannot_parse_is_reported_by_libcst_as_before() -> None:
    assert hollow("def f(:\n    pass\n") is None


def test_a_model_built_and_traced_through_set_aside_bodies(analyze_source) -> None:
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


def test_a_diagnostic_inside_a_set_aside_body_names_the_files_line_and_column(analyze_source) -> None:
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


def test_a_body_too_complex_to_parse_fails_the_model_that_calls_it_not_the_run(analyze_source) -> None:
    terms = " + ".join(["x"] * 1500)
    analysis = analyze_source(
        f"""
        import torch.nn as nn

        class Huge(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(8, 8)

            def forward(self, x):
                y = {terms}
                return self.fc(y)

        class Small(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(8, 4)

            def forward(self, x):
                return self.fc(x)
        """,
        inputs=[(2, 8)],
        all=True,
    )
    huge, small = analysis.models
    assert (small.name, small.params, small.flops) == ("Small", 36, 2 * 4 * 2 * 8)
    assert huge.name == "Huge" and not huge.flops_complete
    too_complex = [d for d in analysis.diagnostics + huge.diagnostics if d.code.code == "SF007"]
    assert too_complex and too_complex[0].line == 10, huge.diagnostics
