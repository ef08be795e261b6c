"""Whole models written in real projects' styles, against figures measured with PyTorch
(fixtures/expected/, produced by scripts/make_expected.py)."""

from __future__ import annotations

import json

import pytest

from staticflops import analyze
from tests.conftest import FIXTURES


def canonical(name: str) -> str:
    """One spelling for an op, whether we report it (`F.relu`, `Tensor.view`, `add`) or torch's function
    hook does (`relu`, `view`, `__iadd__`)."""
    name = name.rsplit(".", 1)[-1].strip("_")
    return {"iadd": "add", "radd": "add", "add_": "add"}.get(name, name)


def cases():
    for path in sorted((FIXTURES / "expected").glob("*.json")):
        data = json.loads(path.read_text())
        for entry in data["models"]:
            yield pytest.param(data["fixture"], entry, id=f"{data['fixture']}::{entry['model']}")


@pytest.mark.parametrize(("fixture", "expected"), list(cases()))
@pytest.mark.parametrize("convention", ["seed", "macs"])
def test_fixture_matches_pytorch(fixture: str, expected: dict, convention: str) -> None:
    analysis = analyze(
        [FIXTURES / fixture], model=expected["model"], inputs=[tuple(expected["input"])], convention=convention
    )
    assert [d.format() for d in analysis.diagnostics if d.severity == "error"] == []
    (model,) = analysis.models
    key = "flops" if convention == "seed" else "macs"
    assert model.params == expected["params"]
    assert model.flops == expected[key]
    assert model.macs == expected["macs"]
    assert model.params_complete and model.flops_complete
    theirs = expected["layers"]
    assert len(model.layers) == len(theirs), [layer.type for layer in model.layers]
    for layer, truth in zip(model.layers, theirs, strict=True):
        assert canonical(layer.type) == canonical(truth["type"]), layer.path
        if truth["path"] is not None:
            assert layer.path == truth["path"]
        assert [list(s) for s in layer.inputs] == truth["inputs"], layer.path
        assert list(layer.output) == truth["output"], layer.path
        assert layer.params == truth["params"], layer.path
        assert layer.flops == truth[key], layer.path


def test_seed_worked_examples_of_the_design() -> None:
    """design.md: 153 for the 3×3 conv on 5×5; (2·27−1)·300·300·64 and 2·27·300·300·64; ReLU 64·300·300."""
    (small,) = analyze([FIXTURES / "seed_examples.py"], model="Conv3x3NoPad()", inputs=[(1, 1, 5, 5)]).models
    assert small.layers[0].flops == 153
    for bias, conv_flops in ((False, (2 * 27 - 1) * 300 * 300 * 64), (True, 2 * 27 * 300 * 300 * 64)):
        (model,) = analyze(
            [FIXTURES / "seed_examples.py"], model=f"Conv300(bias={bias})", inputs=[(1, 3, 300, 300)]
        ).models
        conv, relu = model.layers
        assert conv.flops == conv_flops
        assert relu.flops == 64 * 300 * 300


def test_module_level_sequential_is_selected_by_name() -> None:
    (model,) = analyze([FIXTURES / "sequential_model.py"], model="model").models
    assert model.name == "model"
    assert [layer.path for layer in model.layers] == ["stem", "bn", "act", "conv", "act2", "pool", "flatten", "fc"]
    assert model.inputs == [(1, 3, 32, 32)]
    assert model.input_source == "inferred"


def test_without_model_every_buildable_model_is_analyzed() -> None:
    analysis = analyze([FIXTURES / "vgg11.py"])
    assert [m.name for m in analysis.models] == ["vgg11", "vgg11_bn"]
    assert [m.params for m in analysis.models] == [132_863_336, 132_868_840]
    assert analysis.files[0].skipped == [("VGG", "its constructor needs arguments (features)")]


def test_lenet_input_shape_is_solved_from_the_linear_after_flatten() -> None:
    (model,) = analyze([FIXTURES / "lenet5.py"]).models
    assert model.inputs == [(1, 1, 32, 32)]
    assert model.input_source == "inferred"


def test_mlp_input_comes_from_the_first_linear() -> None:
    (model,) = analyze([FIXTURES / "mlp.py"]).models
    assert model.inputs == [(1, 784)]
