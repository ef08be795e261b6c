"""A long loop that only computes local values is cut, and what it computed is unknown
(staticflops/interpreter/loop_cut.py): numbers it does not decide stay exact, numbers it decides are
marked unknown, and a loop with any other effect runs to the end."""

from __future__ import annotations

import ast
import textwrap
from types import SimpleNamespace

from staticflops.interpreter.loop_cut import written_names
from staticflops.interpreter.scope import Scope
from tests.conftest import codes

ATTENTION_BIAS_TABLE = """
import itertools
import torch
import torch.nn as nn


class Attention(nn.Module):
    # TinyViT's attention biases: the index of every pair of window positions, computed in Python
    def __init__(self, dim=8, resolution=(40, 40)):
        super().__init__()
        n = resolution[0] * resolution[1]
        self.attention_biases = nn.Parameter(torch.zeros(2, n))
        self.register_buffer("attention_bias_idxs", torch.empty((n, n), dtype=torch.long), persistent=False)
        self.proj = nn.Linear(dim, dim)
        self._init_buffers()

    def _init_buffers(self):
        points = list(itertools.product(range(self.resolution_of()[0]), range(self.resolution_of()[1])))
        n = len(points)
        offsets = {}
        idxs = []
        for p1 in points:
            for p2 in points:
                offset = (abs(p1[0] - p2[0]), abs(p1[1] - p2[1]))
                if offset not in offsets:
                    offsets[offset] = len(offsets)
                idxs.append(offsets[offset])
        self.attention_bias_idxs.copy_(torch.tensor(idxs, dtype=torch.long).view(n, n))

    def resolution_of(self):
        return (40, 40)

    def forward(self, x):
        bias = self.attention_biases[:, self.attention_bias_idxs]
        return self.proj(x) + bias.mean()
"""


def test_a_table_filling_a_buffer_of_known_shape_leaves_the_numbers_exact(analyze_source) -> None:
    model = analyze_source(ATTENTION_BIAS_TABLE, model="Attention", inputs=[(1, 8)])
    # 1,600 positions: 2.56 million pairs, cut after 200,000 statements
    assert model.params == 2 * 1600 + 8 * 8 + 8
    assert model.flops_complete
    # seed formulas: a Linear with bias 2·I per output (8 outputs of 8 inputs); a mean n − 1 additions and
    # one division over the 2 × 1600 × 1600 gathered biases; the add one per output element
    assert model.flops == 8 * (2 * 8) + 2 * 1600 * 1600 + 8
    assert "SF304" in codes(model)
    assert any("was cut" in d.message and "'idxs'" in d.message for d in model.diagnostics)


def test_a_count_the_loop_computed_is_unknown_where_it_decides_a_size(analyze_source) -> None:
    model = analyze_source(
        """
        import torch.nn as nn

        class M(nn.Module):
            def __init__(self):
                super().__init__()
                width = 0
                for _ in range(90_000):
                    width += 1
                    width -= 1
                    width += 1
                self.fc = nn.Linear(width, 4)

            def forward(self, x):
                return self.fc(x)
        """,
        model="M",
        inputs=[(1, 8)],
    )
    assert not model.params_complete
    assert not model.flops_complete
    assert "SF301" in codes(model)


def _written(loop_source: str) -> list[str] | None:
    function = ast.parse(textwrap.dedent(loop_source)).body[0]
    assert isinstance(function, ast.FunctionDef)
    loop = next(node for node in function.body if isinstance(node, ast.For))
    scope = Scope(None, {}, vars={"table": [], "seen": {}})  # type: ignore[arg-type]

    return written_names(SimpleNamespace(builtins={}), loop, scope, [])


def test_what_a_loop_writes_is_found_in_its_targets_items_and_containers() -> None:
    assert _written(
        """
        def f(points, table, seen):
            for i, p in enumerate(points):
                key = (abs(p[0]), min(p))
                seen[key] = len(seen)
                table.append(seen.get(key, i))
        """
    ) == ["i", "key", "p", "seen", "table"]


def test_a_loop_with_any_other_effect_is_never_cut() -> None:
    for body in (
        "self.last = p",  # an attribute store
        "helper(p)",  # a call of a function that may do anything
        "raise ValueError(p)",  # an error the rest of the loop may raise
        "self.blocks.append(p)",  # a container that is not the loop's own
        "yield p",
    ):
        assert _written(f"def f(self, points, table, seen):\n    for p in points:\n        {body}\n") is None, body
    assert _written("def f(points):\n    for p in points:\n        pass\n    else:\n        pass\n") is None


def test_a_container_held_elsewhere_too_is_never_cut() -> None:
    shared: list[int] = []
    holder = {"table": shared}  # what `self.table` would be
    function = ast.parse("def f(points):\n    for p in points:\n        table.append(p)\n").body[0]
    assert isinstance(function, ast.FunctionDef)
    loop = function.body[0]
    assert isinstance(loop, ast.For)
    own = Scope(None, {}, vars={"table": []})  # type: ignore[arg-type]
    aliased = Scope(None, {}, vars={"table": shared})  # type: ignore[arg-type]
    assert written_names(SimpleNamespace(builtins={}), loop, own, []) == ["p", "table"]
    assert written_names(SimpleNamespace(builtins={}), loop, aliased, []) is None
    assert holder["table"] is shared


def test_a_cut_table_reshaped_to_sizes_given_outright_keeps_its_shape(analyze_source) -> None:
    # LeViT's style: the table becomes the buffer itself, `torch.LongTensor(idxs).view(n, n)`; the cut leaves
    # `idxs` unknown, and a view to sizes all given is that shape whatever its input was (torch.Tensor.view)
    model = analyze_source(
        ATTENTION_BIAS_TABLE.replace(
            'self.register_buffer("attention_bias_idxs", torch.empty((n, n), dtype=torch.long), persistent=False)',
            "pass",
        ).replace(
            "self.attention_bias_idxs.copy_(torch.tensor(idxs, dtype=torch.long).view(n, n))",
            'self.register_buffer("attention_bias_idxs", torch.LongTensor(idxs).view(n, n), persistent=False)',
        ),
        model="Attention",
        inputs=[(1, 8)],
    )
    assert model.params == 2 * 1600 + 8 * 8 + 8
    assert model.flops_complete
    (mean,) = [layer for layer in model.layers if layer.type == "Tensor.mean"]
    assert mean.inputs == [(2, 1600, 1600)]  # the biases gathered by the (1600, 1600) table


def test_a_loop_over_an_iterator_is_never_cut() -> None:
    # the iterator's holder would go on from where the cut left it
    function = ast.parse("def f(points):\n    for p in points:\n        pass\n").body[0]
    assert isinstance(function, ast.FunctionDef)
    loop = function.body[0]
    assert isinstance(loop, ast.For)
    scope = Scope(None, {}, vars={})  # type: ignore[arg-type]
    assert written_names(SimpleNamespace(builtins={}), loop, scope, range(3)) == ["p"]
    assert written_names(SimpleNamespace(builtins={}), loop, scope, iter(range(3))) is None
