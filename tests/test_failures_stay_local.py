"""One thing broken in a file: everything else keeps its exact numbers (fixtures/one_thing_broken/).

Seed FLOPs below follow docs/conventions.md: a conv output element costs 2·Cin·K² − 1, plus 1
with bias; a Linear output 2·I − 1, plus 1 with bias; BatchNorm 4 per element, ReLU and each
pooled input element 1.
"""

from __future__ import annotations

from staticflops import analyze
from tests.conftest import FIXTURES

BROKEN = FIXTURES / "one_thing_broken"


def codes_and_lines(analysis) -> list[tuple[str, int | None]]:
    return [(d.code.code, d.line) for d in analysis.diagnostics]


def test_a_raising_module_statement_or_class_attribute_loses_only_its_own_names() -> None:
    analysis = analyze([BROKEN / "raising_registry.py"], model="tiny_net()", inputs=[(1, 3, 32, 32)])
    (model,) = analysis.models
    assert model.params == 224 + 576 + 16 + 90  # conv 3→8 (3·3·3·8 + 8), conv 8→8 no bias, BN 2·8, fc 8·10 + 10
    assert model.flops == (
        2 * 27 * 8 * 32 * 32  # conv 3→8, bias: 2·(3·3·3) per output
        + (2 * 72 - 1) * 8 * 32 * 32  # the Block's conv, no bias
        + 4 * 8 * 32 * 32  # BatchNorm
        + 8 * 32 * 32  # relu
        + 8 * 32 * 32  # adaptive average pool: every input element once
        + 2 * 8 * 10  # Linear(8, 10), bias
    )
    assert model.params_complete and model.flops_complete
    assert ("SF307", 16) in codes_and_lines(analysis)  # `broken_table = {...}["missing"]`
    assert ("SF307", 22) in codes_and_lines(analysis)  # `lookup = {...}["y"]` in Block's body
    assert "class body code raised KeyError" in " ".join(d.message for d in analysis.diagnostics)


def test_unknown_decorators_keep_the_class_and_function_as_written() -> None:
    analysis = analyze([BROKEN / "unknown_decorator.py"], model="mlp()", inputs=[(1, 32)])
    (model,) = analysis.models
    assert model.params == (32 * 16 + 16) + (16 * 10 + 10)
    assert model.flops == 2 * 32 * 16 + 16 + 2 * 16 * 10  # two biased Linears and a ReLU
    assert model.flops_complete
    assert [line for code, line in codes_and_lines(analysis) if code == "SF304"][:2] == [7, 17]


def test_unmodelled_module_attributes_are_unknown_not_errors() -> None:
    analysis = analyze([BROKEN / "unmodelled_attribute.py"], inputs=[(1, 8)])
    (model,) = analysis.models
    assert model.params == (8 * 16 + 16) + (16 * 4 + 4)
    assert model.flops == 2 * 8 * 16 + 16 + 2 * 16 * 4
    assert model.flops_complete
    assert not [d for d in analysis.diagnostics if d.severity == "error"]


def test_an_unknown_op_mid_forward_leaves_unknown_only_what_flows_from_it() -> None:
    analysis = analyze([BROKEN / "unknown_op_mid_forward.py"], inputs=[(1, 3, 8, 8)])
    (model,) = analysis.models
    by_name = {layer.path: layer for layer in model.layers}
    assert by_name["conv"].flops == 2 * 27 * 8 * 8 * 8  # conv 3→8, 3×3, bias
    assert by_name["side"].flops == 2 * 3 * 8 * 8 * 8  # conv 3→8, 1×1, bias
    assert by_name["fc"].flops == 2 * 8 * 2  # Linear(8, 2) after the mean: not downstream of the unknown op
    assert by_name["gammainc"].flops is None and by_name["head"].flops is None
    assert model.params == 224 + 32 + 36 + 18  # every parameter is still known
    assert model.params_complete and not model.flops_complete  # the total is a lower bound
    messages = [d.message for d in analysis.diagnostics if d.code.code == "SF305"]
    assert "'torch.special.gammainc' is not in the catalog; its cost is not counted" in messages
    assert any("leaves 1 later layer without a cost ('head')" in m for m in messages)


def test_a_block_on_an_unseen_library_base_keeps_its_own_layers_and_its_forward() -> None:
    """`class ScaledConv(BaseModule)` with mmengine absent: assumed an nn.Module (SF304 at the class),
    its conv and `gamma` counted, its forward traced; the total is a lower bound, since the base may
    register parameters of its own. A hub mixin beside `nn.Module` changes nothing."""
    analysis = analyze([BROKEN / "unseen_base.py"], model="Classifier", inputs=[(2, 3, 8, 8)])
    (model,) = analysis.models
    assert model.params == 432 + 16 + 170  # conv 3→16 3×3 no bias, gamma 16, fc 16·10 + 10
    assert model.flops == (
        (2 * 27 - 1) * 16 * 2 * 64  # conv, no bias
        + 2 * 16 * 64  # × gamma, broadcast
        + 2 * 16 * 64  # mean over 8×8
        + 2 * 2 * 16 * 10  # Linear(16, 10), bias
    )
    assert [layer.path for layer in model.layers] == ["features.conv", "features.mul", "mean", "head"]
    assert not model.params_complete and model.flops_complete
    assumptions = [d for d in analysis.diagnostics if d.code.code == "SF304" and "base class" in d.message]
    assert [(d.line, d.message.split(";")[0]) for d in assumptions] == [
        (11, "base class BaseModule of 'ScaledConv' is unknown")
    ]
